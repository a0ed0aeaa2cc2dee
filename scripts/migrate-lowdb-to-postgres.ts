/**
 * Moves a lowdb DATA_DIR into the PostgreSQL database of DATABASE_URL, then checks the counts.
 *
 *   DATA_DIR=./data DATABASE_URL=postgres://… npm run migrate:lowdb-to-postgres
 *
 * Run it with the bot stopped. It only reads DATA_DIR. A second run adds nothing: rows are keyed
 * (a row already in the database is left as it is), and each log file is copied once.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { loadConfig } from '../src/config.js';
import type { Notice } from '../src/outages/notice.js';
import type { OutgoingMessage } from '../src/outbox/outbox.js';
import { INTERRUPTED, resendsAfterInterruption } from '../src/outbox/policy.js';
import type { Recipient } from '../src/recipients/repository.js';
import { inTransaction, openPostgres, pgText } from '../src/storage/postgres/open.js';
import type { Ticket } from '../src/tickets/ticket.js';

async function readJson<T>(file: string, empty: T): Promise<T> {
  try {
    return { ...empty, ...(JSON.parse(await fs.readFile(file, 'utf8')) as T) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return empty;
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}

async function readLines(file: string): Promise<unknown[]> {
  let content = '';
  try {
    content = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: unknown[] = [];
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // A line cut short by a crash mid-append, as the bot itself skips it.
    }
  }
  return out;
}

/** The journal outbox's records, folded into one row per message (its last state). */
interface OutboxRow {
  key: string;
  op: string;
  to: string | null;
  threadOf: string | null;
  of: string | null;
  hash: string;
  bulk: boolean;
  lane: string;
  state: string;
  attempts: number;
  conversationId: string | null;
  activityId: string | null;
  error: string | null;
  at: number;
  changedAt: number;
}

function foldJournal(records: any[]) {
  const replies = new Map<string, unknown>();
  const messages = new Map<string, OutboxRow>();
  for (const r of records) {
    if (r?.t === 'reply') replies.set(r.h, r.reply);
    else if (r?.t === 'msg' && !messages.has(r.key) && replies.has(r.h)) {
      const to = r.to && 'recipientId' in r.to ? String(r.to.recipientId) : null;
      const threadOf = r.to && 'threadOf' in r.to ? String(r.to.threadOf) : null;
      // The lane, as the journal outbox finds it: the recipient, or that of the message referred to.
      const ref =
        r.op === 'update' ? messages.get(r.of) : threadOf ? messages.get(threadOf) : undefined;
      const lane = to ?? ref?.lane ?? '';
      messages.set(r.key, {
        key: r.key,
        op: r.op,
        to,
        threadOf,
        of: r.op === 'update' ? r.of : null,
        hash: r.h,
        bulk: r.bulk === true,
        lane,
        state: lane ? 'pending' : 'failed',
        attempts: 0,
        conversationId: null,
        activityId: null,
        error: lane ? null : 'unknown message',
        at: r.at,
        changedAt: r.at,
      });
    } else if (r?.t === 'state') {
      const m = messages.get(r.key);
      if (m)
        Object.assign(m, {
          state: r.state,
          attempts: r.attempts,
          conversationId: r.conversationId ?? null,
          activityId: r.activityId ?? null,
          error: r.error ?? null,
          changedAt: r.at,
        });
    } else if (r?.t === 'attempt') {
      // Claimed with no result after it: cut off mid-send. As the outbox would decide on its
      // next claim: a new Teams message is reported, not sent again; anything else goes again.
      const m = messages.get(r.key);
      if (m?.state !== 'pending') continue;
      m.attempts++;
      if (!resendsAfterInterruption(m.op as OutgoingMessage['op']))
        Object.assign(m, { state: 'failed', error: INTERRUPTED, changedAt: r.at });
    }
  }
  return { replies, messages: [...messages.values()] };
}

