import type { Log } from '../../log.js';
import type { DeliveryState, Destination } from '../../outbox/outbox.js';
import { Deque, MinHeap } from '../../outbox/queues.js';
import type {
  Claimed,
  NewMessage,
  Op,
  OutboxStore,
  SendResult,
  StoredStatus,
} from '../../outbox/store.js';
import { Journal } from './journal.js';

/** Journal lines. Short names: a broadcast writes ten thousand of them. */
type JournalRecord =
  /** A message body (a reply, or a mail), by content hash: one card to 10,000 is written once. */
  | { t: 'reply'; h: string; reply: unknown }
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
      /** A pending retry: not before this. */
      nb?: number;
      at: number;
    }
  /** Written as a message is claimed: found with no result after it, the send was cut off. */
  | { t: 'attempt'; key: string; at: number };

interface Entry {
  key: string;
  op: Op;
  to?: string;
  threadOf?: string;
  of?: string;
  hash: string;
  bulk: boolean;
  lane: string;
  seq: number;
  state: DeliveryState;
  attempts: number;
  notBefore: number;
  interrupted: boolean;
  conversationId?: string;
  activityId?: string;
  error?: string;
  changedAt: number;
}

interface Lane {
  id: string;
  /** Its pending messages, oldest first; the head is the one given out. */
  queue: Deque<Entry>;
  where: 'idle' | 'ready' | 'sleeping' | 'busy';
  wakeAt: number;
}

export interface JournalOutboxStoreOptions {
  /** e.g. `<DATA_DIR>/outbox.jsonl` */
  file: string;
  /** Finished messages last changed before this are dropped as the journal is compacted at open. */
  keepDoneAfter: number;
  log: Log;
}

/**
 * The outbox store on an fsync'd JSON Lines journal, for one process: every message is held in
 * memory (lanes in a heap of due heads and a heap of waiting ones), the journal is what a restart
 * reads back. Enqueues wait for their fsync (group commit). Claims and results are written at
 * once, synchronously, so a kill -9 right after cannot lose them; their fsync (for a power cut)
 * follows in the background, because holding the send for it would cap the rate at
 * concurrency ÷ fsync time.
 */
