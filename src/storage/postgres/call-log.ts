import type pg from 'pg';
import type { CallEntry, CallLog } from '../../stats/calls.js';
import { readLog } from './question-log.js';

/** Registered phone calls as rows, like the question log. */
export class PostgresCallLog implements CallLog {
  constructor(private readonly pool: pg.Pool) {}

  async append(entry: CallEntry) {
    await this.pool.query('INSERT INTO call_log (entry) VALUES ($1)', [JSON.stringify(entry)]);
  }

  readAll(): AsyncIterable<CallEntry> {
    return readLog<CallEntry>(this.pool, 'call_log');
  }
}
