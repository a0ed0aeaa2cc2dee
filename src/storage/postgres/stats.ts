import type pg from 'pg';
import type { LogEntry } from '../../conversation/question-log.js';
import type { Log } from '../../log.js';
import type { CallEntry } from '../../stats/calls.js';
import type { GapChange, GapGroup } from '../../stats/gaps.js';
import { previousQuarter, quarterOf, type QuarterKey } from '../../stats/quarter.js';
import type { StatsStore, StatsStoreDeps } from '../../stats/store.js';
import {
  emptyCounts,
  isCounterName,
  tally,
  type CategoryCounts,
  type CountedEntry,
  type CounterName,
  type QuestionMemo,
  type TallySink,
} from '../../stats/tally.js';
import { inTransaction, pgText } from './open.js';

/** Any fixed number: one instance at a time counts lines logged before the counters existed. */
const CATCH_UP_LOCK = 0x5e5a_0014;
const CATCH_UP_BATCH = 5000;

interface GapRow {
  quarter: QuarterKey;
  key: string;
  noAnswer: number;
  notHelpful: number;
  examples: string[];
  topicIds: string[];
}

/**
 * One transaction's changes to the counters: what `tally` says, summed per row, then written
 * with one statement per table. Rows are written in key order, so two instances counting at once
 * lock them in the same order and never deadlock.
 */
class TransactionTally implements TallySink {
  private readonly counters = new Map<string, number>();
  private readonly gaps = new Map<string, GapRow>();
  private readonly memos = new Map<string, QuestionMemo>();
  private readonly changed = new Set<string>();

  count(quarter: QuarterKey, category: string, counter: CounterName, delta: number): void {
    const key = `${quarter}\u0000${pgText(category)}\u0000${counter}`;
    this.counters.set(key, (this.counters.get(key) ?? 0) + delta);
  }

  gap(c: GapChange): void {
    const id = `${c.quarter}\u0000${pgText(c.key)}`;
    let g = this.gaps.get(id);
    if (!g)
      this.gaps.set(
        id,
        (g = {
          quarter: c.quarter,
          key: pgText(c.key),
          noAnswer: 0,
          notHelpful: 0,
          examples: [],
          topicIds: [],
        }),
      );
    g[c.kind] += c.delta;
    const example = c.example && pgText(c.example);
    const topicId = c.topicId && pgText(c.topicId);
    if (c.delta > 0 && example && !g.examples.includes(example) && g.examples.length < 3)
      g.examples.push(example);
    if (c.delta > 0 && topicId && !g.topicIds.includes(topicId) && g.topicIds.length < 3)
      g.topicIds.push(topicId);
  }

  question(id: string): QuestionMemo | undefined {
    return this.memos.get(id);
  }

  remember(id: string, memo: QuestionMemo): void {
    this.memos.set(id, memo);
    this.changed.add(id);
  }

  /** Reads (and locks) the remembered questions the entries' 👍/👎 and picks refer to. */
  async load(c: pg.PoolClient, entries: CountedEntry[]): Promise<void> {
    const ids = [
      ...new Set(
        entries
          .filter((e) => e && (e.kind === 'feedback' || e.kind === 'choice'))
          .map((e) => (e as { questionId?: unknown }).questionId)
          .filter((id): id is string => typeof id === 'string')
          .map(pgText),
      ),
    ].sort();
    if (!ids.length) return;
    const { rows } = await c.query<{
      id: string;
      quarter: QuarterKey;
      category: string;
      text: string;
      helpful: boolean | null;
      picked: boolean;
    }>(
      'SELECT id, quarter, category, text, helpful, picked FROM stats_questions WHERE id = ANY($1) ORDER BY id FOR UPDATE',
      [ids],
    );
    for (const r of rows)
      this.memos.set(r.id, {
        quarter: r.quarter,
        category: r.category,
        text: r.text,
        ...(r.helpful === null ? {} : { helpful: r.helpful }),
        ...(r.picked ? { picked: true } : {}),
      });
  }

  async flush(c: pg.PoolClient): Promise<void> {
    const counts = [...this.counters]
      .filter(([, d]) => d !== 0)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (counts.length) {
      const cols = counts.map(([k]) => k.split('\u0000'));
      await c.query(
        `INSERT INTO stats_counts (quarter, category, counter, value)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
         ON CONFLICT (quarter, category, counter) DO UPDATE SET value = stats_counts.value + EXCLUDED.value`,
        [
          cols.map((x) => x[0]),
          cols.map((x) => x[1]),
          cols.map((x) => x[2]),
          counts.map(([, d]) => d),
        ],
      );
    }
    const gaps = [...this.gaps].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, g]) => g);
    if (gaps.length) {
      // A 👎 taken back may arrive as -1 for a row this statement creates; the ranking skips
      // rows whose count is not above 0, and an existing row never goes below 0.
      const firstThree = (column: string) =>
        `CASE WHEN jsonb_array_length(g.${column}) >= 3 THEN g.${column} ELSE (
           SELECT COALESCE(jsonb_agg(e ORDER BY n), '[]'::jsonb) FROM (
             SELECT e, min(n) AS n FROM jsonb_array_elements(g.${column} || EXCLUDED.${column})
               WITH ORDINALITY AS x(e, n) GROUP BY e ORDER BY min(n) LIMIT 3) s) END`;
      await c.query(
        `INSERT INTO stats_gaps AS g (quarter, key, no_answer, not_helpful, examples, topic_ids)
         SELECT q, k, na, nh, ex::jsonb, t::jsonb
         FROM unnest($1::text[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[]) AS u(q, k, na, nh, ex, t)
         ON CONFLICT (quarter, key) DO UPDATE SET
           no_answer = GREATEST(0, g.no_answer + EXCLUDED.no_answer),
           not_helpful = GREATEST(0, g.not_helpful + EXCLUDED.not_helpful),
           examples = ${firstThree('examples')},
           topic_ids = ${firstThree('topic_ids')}`,
        [
          gaps.map((g) => g.quarter),
          gaps.map((g) => g.key),
          gaps.map((g) => g.noAnswer),
          gaps.map((g) => g.notHelpful),
          gaps.map((g) => JSON.stringify(g.examples)),
          gaps.map((g) => JSON.stringify(g.topicIds)),
        ],
      );
    }
    const memos = [...this.changed].sort().map((id) => [id, this.memos.get(id)!] as const);
    if (memos.length)
      await c.query(
        `INSERT INTO stats_questions (id, quarter, category, text, helpful, picked)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[])
         ON CONFLICT (id) DO UPDATE SET helpful = EXCLUDED.helpful, picked = EXCLUDED.picked`,
        [
          memos.map(([id]) => pgText(id)),
          memos.map(([, m]) => m.quarter),
          memos.map(([, m]) => pgText(m.category)),
          memos.map(([, m]) => pgText(m.text)),
          memos.map(([, m]) => m.helpful ?? null),
          memos.map(([, m]) => m.picked ?? false),
        ],
      );
  }
}