export async function openJournalOutboxStore(o: JournalOutboxStoreOptions): Promise<OutboxStore> {
  const entries = new Map<string, Entry>();
  const bodies = new Map<string, unknown>();
  const lanes = new Map<string, Lane>();
  /** Lanes whose head may go now: interactive before bulk, oldest first. */
  const ready = new MinHeap<{ lane: Lane; bulk: boolean; seq: number }>(
    (a, b) => Number(a.bulk) - Number(b.bulk) || a.seq - b.seq,
  );
  const sleeping = new MinHeap<{ lane: Lane; at: number }>((a, b) => a.at - b.at);
  let seq = 0;

  let kept: JournalRecord[] = [];
  const journal = await Journal.open(o.file, (records) => {
    kept = compact(records as JournalRecord[], o.keepDoneAfter);
    return kept;
  });
  // The compacted journal, in file order: an update always comes after the message it edits.
  for (const r of kept) {
    if (r.t === 'reply') bodies.set(r.h, r.reply);
    else if (r.t === 'msg') {
      const e = newEntry(
        {
          key: r.key,
          op: r.op,
          to: r.to && 'recipientId' in r.to ? r.to.recipientId : undefined,
          threadOf: r.to && 'threadOf' in r.to ? r.to.threadOf : undefined,
          of: r.of,
          hash: r.h,
          bulk: r.bulk === true,
        },
        r.at,
      );
      entries.set(e.key, e);
    } else {
      const e = entries.get(r.key);
      if (!e) continue;
      // A claim is made only once a retry is due: its wait is over.
      if (r.t === 'attempt')
        Object.assign(e, { attempts: e.attempts + 1, interrupted: true, notBefore: 0 });
      else
        Object.assign(e, {
          state: r.state,
          attempts: r.attempts,
          conversationId: r.conversationId,
          activityId: r.activityId,
          error: r.error,
          notBefore: r.nb ?? 0,
          changedAt: r.at,
          interrupted: false,
        });
    }
  }
  kept = [];
  for (const e of entries.values()) if (e.state === 'pending') laneOf(e.lane).queue.push(e);
  for (const lane of lanes.values()) place(lane, 0);

  function newEntry(m: Omit<NewMessage, 'body'>, at: number): Entry {
    const e: Entry = {
      key: m.key,
      op: m.op,
      to: m.to,
      threadOf: m.threadOf,
      of: m.of,
      hash: m.hash,
      bulk: m.bulk,
      lane: '',
      seq: ++seq,
      state: 'pending',
      attempts: 0,
      notBefore: 0,
      interrupted: false,
      changedAt: at,
    };
    const lane = laneIdFor(e);
    if (typeof lane === 'string') e.lane = lane;
    else Object.assign(e, { state: 'failed', error: lane.error });
    return e;
  }

  /** The lane a message joins: its destination's, or that of the message it follows. */
  function laneIdFor(e: Pick<Entry, 'op' | 'to' | 'of' | 'threadOf'>): string | { error: string } {
    if (e.op === 'update') {
      const original = e.of === undefined ? undefined : entries.get(e.of);
      return original?.lane || { error: `unknown message ${String(e.of).slice(0, 100)}` };
    }
    if (typeof e.to === 'string') return e.to;
    if (e.threadOf !== undefined) {
      const thread = entries.get(e.threadOf);
      if (thread?.op !== 'create-thread')
        return { error: `unknown thread ${String(e.threadOf).slice(0, 100)}` };
      return thread.lane || { error: 'thread was never created' };
    }
    return { error: 'no destination' };
  }

  function laneOf(id: string): Lane {
    let lane = lanes.get(id);
    if (!lane) {
      lane = { id, queue: new Deque(), where: 'idle', wakeAt: 0 };
      lanes.set(id, lane);
    }
    return lane;
  }

  /** Puts an idle lane where its head belongs: ready, sleeping until its retry, or gone. */
  function place(lane: Lane, now: number) {
    if (lane.where !== 'idle') return;
    const head = lane.queue.peek();
    if (!head) {
      lanes.delete(lane.id);
      return;
    }
    if (head.notBefore > now) {
      lane.where = 'sleeping';
      lane.wakeAt = head.notBefore;
      sleeping.push({ lane, at: lane.wakeAt });
    } else {
      lane.where = 'ready';
      ready.push({ lane, bulk: head.bulk, seq: head.seq });
    }
  }

  function wakeDue(now: number) {
    while (sleeping.size && sleeping.peek()!.at <= now) {
      const { lane, at } = sleeping.pop()!;
      if (lane.where !== 'sleeping' || lane.wakeAt !== at) continue; // superseded
      lane.where = 'idle';
      place(lane, now);
    }
  }

  /** Writes at once (see the store's comment); the fsync's failure is logged, not thrown. */
  function writeNow(records: JournalRecord[], what: string) {
    journal
      .recordNow(records)
      .catch((e: Error) => o.log.error({ err: e.message }, `could not sync ${what}`));
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
      ...(e.state === 'pending' && e.notBefore ? { nb: e.notBefore } : {}),
      at: e.changedAt,
    };
  }

  return {
    async enqueue(items, now) {
      const records: JournalRecord[] = [];
      const added: Entry[] = [];
      const newBodies: string[] = [];
      for (const m of items) {
        if (entries.has(m.key)) continue; // enqueueing is idempotent by key
        if (!bodies.has(m.hash)) {
          bodies.set(m.hash, JSON.parse(m.body));
          newBodies.push(m.hash);
          records.push({ t: 'reply', h: m.hash, reply: bodies.get(m.hash) });
        }
        const e = newEntry(m, now);
        records.push({
          t: 'msg',
          key: m.key,
          op: m.op,
          to:
            m.to !== undefined
              ? { recipientId: m.to }
              : m.threadOf !== undefined
                ? { threadOf: m.threadOf }
                : undefined,
          of: m.of,
          h: m.hash,
          ...(m.bulk ? { bulk: true as const } : {}),
          at: now,
        });
        if (e.state !== 'pending') records.push(stateRecord(e));
        // Visible at once, so a second enqueue of the same key, even before the fsync, is ignored.
        entries.set(e.key, e);
        added.push(e);
      }
      try {
        await journal.append(records);
      } catch (err) {
        for (const e of added) entries.delete(e.key);
        for (const h of newBodies) bodies.delete(h);
        throw err;
      }
      // Only what is on disk may be given out.
      for (const e of added) {
        if (e.state !== 'pending') continue;
        const lane = laneOf(e.lane);
        lane.queue.push(e);
        place(lane, now);
      }
    },

    async claim(_owner, now, max, skipLanes) {
      wakeDue(now);
      const out: Claimed[] = [];
      const passed: { lane: Lane; bulk: boolean; seq: number }[] = [];
      while (out.length < max && ready.size) {
        const item = ready.pop()!;
        const lane = item.lane;
        if (lane.where !== 'ready') continue;
        if (skipLanes.has(lane.id)) {
          passed.push(item);
          continue;
        }
        const e = lane.queue.peek()!;
        lane.where = 'busy';
        e.attempts++;
        out.push({
          key: e.key,
          op: e.op,
          to: e.to,
          threadOf: e.threadOf,
          of: e.of,
          lane: e.lane,
          body: bodies.get(e.hash),
          attempts: e.attempts,
          interrupted: e.interrupted,
        });
        e.interrupted = false;
      }
      for (const item of passed) ready.push(item);
      if (out.length)
        writeNow(
          out.map((c) => ({ t: 'attempt', key: c.key, at: now })),
          'send attempts',
        );
      return out;
    },

    async record(key, _owner, result: SendResult, now) {
      const e = entries.get(key);
      if (!e) return;
      const lane = lanes.get(e.lane);
      e.state = result.state;
      e.changedAt = now;
      if (result.state === 'sent') {
        e.conversationId = result.conversationId || e.conversationId;
        e.activityId = result.activityId || e.activityId;
        e.error = undefined;
      } else e.error = result.error;
      e.notBefore = result.state === 'pending' ? result.notBefore : 0;
      // Written before anything else happens: a kill -9 right after cannot make us send it again.
      writeNow([stateRecord(e)], 'delivery state');
      if (lane) {
        if (result.state !== 'pending') lane.queue.shift();
        lane.where = 'idle';
        place(lane, now);
      }
    },

    async status(key): Promise<StoredStatus | undefined> {
      const e = entries.get(key);
      if (!e) return undefined;
      return {
        key: e.key,
        state: e.state,
        attempts: e.attempts,
        lane: e.lane,
        conversationId: e.conversationId,
        activityId: e.activityId,
        error: e.error,
      };
    },

    async nextDue() {
      while (sleeping.size) {
        const { lane, at } = sleeping.peek()!;
        if (lane.where === 'sleeping' && lane.wakeAt === at) return at;
        sleeping.pop();
      }
      return Infinity;
    },

    // Pruned as the journal was compacted at open; nobody else writes to the file.
    async start() {},

    close: () => journal.close(),
  };
}

