import type pg from 'pg';
import type { DeliveryState } from '../../outbox/outbox.js';
import type { Claimed, Op, OutboxStore, StoredStatus } from '../../outbox/store.js';
import { inTransaction, pgText } from './open.js';

interface ClaimedRow {
  interrupted: boolean;
  key: string;
  op: Op;
  to_recipient: string | null;
  thread_of: string | null;
  of_key: string | null;
  lane: string;
  attempts: number;
  body: unknown;
}

const CHANNEL = 'outbox_enqueued';

/**
 * The outbox store on PostgreSQL, shared by every instance. An instance claims due lane heads
 * with `FOR UPDATE SKIP LOCKED` and a lease, so a message is sent by one instance; only the head
 * of a lane (its oldest pending message) can be claimed, so a lane still sends one at a time in
 * order whichever instance takes it. A claim whose lease ran out with no result (its instance
 * died mid-send) comes back marked interrupted. Bodies live in `outbox_replies` by content hash.
 */
export function createPostgresOutboxStore(
  pool: pg.Pool,
  /** How long a claimed message stays its owner's; a crashed instance's claims return after it. */
  leaseMs: number,
): OutboxStore {
  let listener: pg.PoolClient | undefined;
  let closed = false;

  return {
    async enqueue(items, now) {
      const bodies = new Map<string, string>();
      for (const m of items) bodies.set(m.hash, m.body);
      await inTransaction(pool, async (client) => {
        await client.query(
          'INSERT INTO outbox_replies (hash, reply) SELECT * FROM unnest($1::text[], $2::json[]) ON CONFLICT DO NOTHING',
          [[...bodies.keys()], [...bodies.values()]],
        );
        // In order, so an update may name a message of the same batch. Messages straight to a
        // lane (a broadcast's 10,000) go in runs of one statement; one that updates or replies
        // in an earlier message finds its lane from it. A key stored before is left as it is.
        for (let i = 0; i < items.length;) {
          let j = i;
          while (j < items.length && items[j].to !== undefined) j++;
          if (j > i) {
            const run = items.slice(i, j);
            await client.query(
              `INSERT INTO outbox_messages (key, op, to_recipient, reply_hash, bulk, lane, state, enqueued_at, changed_at)
               SELECT k, op, r, h, b, r, 'pending', $6, $6
               FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bool[]) WITH ORDINALITY AS x(k, op, r, h, b, i)
               ORDER BY i
               ON CONFLICT (key) DO NOTHING`,
              [
                run.map((r) => r.key),
                run.map((r) => r.op),
                run.map((r) => pgText(r.to!)),
                run.map((r) => r.hash),
                run.map((r) => r.bulk),
                now,
              ],
            );
            i = j;
            continue;
          }
          const row = items[i++];
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
            [
              row.key,
              row.op,
              row.threadOf ?? null,
              row.op === 'update' ? (row.of ?? null) : null,
              row.hash,
              row.bulk,
              now,
            ],
          );
        }
        // Every instance listening is told on commit, so idle ones pick up a share of a broadcast.
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, '']);
      });
      // A broadcast can grow the table tenfold at once, faster than autovacuum notices: fresh
      // statistics keep the claim on its indexes.
      if (items.length >= 1000) await pool.query('ANALYZE outbox_messages');
    },

    /**
     * Due heads of lanes, interactive first, oldest first. SKIP LOCKED: what another instance is
     * claiming right now is passed over, not waited for; the lease conditions sit on the locked
     * row itself so PostgreSQL re-checks them against a claim committed meanwhile. "Head of its
     * lane" is a scalar subquery, not NOT EXISTS: that stays one index probe per row whatever the
     * statistics say, where an anti join planned on a freshly filled table took seconds.
     */
    async claim(owner, now, max, skipLanes) {
      const { rows } = await pool.query<ClaimedRow>(
        `WITH due AS (
           SELECT m.key, m.lease_until AS expired_lease FROM outbox_messages m
           WHERE m.state = 'pending' AND m.not_before <= $1 AND (m.lease_until IS NULL OR m.lease_until < $1)
             AND m.seq = (SELECT min(p.seq) FROM outbox_messages p WHERE p.lane = m.lane AND p.state = 'pending')
             AND m.lane <> ALL($5::text[])
           ORDER BY m.bulk, m.seq
           LIMIT $2
           FOR UPDATE OF m SKIP LOCKED)
         UPDATE outbox_messages m SET lease_owner = $3, lease_until = $4, attempts = m.attempts + 1
         FROM due, outbox_replies r
         WHERE m.key = due.key AND r.hash = m.reply_hash
         RETURNING (due.expired_lease IS NOT NULL) AS interrupted, m.key, m.op, m.to_recipient, m.thread_of, m.of_key, m.lane, m.attempts, r.reply AS body`,
        [now, max, owner, now + leaseMs, [...skipLanes]],
      );
      return rows.map((r): Claimed => ({
        key: r.key,
        op: r.op,
        to: r.to_recipient ?? undefined,
        threadOf: r.thread_of ?? undefined,
        of: r.of_key ?? undefined,
        lane: r.lane,
        body: r.body,
        attempts: r.attempts,
        interrupted: r.interrupted,
      }));
    },

    async record(key, owner, result, now) {
      // The lease ends; lease_owner stays, as a record of which instance tried last.
      const { rowCount } = await pool.query(
        `UPDATE outbox_messages SET state = $3, conversation_id = COALESCE($4, conversation_id), activity_id = COALESCE($5, activity_id),
           error = $6, not_before = $7, changed_at = $8, lease_until = NULL
         WHERE key = $1 AND lease_owner = $2`,
        [
          key,
          owner,
          result.state,
          result.state === 'sent' ? result.conversationId || null : null,
          result.state === 'sent' ? result.activityId || null : null,
          result.state === 'sent' ? null : result.error,
          result.state === 'pending' ? result.notBefore : 0,
          now,
        ],
      );
      // Only if this send outlasted its lease and another instance took the message over.
      if (rowCount !== 1)
        throw new Error('lease lost while sending: the message may be sent twice');
    },

    async status(key) {
      const { rows } = await pool.query<{
        key: string;
        state: DeliveryState;
        attempts: number;
        lane: string;
        conversation_id: string | null;
        activity_id: string | null;
        error: string | null;
      }>(
        'SELECT key, state, attempts, lane, conversation_id, activity_id, error FROM outbox_messages WHERE key = $1',
        [key],
      );
      const r = rows[0];
      if (!r) return undefined;
      const s: StoredStatus = { key: r.key, state: r.state, attempts: r.attempts, lane: r.lane };
      if (r.conversation_id) s.conversationId = r.conversation_id;
      if (r.activity_id) s.activityId = r.activity_id;
      if (r.error) s.error = r.error;
      return s;
    },

    async nextDue(now) {
      const { rows } = await pool.query<{ at: string | null }>(
        `SELECT min(GREATEST(not_before, COALESCE(lease_until + 1, 0))) AS at FROM outbox_messages
         WHERE state = 'pending' AND (not_before > $1 OR lease_until >= $1)`,
        [now],
      );
      return rows[0].at === null ? Infinity : Number(rows[0].at);
    },

    async start({ pruneBefore, onWork }) {
      // Finished messages past the retention go, unless a pending one still updates or replies in them.
      await pool.query(
        `DELETE FROM outbox_messages m WHERE m.state <> 'pending' AND m.changed_at < $1
           AND NOT EXISTS (SELECT 1 FROM outbox_messages d WHERE d.state = 'pending' AND (d.of_key = m.key OR d.thread_of = m.key))`,
        [pruneBefore],
      );
      await pool.query(
        'DELETE FROM outbox_replies r WHERE NOT EXISTS (SELECT 1 FROM outbox_messages m WHERE m.reply_hash = r.hash)',
      );
      const client = await pool.connect();
      if (closed) return client.release();
      listener = client;
      client.on('notification', () => onWork());
      await client.query(`LISTEN ${CHANNEL}`);
    },

    async close() {
      closed = true;
      if (!listener) return;
      const client = listener;
      listener = undefined;
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.release();
    },
  };
}