export interface PostgresStatsOptions extends StatsStoreDeps {
  pool: pg.Pool;
  log?: Log;
}

/**
 * Statistics on PostgreSQL: a log line and the counters it moves are one transaction, and every
 * figure is read from the database, so every instance shows the same numbers once it commits.
 * A start counts only lines no counter has seen (written before this version): none, normally.
 */
export async function openPostgresStats(o: PostgresStatsOptions): Promise<StatsStore> {
  const { pool, categoryOfTopic } = o;

  async function count(c: pg.PoolClient, entries: CountedEntry[]) {
    const t = new TransactionTally();
    await t.load(c, entries);
    for (const e of entries) tally(e, t, categoryOfTopic);
    await t.flush(c);
  }

  async function catchUp(table: 'question_log' | 'call_log'): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await inTransaction(pool, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock($1)', [CATCH_UP_LOCK]);
        const { rows } = await c.query<{ seq: string; entry: CountedEntry }>(
          `SELECT seq, entry FROM ${table} WHERE NOT counted ORDER BY seq LIMIT $1`,
          [CATCH_UP_BATCH],
        );
        if (!rows.length) return 0;
        await count(
          c,
          rows.map((r) => r.entry),
        );
        await c.query(`UPDATE ${table} SET counted = true WHERE seq = ANY($1::bigint[])`, [
          rows.map((r) => r.seq),
        ]);
        return rows.length;
      });
      total += n;
      if (n < CATCH_UP_BATCH) return total;
    }
  }

  const caughtUp = (await catchUp('question_log')) + (await catchUp('call_log'));
  if (caughtUp) o.log?.info({ entries: caughtUp }, 'statistics: counted log lines from before');
  // A 👍/👎 comes within hours of its answer; remembered questions older than the previous
  // quarter only take space.
  await pool.query('DELETE FROM stats_questions WHERE quarter < $1', [
    previousQuarter(quarterOf(o.now())),
  ]);

  return {
    async append(entry: LogEntry) {
      await inTransaction(pool, async (c) => {
        await c.query('INSERT INTO question_log (entry, counted) VALUES ($1, true)', [
          JSON.stringify(entry),
        ]);
        await count(c, [entry]);
      });
    },

    async appendCall(entry: CallEntry) {
      await inTransaction(pool, async (c) => {
        await c.query('INSERT INTO call_log (entry, counted) VALUES ($1, true)', [
          JSON.stringify(entry),
        ]);
        await count(c, [entry]);
      });
    },

    async counts(quarters) {
      const out = new Map<QuarterKey, Map<string, CategoryCounts>>(
        quarters.map((q) => [q, new Map()]),
      );
      const { rows } = await pool.query<{
        quarter: QuarterKey;
        category: string;
        counter: string;
        value: string;
      }>(
        'SELECT quarter, category, counter, value FROM stats_counts WHERE quarter = ANY($1::text[])',
        [quarters],
      );
      for (const r of rows) {
        if (!isCounterName(r.counter)) continue; // counted by a newer version: not ours to show
        const byCategory = out.get(r.quarter)!;
        let c = byCategory.get(r.category);
        if (!c) byCategory.set(r.category, (c = emptyCounts()));
        c[r.counter] = Number(r.value);
      }
      return out;
    },

    async topGaps(quarter, k): Promise<GapGroup[]> {
      const { rows } = await pool.query<{
        key: string;
        no_answer: number;
        not_helpful: number;
        examples: string[];
        topic_ids: string[];
      }>(
        `SELECT key, no_answer, not_helpful, examples, topic_ids FROM stats_gaps
         WHERE quarter = $1 AND no_answer + not_helpful > 0
         ORDER BY no_answer + not_helpful DESC, key LIMIT $2`,
        [quarter, k],
      );
      return rows.map((r) => ({
        key: r.key,
        noAnswer: r.no_answer,
        notHelpful: r.not_helpful,
        examples: r.examples,
        topicIds: r.topic_ids,
      }));
    },

    async quarters() {
      const { rows } = await pool.query<{ quarter: QuarterKey }>(
        'SELECT DISTINCT quarter FROM stats_counts ORDER BY quarter DESC',
      );
      return rows.map((r) => r.quarter);
    },

    async close() {
      // Nothing is held here: every count is in the database once append resolves.
    },
  };
}
