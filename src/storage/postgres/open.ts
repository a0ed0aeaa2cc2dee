import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PROJECT_ROOT } from '../../config.js';

/**
 * Versioned migrations, `NNN_name.sql`. Read from the source tree both under tsx and from
 * `dist/` (tsc copies no .sql files), so a build needs nothing extra to find them.
 */
export const MIGRATIONS_DIR = path.join(PROJECT_ROOT, 'src/storage/postgres/migrations');

/** Any fixed number: every instance of the bot takes the same advisory lock to migrate. */
const MIGRATION_LOCK = 0x5e5a_0008;

export interface PostgresOptions {
  url: string;
  /** Connections per instance; the outbox's sender and the turns share them. */
  poolSize?: number;
}

/** Opens a pool and brings the schema up to date before anything else uses it. */
export async function openPostgres(o: PostgresOptions): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: o.url, max: o.poolSize ?? 10 });
  // An idle connection the server dropped (failover, restart) must not crash the process; the
  // pool replaces it and the next query fails or succeeds on its own.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }
  return pool;
}

/**
 * Applies the migrations not yet in `schema_migrations`, in one transaction under an advisory
 * lock: two instances starting together apply each file once, and a failing file leaves none.
 */
export async function migrate(pool: pg.Pool, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = (await fs.readdir(dir)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ version: string }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: string[] = [];
    for (const file of files) {
      const version = file.replace(/\.sql$/, '');
      if (done.has(version)) continue;
      await client.query(await fs.readFile(path.join(dir, file), 'utf8'));
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      applied.push(version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Runs `work` in a transaction on one connection of the pool. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * PostgreSQL text cannot hold a NUL character; lowdb could. Names and ids come from Teams and
 * may carry one (a fuzzer's, or a hostile client's), so it becomes U+FFFD rather than a failed turn.
 */
export const pgText = (s: string) => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);
