import { createHash } from 'node:crypto';
import type { DeliveryStatus, OutgoingMessage } from './outbox.js';

/**
 * The engine's only view of storage (`storage/lowdb/outbox.ts`, `storage/postgres/outbox.ts`).
 *
 * Messages wait in lanes, one per destination (a recipient, or `mail:<address>`): a lane gives out
 * one message at a time, its oldest pending one, so an update never overtakes what it edits and a
 * thread's replies follow the thread. What to send, when, and what a failure means is the
 * engine's business; the store keeps messages, hands out lane heads under a lease, and keeps
 * results.
 */
export interface OutboxStore {
  /**
   * Stores the messages, in order, durably (fsync / commit) before it resolves. A key stored
   * before is left as it is. An update or a thread reply joins the lane of the message it names
   * (earlier in the same batch or stored before); when there is none it is stored as failed.
   */
  enqueue(items: NewMessage[], now: number): Promise<void>;
  /**
   * Up to `max` lane heads that are due (`notBefore` passed) and not leased, from lanes not in
   * `skipLanes` (the engine's pacing holds those back), interactive before bulk, oldest first.
   * Each is leased to `owner` and its attempts counted before this resolves; a message whose
   * earlier lease ended without a result comes back with `interrupted` set.
   */
  claim(
    owner: string,
    now: number,
    max: number,
    skipLanes: ReadonlySet<string>,
  ): Promise<Claimed[]>;
  /**
   * Ends the lease with the attempt's result. Once it resolves, the result survives the process
   * being killed (a write to the file, or a commit), so a send that happened is not made again.
   */
  record(key: string, owner: string, result: SendResult, now: number): Promise<void>;
  status(key: string): Promise<StoredStatus | undefined>;
  /** The earliest moment a claim may find work that is waiting now (a retry, a lapsed lease). */
  nextDue(now: number): Promise<number>;
  /**
   * Drops finished messages last changed before `pruneBefore` (unless a pending one still
   * needs them), and calls `onWork` when another instance enqueues, if the store is shared.
   */
  start(o: { pruneBefore: number; onWork: () => void }): Promise<void>;
  close(): Promise<void>;
}

export type Op = OutgoingMessage['op'];

/** A message as the store keeps it: its body serialised once, by the engine. */
export interface NewMessage {
  key: string;
  op: Op;
  /** The lane, for a message straight to one: a recipient id or `mail:<address>`. */
  to?: string;
  /** A reply in the thread that this `create-thread` message started. */
  threadOf?: string;
  /** The message an update replaces. */
  of?: string;
  /** The reply card/text, or the mail, as JSON; `hash` names it (one card to 10,000 is kept once). */
  body: string;
  hash: string;
  bulk: boolean;
}

export interface Claimed {
  key: string;
  op: Op;
  to?: string;
  threadOf?: string;
  of?: string;
  lane: string;
  body: unknown;
  /** Including the one now starting. */
  attempts: number;
  /** Leased before by an owner that never recorded a result: it died mid-send. */
  interrupted: boolean;
}

export type SendResult =
  | { state: 'sent'; conversationId?: string; activityId?: string }
  /** Failed, to be tried again (the lane waits until then). */
  | { state: 'pending'; error: string; notBefore: number }
  | { state: 'failed' | 'gone'; error: string };

export type StoredStatus = DeliveryStatus & { lane: string };

/** A short, stable name for a JSON value, so one card sent to 10,000 people is stored once. */
export const contentHash = (json: string) =>
  createHash('sha1').update(json).digest('base64url').slice(0, 16);

/** The lane of e-mail to one address. */
export const mailLane = (address: string) => `mail:${address.toLowerCase()}`;
export const isMailLane = (lane: string) => lane.startsWith('mail:');