/**
 * What a restart keeps: every message still pending (with a claim it never heard back from, so
 * the engine can tell an interrupted send), the messages they update or reply in, and finished
 * ones younger than the retention (so `status` and later updates still find them).
 */
function compact(records: JournalRecord[], keepDoneAfter: number): JournalRecord[] {
  const bodies = new Map<string, unknown>();
  const messages = new Map<
    string,
    {
      msg: Extract<JournalRecord, { t: 'msg' }>;
      state?: Extract<JournalRecord, { t: 'state' }>;
      attempt?: Extract<JournalRecord, { t: 'attempt' }>;
    }
  >();
  for (const r of records) {
    if (r?.t === 'reply') bodies.set(r.h, r.reply);
    else if (r?.t === 'msg' && !messages.has(r.key) && bodies.has(r.h))
      messages.set(r.key, { msg: r });
    else if (r?.t === 'state') {
      const m = messages.get(r.key);
      if (m) Object.assign(m, { state: r, attempt: undefined });
    } else if (r?.t === 'attempt') {
      const m = messages.get(r.key);
      if (m) m.attempt = r;
    }
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
  for (const [key, { msg, state, attempt }] of messages) {
    if (!keep.has(key)) continue;
    if (!written.has(msg.h)) {
      written.add(msg.h);
      out.push({ t: 'reply', h: msg.h, reply: bodies.get(msg.h)! });
    }
    out.push(msg);
    if (state) out.push(state);
    if (attempt && (!state || state.state === 'pending')) out.push(attempt);
  }
  return out;
}
