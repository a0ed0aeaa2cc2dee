import type { Reply } from '../conversation/replies.js';
import type { Log } from '../log.js';
import type { Recipient, RecipientRepository } from '../recipients/repository.js';
import { createWakeTimer, type Clock } from './clock.js';
import { contentHash, Journal } from './journal.js';
import {
  type DeliveryState,
  type DeliveryStatus,
  type Destination,
  type Outbox,
  type OutgoingMessage,
  type Sender,
} from './outbox.js';
import { Pacer, type RateLimit } from './pacer.js';
import { checkMessage, createBackoff, decideAfterFailure, INTERRUPTED, Skip } from './policy.js';
import { Deque, MinHeap } from './queues.js';

export interface OutboxOptions {
  /** The journal, e.g. `<DATA_DIR>/outbox.jsonl`. */
  file: string;
  sender: Sender;
  recipients: RecipientRepository;
  log: Log;
  clock: Clock;
  /** Per app and tenant (Microsoft: about 50 requests a second). */
  appLimits: RateLimit[];
  appBurst: number;
  /** Per conversation (Microsoft: 7/1 s, 8/2 s, 60/30 s). */
  conversationLimits: RateLimit[];
  conversationBurst: number;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Delivered, failed and gone messages older than this are dropped when the journal is compacted. */
  retentionDays: number;
  random?: () => number;
}

type Op = OutgoingMessage['op'];

interface Entry {
  key: string;
  op: Op;
  to?: Destination;
  of?: string;
  replyHash: string;
  reply: Reply;
  bulk: boolean;
  lane: string;
  enqueuedAt: number;
  state: DeliveryState;
  attempts: number;
  conversationId?: string;
  activityId?: string;
  error?: string;
  changedAt: number;
}

interface Lane {
  id: string;
  queue: Entry[];
  pacer: Pacer;
  /** Earliest time the head may be tried again (Retry-After, backoff). */
  notBefore: number;
  where: 'idle' | 'ready' | 'sleeping' | 'busy';
  wakeAt: number;
}

/** Journal lines. Short names: a broadcast writes ten thousand of them. */
type JournalRecord =
  | { t: 'reply'; h: string; reply: Reply }
  | {
      t: 'msg';
      key: string;
      op: Op;
      to?: Destination;
      of?: string;
      h: string;
      bulk?: true;
      at: number;
    }
  | {
      t: 'state';
      key: string;
      state: DeliveryState;
      attempts: number;
      conversationId?: string;
      activityId?: string;
      error?: string;
      at: number;
    }
  /** Written just before a plain send: a restart that finds it with no result after it was cut off mid-send. */
  | { t: 'attempt'; key: string; at: number };

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 200;

/**
 * The outbox on an fsync'd JSON Lines journal, with a paced background sender.
 *
 * Messages are grouped in lanes, one per recipient: a lane sends one message at a time and in
 * order (so an update never overtakes the message it edits, and a thread's replies follow the
 * thread), paced by the per-conversation limits; all lanes share the app-wide limit.
 */
