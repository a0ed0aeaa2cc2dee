import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Reply } from '../../conversation/replies.js';
import { contentHash } from '../../outbox/journal.js';
import type { OutboxOptions } from '../../outbox/journal-outbox.js';
import {
  type DeliveryState,
  type DeliveryStatus,
  type Outbox,
  type OutgoingMessage,
} from '../../outbox/outbox.js';
import { createWakeTimer } from '../../outbox/clock.js';
import { Pacer } from '../../outbox/pacer.js';
import {
  checkMessage,
  createBackoff,
  decideAfterFailure,
  INTERRUPTED,
  Skip,
} from '../../outbox/policy.js';
import { inTransaction, pgText } from './open.js';

export interface PostgresOutboxOptions extends Omit<OutboxOptions, 'file'> {
  pool: pg.Pool;
  /** How long a claimed message stays this instance's; a crashed instance's claims return after it. */
  leaseMs?: number;
  /** How often to look for work other instances enqueued, when no notification says so. */
  pollMs?: number;
}

interface Row {
  /** Claimed before by an instance that never recorded a result: it died mid-send. */
  interrupted: boolean;
  key: string;
  op: OutgoingMessage['op'];
  to_recipient: string | null;
  thread_of: string | null;
  of_key: string | null;
  lane: string;
  state: DeliveryState;
  attempts: number;
  conversation_id: string | null;
  activity_id: string | null;
  reply: Reply;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 200;
const CHANNEL = 'outbox_enqueued';

/**
 * The outbox on PostgreSQL, shared by every instance: the same promises as the journal outbox
 * (stored before enqueue resolves, idempotent by key, one message at a time per recipient and in
 * order, interactive before bulk, retries with jittered backoff honouring Retry-After, a 403/404
 * marks the recipient gone), with the sending split between instances.
 *
 * An instance claims due messages with `FOR UPDATE SKIP LOCKED` and a lease, so a message is
 * sent by one instance; only the head of a lane (its oldest pending message) can be claimed, so a
 * lane still sends one at a time in order whichever instance takes it. Pacing is per instance:
 * OUTBOX_APP_LIMITS is what one instance may send.
 */
export async function createPostgresOutbox(o: PostgresOutboxOptions): Promise<Outbox> {
  const random = o.random ?? Math.random;
  const backoff = createBackoff(o.backoffBaseMs, o.backoffMaxMs, random);
  const leaseMs = o.leaseMs ?? 60_000;
  const pollMs = o.pollMs ?? 1000;
  const me = randomUUID();
  const appPacer = new Pacer(o.appLimits, o.appBurst, o.clock.now());
  const lanePacers = new Map<string, Pacer>();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let stopped = false;
  const wakeTimer = createWakeTimer(o.clock, () => wake());
  let pumping: Promise<void> | null = null;
  let again = false;
  let listener: pg.PoolClient | undefined;
  let lastSweep = 0;

  function arm(at: number) {
    if (running) wakeTimer.arm(at);
  }

  /** Asks for a claim round; rounds never overlap, and one asked for during a round runs after it. */
  function wake() {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        try {
          await pump();
        } catch (e) {
          o.log.error({ err: (e as Error).message }, 'outbox claim failed, will try again');
          arm(o.clock.now() + pollMs);
        }
      } while (again && running);
      pumping = null;
    })();
  }

  async function pump() {
    const now = o.clock.now();
    const free = o.concurrency - inFlight.size;
    if (free <= 0) return;
    const appWait = appPacer.waitMs(now);
    if (appWait > 0) return arm(now + appWait);
    // As many as the app-wide buckets let through now (a token not used is a little burst lost).
    let want = 0;
    while (want < free && appPacer.waitMs(now) === 0) {
      appPacer.take(now);
      want++;
    }
    const claimed = await claim(want, now);
    if (now - lastSweep > 10_000) {
      lastSweep = now;
      // A lane with full buckets holds nothing worth keeping: forget it.
      for (const [lane, p] of lanePacers) if (p.isIdle(now)) lanePacers.delete(lane);
    }
    for (const row of claimed) {
      const done: Promise<void> = deliver(row).finally(() => {
        inFlight.delete(done);
        wake();
      });
      inFlight.add(done);
    }
    if (claimed.length === want)
      return arm(o.clock.now() + Math.max(1, appPacer.waitMs(o.clock.now()))); // maybe more
    // Nothing more due now: look again when the next retry or lease falls due, or at the poll
    // for work another instance enqueued without its notification reaching us.
    const { rows } = await o.pool.query<{ at: string | null }>(
      `SELECT min(GREATEST(not_before, COALESCE(lease_until + 1, 0))) AS at FROM outbox_messages
       WHERE state = 'pending' AND (not_before > $1 OR lease_until >= $1)`,
      [now],
    );
    const next = rows[0].at === null ? Infinity : Number(rows[0].at);
    arm(Math.min(next, o.clock.now() + pollMs));
  }

  /**
   * Due heads of lanes, interactive first, oldest first. SKIP LOCKED: what another instance is
   * claiming right now is passed over, not waited for; the lease conditions sit on the locked row
   * itself so PostgreSQL re-checks them against a claim committed meanwhile. "Head of its lane"
   * is a scalar subquery, not NOT EXISTS: that stays one index probe per row whatever the
   * statistics say, where an anti join planned on a freshly filled table took seconds.
   */
  async function claim(limit: number, now: number): Promise<Row[]> {
    const { rows } = await o.pool.query<Row>(
      `WITH due AS (
         SELECT m.key, m.lease_until AS expired_lease FROM outbox_messages m
         WHERE m.state = 'pending' AND m.not_before <= $1 AND (m.lease_until IS NULL OR m.lease_until < $1)
           AND m.seq = (SELECT min(p.seq) FROM outbox_messages p WHERE p.lane = m.lane AND p.state = 'pending')
         ORDER BY m.bulk, m.seq
         LIMIT $2
         FOR UPDATE OF m SKIP LOCKED)
       UPDATE outbox_messages m SET lease_owner = $3, lease_until = $4, attempts = m.attempts + 1
       FROM due, outbox_replies r
       WHERE m.key = due.key AND r.hash = m.reply_hash
       RETURNING (due.expired_lease IS NOT NULL) AS interrupted, m.key, m.op, m.to_recipient, m.thread_of, m.of_key, m.lane, m.state, m.attempts, m.conversation_id, m.activity_id, r.reply`,
      [now, limit, me, now + leaseMs],
    );
    return rows;
  }

  function lanePacer(lane: string, now: number): Pacer {
    let p = lanePacers.get(lane);
    if (!p) {
      p = new Pacer(o.conversationLimits, o.conversationBurst, now);
      lanePacers.set(lane, p);
    }
    return p;
  }

  async function deliver(row: Row): Promise<void> {
    // Per-conversation limits: the claim is ours (leased), so waiting for the lane's bucket here
    // holds nobody else up. A lane rarely has more than one message waiting outside a burst.
    const wait = lanePacer(row.lane, o.clock.now()).waitMs(o.clock.now());
    if (wait > 0) await new Promise<void>((r) => o.clock.setTimer(r, wait));
    lanePacer(row.lane, o.clock.now()).take(o.clock.now());

    let state: DeliveryState = 'pending';
    let error: string | null = null;
    let notBefore = 0;
    let landed: { conversationId: string; activityId: string } | undefined;
    try {
      // As the journal outbox: a send cut off by a crash may have arrived, and Teams cannot be
      // asked; sending it again could make it arrive twice, so it is reported instead. Edits are
      // idempotent and a ticket's thread must reach support, so those two go again.
      if (row.interrupted && row.op === 'send') throw new Skip('failed', INTERRUPTED);
      landed = await attempt(row);
      state = 'sent';
    } catch (e) {
      const decision = decide(row, e);
      error = decision.error.slice(0, MAX_ERROR_LENGTH);
      if (decision.retryInMs !== undefined && row.attempts < o.maxAttempts)
        notBefore = o.clock.now() + decision.retryInMs;
      else state = decision.state ?? 'failed';
      if (state === 'gone' && decision.markGone) {
        await o.recipients
          .markGone(decision.markGone, new Date(o.clock.now()))
          .catch((err: Error) =>
            o.log.error(
              { err: err.message, recipientId: decision.markGone },
              'could not mark recipient gone',
            ),
          );
      }
      o.log[state === 'pending' ? 'info' : 'warn'](
        {
          key: row.key,
          attempts: row.attempts,
          error,
          retryInMs: notBefore ? notBefore - o.clock.now() : undefined,
          state,
        },
        state === 'pending' ? 'send failed, will retry' : 'send given up',
      );
    }
    try {
      // The lease ends; lease_owner stays, as a record of which instance tried last.
      const { rowCount } = await o.pool.query(
        `UPDATE outbox_messages SET state = $3, conversation_id = COALESCE($4, conversation_id), activity_id = COALESCE($5, activity_id),
           error = $6, not_before = $7, changed_at = $8, lease_until = NULL
         WHERE key = $1 AND lease_owner = $2`,
        [
          row.key,
          me,
          state,
          landed?.conversationId ?? null,
          landed?.activityId ?? null,
          error,
          notBefore,
          o.clock.now(),
        ],
      );
      // Only if this send outlasted its lease and another instance took the message over.
      if (rowCount !== 1)
        o.log.error({ key: row.key }, 'lease lost while sending: the message may be sent twice');
    } catch (e) {
      // The send happened; only the record of it is at risk. Say so loudly, keep going.
      o.log.error({ key: row.key, err: (e as Error).message }, 'could not record delivery state');
    }
  }

  async function recipientRef(id: string): Promise<unknown> {
    const r = await o.recipients.get(id);
    if (!r) throw new Skip('failed', 'unknown recipient');
    if (r.goneAt) throw new Skip('gone', 'recipient gone');
    return r.reference;
  }

  /** Where an earlier message (the one updated, or the thread replied in) landed. */
  async function landedOf(
    key: string,
    what: string,
  ): Promise<{ conversationId: string; activityId: string }> {
    const { rows } = await o.pool.query<{
      state: DeliveryState;
      conversation_id: string;
      activity_id: string;
    }>('SELECT state, conversation_id, activity_id FROM outbox_messages WHERE key = $1', [key]);
    const r = rows[0];
    if (r?.state !== 'sent')
      throw new Skip(r?.state === 'gone' ? 'gone' : 'failed', `${what} ${r?.state ?? 'unknown'}`);
    return { conversationId: r.conversation_id, activityId: r.activity_id };
  }

  async function attempt(row: Row): Promise<{ conversationId: string; activityId: string }> {
    if (row.op === 'update') {
      const original = await landedOf(row.of_key!, 'original');
      const ref = o.sender.withConversation(await recipientRef(row.lane), original.conversationId);
      await o.sender.update(ref, original.activityId, row.reply);
      return original;
    }
    let ref: unknown;
    if (row.to_recipient !== null) ref = await recipientRef(row.to_recipient);
    else {
      const thread = await landedOf(row.thread_of!, 'thread');
      ref = o.sender.withConversation(await recipientRef(row.lane), thread.conversationId);
    }
    return row.op === 'create-thread'
      ? o.sender.createThread(ref, row.reply)
      : o.sender.send(ref, row.reply);
  }

  function decide(row: Row, err: unknown) {
    return decideAfterFailure(
      err,
      { op: row.op, attempts: row.attempts, recipientId: row.to_recipient ?? row.lane },
      backoff,
    );
  }

  /** Finished messages past the retention go, unless a pending one still updates or replies in them. */
  async function prune() {
    await o.pool.query(
      `DELETE FROM outbox_messages m WHERE m.state <> 'pending' AND m.changed_at < $1
         AND NOT EXISTS (SELECT 1 FROM outbox_messages d WHERE d.state = 'pending' AND (d.of_key = m.key OR d.thread_of = m.key))`,
      [o.clock.now() - o.retentionDays * DAY_MS],
    );
    await o.pool.query(
      'DELETE FROM outbox_replies r WHERE NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.reply_hash = r.hash)',
    );
  }

  return {
    async enqueue(messages) {
      if (stopped) throw new Error('The outbox is stopped');
      for (const m of messages) {
        const problem = checkMessage(m);
        if (problem)
          throw new TypeError(`Outbox message ${String(m?.key).slice(0, 100)}: ${problem}`);
      }
      if (!messages.length) return;
      const at = o.clock.now();
      const replies = new Map<string, string>();
      const rows = messages.map((m) => {
        // Serialised now: the caller may go on changing the object it handed us.
        const json = JSON.stringify(m.reply);
        const hash = contentHash(json);
        replies.set(hash, json);
        return {
          key: m.key,
          op: m.op,
          to: 'to' in m && m.to && 'recipientId' in m.to ? pgText(String(m.to.recipientId)) : null,
          threadOf: 'to' in m && m.to && 'threadOf' in m.to ? String(m.to.threadOf) : null,
          of: m.op === 'update' ? String(m.of) : null,
          hash,
          bulk: m.bulk === true,
        };
      });
      await inTransaction(o.pool, async (client) => {
        await client.query(
          'INSERT INTO outbox_replies (hash, reply) SELECT * FROM unnest($1::text[], $2::json[]) ON CONFLICT DO NOTHING',
          [[...replies.keys()], [...replies.values()]],
        );
        // In order, so an update may name a message of the same batch. Messages straight to a
        // recipient (a broadcast's 10,000) go in runs of one statement; one that updates or
        // replies in an earlier message finds its lane from it, as the journal outbox does.
        // A key enqueued before is left as it is: enqueueing is idempotent.
        for (let i = 0; i < rows.length;) {
          let j = i;
          while (j < rows.length && rows[j].to !== null) j++;
          if (j > i) {
            const run = rows.slice(i, j);
            await client.query(
              `INSERT INTO outbox_messages (key, op, to_recipient, reply_hash, bulk, lane, state, enqueued_at, changed_at)
               SELECT k, op, r, h, b, r, 'pending', $6, $6
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) WITH ORDINALITY AS x(k, op, r, h, b, i)
               ORDER BY i
               ON CONFLICT (key) DO NOTHING`,
              [
                run.map((r) => r.key),
                run.map((r) => r.op),
                run.map((r) => r.to),
                run.map((r) => r.hash),
                run.map((r) => r.bulk),
                at,
              ],
            );
            i = j;
            continue;
          }
          const row = rows[i++];
          await client.query(
            `INSERT INTO outbox_messages (key, op, thread_of, of_key, reply_hash, bulk, lane, state, error, enqueued_at, changed_at)
             SELECT $1, $2, $3, $4, $5, $6, COALESCE(l.lane, ''), CASE WHEN l.lane IS NULL THEN 'failed' ELSE 'pending' END,
               CASE WHEN l.lane IS NOT NULL THEN NULL
                    WHEN $3::text IS NOT NULL THEN 'unknown thread ' || left($3, 100)
                    WHEN $4::text IS NOT NULL THEN 'unknown message ' || left($4, 100)
                    ELSE 'no destination' END,
               $7, $7
             FROM (SELECT CASE
               WHEN $3::text IS NOT NULL THEN (SELECT NULLIF(t.lane, '') FROM outbox_messages t WHERE t.key = $3 AND t.op = 'create-thread')
               ELSE (SELECT NULLIF(t.lane, '') FROM outbox_messages t WHERE t.key = $4) END AS lane) l
             ON CONFLICT (key) DO NOTHING`,
            [row.key, row.op, row.threadOf, row.of, row.hash, row.bulk, at],
          );
        }
        // Every instance listening is told on commit, so idle ones pick up a share of a broadcast.
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, '']);
      });
      // A broadcast can grow the table tenfold at once, faster than autovacuum notices: fresh
      // statistics keep the claim on its indexes.
      if (rows.length >= 1000) await o.pool.query('ANALYZE outbox_messages');
      wake();
    },

    async status(key) {
      const { rows } = await o.pool.query<Row>(
        'SELECT key, state, attempts, conversation_id, activity_id, error FROM outbox_messages WHERE key = $1',
        [key],
      );
      const r = rows[0] as (Row & { error: string | null }) | undefined;
      if (!r) return undefined;
      const s: DeliveryStatus = { key: r.key, state: r.state, attempts: r.attempts };
      if (r.conversation_id) s.conversationId = r.conversation_id;
      if (r.activity_id) s.activityId = r.activity_id;
      if (r.error) s.error = r.error;
      return s;
    },

    start() {
      if (running || stopped) return;
      running = true;
      void (async () => {
        try {
          await prune();
          const client = await o.pool.connect();
          if (stopped) return client.release();
          listener = client;
          client.on('notification', () => wake());
          await client.query(`LISTEN ${CHANNEL}`);
        } catch (e) {
          // Without notifications the poll still finds the work, a little later.
          o.log.warn(
            { err: (e as Error).message },
            'outbox: no enqueue notifications, polling only',
          );
        }
        wake();
      })();
      wake();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      running = false;
      wakeTimer.clear();
      await pumping;
      await Promise.allSettled([...inFlight]);
      if (listener) {
        await listener.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
        listener.release();
        listener = undefined;
      }
    },
  };
}
