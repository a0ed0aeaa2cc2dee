import type { Reply } from '../conversation/replies.js';

/**
 * Every message the bot sends on its own initiative (to a user's chat, to a channel, a card
 * update) goes through the outbox: it is stored before it is sent, retried with backoff that
 * honours Retry-After, paced below Teams' rate limits, resumed after a restart, and sent once.
 *
 * Replies inside a turn (the answer to a question) go straight back through the turn instead.
 */
export type Destination =
  /** A recipient of the RecipientRepository: `user:<id>` or `channel:<conversation id>`. */
  | { recipientId: string }
  /** A thread (or chat) the outbox itself created earlier: the key of that `create-thread` message. */
  | { threadOf: string };

export type OutgoingMessage =
  /** A new message in the destination's conversation. */
  (
    | { key: string; op: 'send'; to: Destination; reply: Reply }
    /** Replaces an earlier message (by its outbox key) in place: updateActivity. */
    | { key: string; op: 'update'; of: string; reply: Reply }
    /** Starts a new thread in a channel recipient, the reply as its first message. */
    | { key: string; op: 'create-thread'; to: { recipientId: string }; reply: Reply }
    /**
     * An e-mail over SMTP (`SMTP_URL`), in a lane per address with its own pacing
     * (`OUTBOX_MAIL_LIMITS`). A send cut off by a crash goes again with the same Message-ID.
     */
    | { key: string; op: 'email'; mail: OutgoingMail }
  ) & {
    /**
     * Part of a broadcast: sent after everything else that is waiting, so that a ticket reply or
     * a report card does not queue behind 10,000 outage notices.
     */
    bulk?: boolean;
  };

/** A plain-text e-mail. Line breaks in the subject and in header values are folded at sending. */
export interface OutgoingMail {
  /** One address, e.g. info.hmc@vgregion.se. */
  to: string;
  subject: string;
  text: string;
  /**
   * A stable Message-ID derived from the key, e.g. `<ticket-42@websesam-hjalpen>`: a mail sent
   * again after a crash carries the same one, so a mail client can spot the repeat.
   */
  messageId: string;
  /** Sender address; empty: `SMTP_FROM`. */
  from?: string;
  /** Extra headers, e.g. `In-Reply-To`, `X-…`; not the address, subject or MIME headers. */
  headers?: Record<string, string>;
}

export type DeliveryState = 'pending' | 'sent' | 'failed' | 'gone';

export interface DeliveryStatus {
  key: string;
  state: DeliveryState;
  attempts: number;
  /** Once sent: where the message landed, so it can be updated later. */
  conversationId?: string;
  activityId?: string;
  /** For failed/gone: why (HTTP status and short reason). */
  error?: string;
}

export interface Outbox {
  /**
   * Stores the messages durably, then resolves; sending happens in the background.
   * A key that was enqueued before is ignored: enqueueing is idempotent.
   */
  enqueue(messages: OutgoingMessage[]): Promise<void>;
  status(key: string): Promise<DeliveryStatus | undefined>;
  /** Starts the background sender (and resumes what a restart left pending). */
  start(): void;
  /** Stops taking new work and waits for sends in flight. */
  stop(): Promise<void>;
}

/** The Teams side of sending, implemented in `teams/notifier.ts`. */
export interface Sender {
  send(reference: unknown, reply: Reply): Promise<{ conversationId: string; activityId: string }>;
  update(reference: unknown, activityId: string, reply: Reply): Promise<void>;
  createThread(
    channelReference: unknown,
    reply: Reply,
  ): Promise<{ conversationId: string; activityId: string }>;
  /** The reference of another conversation (a thread the outbox created) on the same service. */
  withConversation(reference: unknown, conversationId: string): unknown;
}

/** The e-mail side of sending, implemented with nodemailer in `mail/smtp-sender.ts`. */
export interface MailSender {
  /**
   * Resolves once the server accepted the mail (its answer to the end of DATA). Throws a
   * SendError whose status is the SMTP reply code, or 0 when there was none (refused, timed out).
   */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

/** How a send failed, as the outbox needs to know it to decide: retry, wait, or give up. */
export class SendError extends Error {
  constructor(
    /** The HTTP status (0: no answer); for e-mail the SMTP reply code (0: no answer). */
    readonly status: number,
    message: string,
    /** Seconds from a Retry-After header, if the connector gave one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}