export async function createOutbox(o: OutboxOptions): Promise<Outbox> {
  const random = o.random ?? Math.random;
  const backoff = createBackoff(o.backoffBaseMs, o.backoffMaxMs, random);
  const entries = new Map<string, Entry>();
  const replies = new Map<string, Reply>();
  const lanes = new Map<string, Lane>();
  const ready = { interactive: new Deque<Lane>(), bulk: new Deque<Lane>() };
  const sleeping = new MinHeap<{ lane: Lane; at: number }>((a, b) => a.at - b.at);
  const appPacer = new Pacer(o.appLimits, o.appBurst, o.clock.now());
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let stopped = false;
  const wakeTimer = createWakeTimer(o.clock, () => pump());

  let kept: JournalRecord[] = [];
  const journal = await Journal.open(o.file, (records) => {
    kept = compact(records as JournalRecord[], o.clock.now() - o.retentionDays * DAY_MS);
    return kept;
  });
  // The compacted journal, in file order: an update always comes after the message it edits.
  for (const r of kept) {
    if (r.t === 'reply') replies.set(r.h, r.reply);
    else if (r.t === 'msg') {
      const entry = newEntry(r, replies.get(r.h)!, r.at);
      entries.set(entry.key, entry);
    } else if (r.t === 'state') {
      const e = entries.get(r.key);
      if (e)
        Object.assign(e, {
          state: r.state,
          attempts: r.attempts,
          conversationId: r.conversationId,
          activityId: r.activityId,
          error: r.error,
          changedAt: r.at,
        });
    }
  }
  kept = [];
  for (const e of entries.values())
    if (e.state === 'pending' && e.lane) laneOf(e.lane).queue.push(e);

  function newEntry(r: Extract<JournalRecord, { t: 'msg' }>, reply: Reply, at: number): Entry {
    const entry: Entry = {
      key: r.key,
      op: r.op,
      to: r.to,
      of: r.of,
      replyHash: r.h,
      reply,
      bulk: r.bulk === true,
      lane: '',
      enqueuedAt: at,
      state: 'pending',
      attempts: 0,
      changedAt: at,
    };
    const lane = laneIdFor(entry);
    if (typeof lane === 'string') entry.lane = lane;
    else Object.assign(entry, { state: 'failed', error: lane.error });
    return entry;
  }

  /** The recipient a message ends up with: its lane. */
  function laneIdFor(e: Pick<Entry, 'op' | 'to' | 'of'>): string | { error: string } {
    if (e.op === 'update') {
      const original = e.of === undefined ? undefined : entries.get(e.of);
      return original?.lane || { error: `unknown message ${String(e.of).slice(0, 100)}` };
    }
    if (e.to && 'recipientId' in e.to && typeof e.to.recipientId === 'string')
      return e.to.recipientId;
    if (e.to && 'threadOf' in e.to) {
      const thread = entries.get(e.to.threadOf);
      if (thread?.op !== 'create-thread')
        return { error: `unknown thread ${String(e.to.threadOf).slice(0, 100)}` };
      return thread.lane || { error: 'thread was never created' };
    }
    return { error: 'no destination' };
  }

  function laneOf(id: string): Lane {
    let lane = lanes.get(id);
    if (!lane) {
      lane = {
        id,
        queue: [],
        pacer: new Pacer(o.conversationLimits, o.conversationBurst, o.clock.now()),
        notBefore: 0,
        where: 'idle',
        wakeAt: 0,
      };
      lanes.set(id, lane);
    }
    return lane;
  }

  function place(lane: Lane) {
    if (lane.where === 'busy' || lane.where === 'ready' || lane.where === 'sleeping') return;
    const head = lane.queue[0];
    if (!head) {
      lane.where = 'idle';
      // A lane with nothing to send and full buckets holds nothing worth keeping.
      if (lane.pacer.isIdle(o.clock.now())) lanes.delete(lane.id);
      return;
    }
    const now = o.clock.now();
    const wait = Math.max(lane.notBefore - now, lane.pacer.waitMs(now));
    if (wait > 0) {
      lane.where = 'sleeping';
      lane.wakeAt = now + wait;
      sleeping.push({ lane, at: lane.wakeAt });
    } else {
      lane.where = 'ready';
      (head.bulk ? ready.bulk : ready.interactive).push(lane);
    }
  }

  function arm(at: number) {
    if (running) wakeTimer.arm(at);
  }

  function pump() {
    if (!running) return;
    const now = o.clock.now();
    while (sleeping.size && sleeping.peek()!.at <= now) {
      const { lane, at } = sleeping.pop()!;
      if (lane.where !== 'sleeping' || lane.wakeAt !== at) continue; // superseded
      lane.where = 'idle';
      place(lane);
    }
    while (inFlight.size < o.concurrency) {
      const queue = ready.interactive.size ? ready.interactive : ready.bulk;
      const lane = queue.peek();
      if (!lane) break;
      const appWait = appPacer.waitMs(now);
      if (appWait > 0) {
        arm(now + appWait);
        break;
      }
      queue.shift();
      if (lane.where !== 'ready') continue;
      lane.where = 'idle';
      const wait = Math.max(lane.notBefore - now, lane.pacer.waitMs(now));
      if (wait > 0 || !lane.queue.length) {
        place(lane);
        continue;
      }
      appPacer.take(now);
      lane.pacer.take(now);
      lane.where = 'busy';
      const done: Promise<void> = deliver(lane, lane.queue[0]).finally(() => {
        inFlight.delete(done);
        lane.where = 'idle';
        place(lane);
        pump();
      });
      inFlight.add(done);
    }
    if (sleeping.size) arm(sleeping.peek()!.at);
  }

  async function deliver(lane: Lane, entry: Entry): Promise<void> {
    entry.attempts++;
    let retryInMs: number | undefined;
    if (entry.op === 'send')
      journal
        .recordNow([{ t: 'attempt', key: entry.key, at: o.clock.now() }])
        .catch((e: Error) =>
          o.log.error({ key: entry.key, err: e.message }, 'could not record a send attempt'),
        );
    try {
      const landed = await attempt(entry);
      Object.assign(entry, {
        state: 'sent',
        conversationId: landed.conversationId,
        activityId: landed.activityId,
        error: undefined,
      });
    } catch (e) {
      const decision = decide(entry, e);
      entry.error = decision.error.slice(0, MAX_ERROR_LENGTH);
      if (decision.retryInMs !== undefined && entry.attempts < o.maxAttempts)
        retryInMs = decision.retryInMs;
      else entry.state = decision.state ?? 'failed';
      if (entry.state === 'gone' && decision.markGone) {
        await o.recipients
          .markGone(decision.markGone, new Date(o.clock.now()))
          .catch((err: Error) =>
            o.log.error(
              { err: err.message, recipientId: decision.markGone },
              'could not mark recipient gone',
            ),
          );
      }
      o.log[entry.state === 'pending' ? 'info' : 'warn'](
        {
          key: entry.key,
          attempts: entry.attempts,
          error: entry.error,
          retryInMs,
          state: entry.state,
        },
        entry.state === 'pending' ? 'send failed, will retry' : 'send given up',
      );
    }
    entry.changedAt = o.clock.now();
    if (retryInMs !== undefined) lane.notBefore = o.clock.now() + retryInMs;
    else lane.queue.shift();
    // Written to the file before anything else happens, so a kill -9 right after a send cannot
    // make us send it again; the fsync (for a power cut) follows in the background group commit,
    // because holding the slot for it would cap the rate at concurrency ÷ fsync time.
    journal.recordNow([stateRecord(entry)]).catch((e: Error) =>
      // The send happened; only the record of it is at risk. Say so loudly, keep going.
      o.log.error({ key: entry.key, err: e.message }, 'could not record delivery state'),
    );
  }

  async function recipient(id: string): Promise<Recipient> {
    const r = await o.recipients.get(id);
    if (!r) throw new Skip('failed', 'unknown recipient');
    if (r.goneAt) throw new Skip('gone', 'recipient gone');
    return r;
  }

  /** The conversation a message goes to: a recipient's, or a thread the outbox created there. */
  async function target(to: Destination): Promise<{ reference: unknown; recipientId: string }> {
    if ('recipientId' in to)
      return {
        reference: (await recipient(to.recipientId)).reference,
        recipientId: to.recipientId,
      };
    const thread = entries.get(to.threadOf)!;
    if (thread.state !== 'sent')
      throw new Skip(thread.state === 'gone' ? 'gone' : 'failed', `thread ${thread.state}`);
    const r = await recipient(thread.lane);
    return {
      reference: o.sender.withConversation(r.reference, thread.conversationId!),
      recipientId: thread.lane,
    };
  }

  async function attempt(e: Entry): Promise<{ conversationId: string; activityId: string }> {
    if (e.op === 'send') return o.sender.send((await target(e.to!)).reference, e.reply);
    if (e.op === 'create-thread')
      return o.sender.createThread((await target(e.to!)).reference, e.reply);
    const original = entries.get(e.of!)!;
    if (original.state !== 'sent')
      throw new Skip(original.state === 'gone' ? 'gone' : 'failed', `original ${original.state}`);
    const r = await recipient(original.lane);
    await o.sender.update(
      o.sender.withConversation(r.reference, original.conversationId!),
      original.activityId!,
      e.reply,
    );
    return { conversationId: original.conversationId!, activityId: original.activityId! };
  }

  function decide(e: Entry, err: unknown) {
    const recipientId = e.to && 'recipientId' in e.to ? e.to.recipientId : e.lane;
    return decideAfterFailure(err, { op: e.op, attempts: e.attempts, recipientId }, backoff);
  }

  function stateRecord(e: Entry): JournalRecord {
    return {
      t: 'state',
      key: e.key,
      state: e.state,
      attempts: e.attempts,
      conversationId: e.conversationId,
      activityId: e.activityId,
      error: e.error,
      at: e.changedAt,
    };
  }

  return {
    async enqueue(messages) {
      if (stopped) throw new Error('The outbox is stopped');
      const records: JournalRecord[] = [];
      const added: Entry[] = [];
      const at = o.clock.now();
      for (const m of messages) {
        const problem = checkMessage(m);
        if (problem)
          throw new TypeError(`Outbox message ${String(m?.key).slice(0, 100)}: ${problem}`);
      }
      for (const m of messages) {
        if (entries.has(m.key)) continue; // enqueueing is idempotent by key
        // Stored as serialised now: the caller may go on changing the object it handed us.
        const json = JSON.stringify(m.reply);
        const h = contentHash(json);
        if (!replies.has(h)) {
          const reply = JSON.parse(json) as Reply;
          replies.set(h, reply);
          records.push({ t: 'reply', h, reply });
        }
        const msg: Extract<JournalRecord, { t: 'msg' }> = {
          t: 'msg',
          key: m.key,
          op: m.op,
          to: 'to' in m ? m.to : undefined,
          of: 'of' in m ? m.of : undefined,
          h,
          ...(m.bulk ? { bulk: true as const } : {}),
          at,
        };
        const entry = newEntry(msg, replies.get(h)!, at);
        records.push(msg);
        if (entry.state !== 'pending') records.push(stateRecord(entry));
        // Visible at once, so a second enqueue of the same key, even before the fsync, is ignored.
        entries.set(entry.key, entry);
        added.push(entry);
      }
      try {
        await journal.append(records);
      } catch (e) {
        for (const entry of added) entries.delete(entry.key);
        throw e;
      }
      // Only what is on disk may be sent.
      for (const entry of added) {
        if (entry.state !== 'pending') continue;
        const lane = laneOf(entry.lane);
        lane.queue.push(entry);
        place(lane);
      }
      pump();
    },

    async status(key) {
      const e = entries.get(key);
      if (!e) return undefined;
      const s: DeliveryStatus = { key: e.key, state: e.state, attempts: e.attempts };
      if (e.conversationId) s.conversationId = e.conversationId;
      if (e.activityId) s.activityId = e.activityId;
      if (e.error) s.error = e.error;
      return s;
    },

    start() {
      if (running || stopped) return;
      running = true;
      for (const lane of lanes.values()) place(lane);
      pump();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      running = false;
      wakeTimer.clear();
      await Promise.allSettled([...inFlight]);
      await journal.close();
    },
  };
}