async function countIn(
  pool: pg.Pool,
  table: string,
  column: string,
  keys: string[],
): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table} WHERE ${column} = ANY($1::text[])`,
    [keys],
  );
  return Number(rows[0].n);
}

/** Copies a log file once; returns how many entries the database holds from it. */
async function importLog(
  pool: pg.Pool,
  file: string,
  table: 'question_log' | 'call_log',
): Promise<{ file: number; db: number }> {
  const entries = await readLines(file);
  const name = path.basename(file);
  await inTransaction(pool, async (client) => {
    const { rowCount } = await client.query(
      'INSERT INTO lowdb_imports (file, entries) VALUES ($1, $2) ON CONFLICT DO NOTHING',
      [name, entries.length],
    );
    if (rowCount !== 1) return; // copied by an earlier run
    for (let i = 0; i < entries.length; i += 1000)
      await client.query(
        `INSERT INTO ${table} (entry) SELECT e FROM unnest($1::json[]) WITH ORDINALITY AS x(e, i) ORDER BY i`,
        [entries.slice(i, i + 1000).map((e) => JSON.stringify(e))],
      );
  });
  const { rows } = await pool.query<{ entries: number }>(
    'SELECT entries FROM lowdb_imports WHERE file = $1',
    [name],
  );
  return { file: entries.length, db: rows[0].entries };
}

export async function migrateLowdbToPostgres(dataDir: string, databaseUrl: string) {
  const pool = await openPostgres({ url: databaseUrl, poolSize: 4 });
  try {
    const { recipients } = await readJson<{ recipients: Record<string, Recipient> }>(
      path.join(dataDir, 'recipients.json'),
      { recipients: {} },
    );
    const tickets = await readJson<{
      lastNumber: number;
      tickets: Record<string, Ticket>;
      notified: Record<string, number>;
    }>(path.join(dataDir, 'tickets.json'), { lastNumber: 0, tickets: {}, notified: {} });
    const channels = await readJson<{
      channels: Record<string, string>;
      staff: Record<string, string>;
    }>(path.join(dataDir, 'support-channels.json'), { channels: {}, staff: {} });
    const notices = await readJson<{ notices: Record<string, Notice>; channels: string[] }>(
      path.join(dataDir, 'notices.json'),
      { notices: {}, channels: [] },
    );
    const outbox = foldJournal(await readLines(path.join(dataDir, 'outbox.jsonl')));

    await inTransaction(pool, async (c) => {
      for (const r of Object.values(recipients))
        await c.query(
          `INSERT INTO recipients (id, kind, name, tenant_id, reference, first_seen_at, gone_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [
            pgText(r.id),
            r.kind,
            pgText(r.name),
            pgText(r.tenantId),
            JSON.stringify(r.reference ?? null),
            r.firstSeenAt,
            r.goneAt ?? null,
          ],
        );
      for (const t of Object.values(tickets.tickets))
        await c.query(
          `INSERT INTO tickets (id, number, version, draft_id, requester_id, status, opened_at, notified, data)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
          [
            t.id,
            t.number,
            t.version,
            pgText(t.draftId),
            pgText(t.requester.id),
            t.status,
            t.openedAt,
            tickets.notified?.[t.id] ?? 0,
            JSON.stringify(t),
          ],
        );
      // The sequence goes on past every number lowdb handed out, and never back.
      const { rows: top } = await c.query<{ n: string }>(
        'SELECT COALESCE(max(number), 0) AS n FROM tickets',
      );
      const { rows: seq } = await c.query<{ last_value: string; is_called: boolean }>(
        'SELECT last_value, is_called FROM ticket_numbers',
      );
      const next = Math.max(
        tickets.lastNumber ?? 0,
        Number(top[0].n),
        seq[0].is_called ? Number(seq[0].last_value) : 0,
      );
      if (next > 0) await c.query("SELECT setval('ticket_numbers', $1)", [next]);
      for (const [name, recipientId] of Object.entries(channels.channels))
        await c.query(
          'INSERT INTO support_channels (name, recipient_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [pgText(name), pgText(recipientId)],
        );
      for (const [id, name] of Object.entries(channels.staff))
        await c.query(
          'INSERT INTO support_staff (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [pgText(id), pgText(name)],
        );
      for (const n of Object.values(notices.notices)) {
        await c.query(
          'INSERT INTO notices (id, version, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [n.id, n.version, JSON.stringify({ ...n, affectedUsers: [] })],
        );
        for (const u of n.affectedUsers)
          await c.query(
            'INSERT INTO notice_affected_users (notice_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
            [n.id, pgText(u)],
          );
      }
      for (const ch of notices.channels)
        await c.query(
          'INSERT INTO announcement_channels (recipient_id) VALUES ($1) ON CONFLICT DO NOTHING',
          [pgText(ch)],
        );
      for (const [hash, reply] of outbox.replies)
        await c.query(
          'INSERT INTO outbox_replies (hash, reply) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [hash, JSON.stringify(reply)],
        );
      // Every message, sent ones too: a ticket's channel card is updated later by its outbox key.
      for (const m of outbox.messages)
        await c.query(
          `INSERT INTO outbox_messages (key, op, to_recipient, thread_of, of_key, reply_hash, bulk, lane, state, attempts, conversation_id, activity_id, error, enqueued_at, changed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`,
          [
            m.key,
            m.op,
            m.to && pgText(m.to),
            m.threadOf,
            m.of,
            m.hash,
            m.bulk,
            pgText(m.lane),
            m.state,
            m.attempts,
            m.conversationId,
            m.activityId,
            m.error,
            m.at,
            m.changedAt,
          ],
        );
    });
    const questions = await importLog(pool, path.join(dataDir, 'questions.jsonl'), 'question_log');
    const calls = await importLog(pool, path.join(dataDir, 'calls.jsonl'), 'call_log');

    const ids = (o: Record<string, unknown>) => Object.keys(o).map(pgText);
    const pending = outbox.messages.filter((m) => m.state === 'pending').map((m) => m.key);
    const checks = [
      {
        what: 'recipients',
        lowdb: Object.keys(recipients).length,
        postgres: await countIn(pool, 'recipients', 'id', ids(recipients)),
      },
      {
        what: 'tickets',
        lowdb: Object.keys(tickets.tickets).length,
        postgres: await countIn(pool, 'tickets', 'id', ids(tickets.tickets)),
      },
      {
        what: 'support channels',
        lowdb: Object.keys(channels.channels).length,
        postgres: await countIn(pool, 'support_channels', 'name', ids(channels.channels)),
      },
      {
        what: 'staff',
        lowdb: Object.keys(channels.staff).length,
        postgres: await countIn(pool, 'support_staff', 'id', ids(channels.staff)),
      },
      {
        what: 'notices',
        lowdb: Object.keys(notices.notices).length,
        postgres: await countIn(pool, 'notices', 'id', ids(notices.notices)),
      },
      {
        what: 'announcement channels',
        lowdb: notices.channels.length,
        postgres: await countIn(
          pool,
          'announcement_channels',
          'recipient_id',
          notices.channels.map(pgText),
        ),
      },
      {
        what: 'outbox messages',
        lowdb: outbox.messages.length,
        postgres: await countIn(
          pool,
          'outbox_messages',
          'key',
          outbox.messages.map((m) => m.key),
        ),
      },
      {
        what: 'outbox pending',
        lowdb: pending.length,
        postgres: await countIn(pool, 'outbox_messages', 'key', pending),
      },
      { what: 'question log', lowdb: questions.file, postgres: questions.db },
      { what: 'call log', lowdb: calls.file, postgres: calls.db },
    ];
    return { checks, ok: checks.every((c) => c.lowdb === c.postgres) };
  } finally {
    await pool.end();
  }
}

// Run as a script (not when a test imports it).
if (
  process.argv[1] &&
  path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)
) {
  const config = loadConfig(process.env);
  if (!config.DATABASE_URL) {
    process.stderr.write(
      'Set DATABASE_URL (postgres://…) and DATA_DIR (the lowdb folder to move).\n',
    );
    process.exit(2);
  }
  const { checks, ok } = await migrateLowdbToPostgres(config.DATA_DIR, config.DATABASE_URL);
  for (const c of checks)
    process.stdout.write(
      `${c.lowdb === c.postgres ? 'ok ' : 'MISMATCH'} ${c.what}: lowdb ${c.lowdb}, PostgreSQL ${c.postgres}\n`,
    );
  process.stdout.write(
    ok ? `All of ${config.DATA_DIR} is in the database.\n` : 'Counts differ: see MISMATCH above.\n',
  );
  process.exit(ok ? 0 : 1);
}
