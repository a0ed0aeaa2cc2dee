import type pg from 'pg';
import type { LogEntry, QuestionLog } from '../../conversation/question-log.js';

/** Reads a log table a page at a time, oldest first, so a year of questions is never in memory at once. */
export async function* readLog<T>(
  pool: pg.Pool,
  table: 'question_log' | 'call_log',
  pageSize = 1000,
): AsyncIterable<T> {
  let after = 0;
  for (;;) {
    const { rows } = await pool.query<{ seq: string; entry: T }>(
      `SELECT seq, entry FROM ${table} WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, pageSize],
    );
    for (const r of rows) yield r.entry;
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/** The question log as rows: an append is one insert, shared by every instance. */
export class PostgresQuestionLog implements QuestionLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(entry: LogEntry) {
    await this.pool.query('INSERT INTO question_log (entry) VALUES ($1)', [JSON.stringify(entry)]);
  }

  readAll(): AsyncIterable<LogEntry> {
    return readLog<LogEntry>(this.pool, 'question_log');
  }
}