/**
 * What a restart keeps: every message still pending, the messages they update or reply in, and
 * finished ones younger than the retention (so `status` and later updates still find them).
 */
function compact(records: JournalRecord[], keepDoneAfter: number): JournalRecord[] {
  const replies = new Map<string, Reply>();
  const messages = new Map<
    string,
    {
      msg: Extract<JournalRecord, { t: 'msg' }>;
      state?: Extract<JournalRecord, { t: 'state' }>;
      interruptedAt?: number;
    }
  >();
  for (const r of records) {
    if (r?.t === 'reply') replies.set(r.h, r.reply);
    else if (r?.t === 'msg' && !messages.has(r.key) && replies.has(r.h))
      messages.set(r.key, { msg: r });
    else if (r?.t === 'state') {
      const m = messages.get(r.key);
      if (m) Object.assign(m, { state: r, interruptedAt: undefined });
    } else if (r?.t === 'attempt') {
      const m = messages.get(r.key);
      if (m) m.interruptedAt = r.at;
    }
  }
  // An attempt with no result after it: the process died mid-send (see INTERRUPTED).
  for (const m of messages.values()) {
    if (m.interruptedAt === undefined || (m.state && m.state.state !== 'pending')) continue;
    m.state = {
      t: 'state',
      key: m.msg.key,
      state: 'failed',
      attempts: (m.state?.attempts ?? 0) + 1,
      error: INTERRUPTED,
      at: m.interruptedAt,
    };
  }
  const keep = new Set<string>();
  const need = (key: string | undefined) => {
    while (key && !keep.has(key)) {
      keep.add(key);
      const m = messages.get(key)?.msg;
      key = m?.of ?? (m?.to && 'threadOf' in m.to ? m.to.threadOf : undefined);
    }
  };
  for (const [key, { msg, state }] of messages) {
    const pending = !state || state.state === 'pending';
    if (pending || (state?.at ?? msg.at) >= keepDoneAfter) need(key);
  }
  const out: JournalRecord[] = [];
  const written = new Set<string>();
  for (const [key, { msg, state }] of messages) {
    if (!keep.has(key)) continue;
    if (!written.has(msg.h)) {
      written.add(msg.h);
      out.push({ t: 'reply', h: msg.h, reply: replies.get(msg.h)! });
    }
    out.push(msg);
    if (state) out.push(state);
  }
  return out;
}
