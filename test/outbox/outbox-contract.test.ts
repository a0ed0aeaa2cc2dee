import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { openLowdbStores, openPostgresStores } from '../../src/storage/open-stores.js';
import { tempDir } from '../support/bot.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { outboxContract } from './contract.js';

// One outbox engine, one contract, every store under it.

describe('outbox contract: journal (lowdb)', () => {
  let dir: string;
  outboxContract({
    open: async () => openLowdbStores((dir = await tempDir())),
    reopen: () => openLowdbStores(dir),
    // A claim writes an attempt line before the send; a kill -9 leaves it with no result after.
    cutOffMidSend: (keys) =>
      fs.appendFile(
        path.join(dir, 'outbox.jsonl'),
        keys.map((key) => `${JSON.stringify({ t: 'attempt', key, at: Date.now() })}\n`).join(''),
      ),
  });
});

describe('outbox contract: PostgreSQL', function () {
  let server: TestPostgres;
  let url: string;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());
  const config = () => ({
    DATA_DIR: '',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: 4,
    OUTBOX_LEASE_SECONDS: 60,
  });
  outboxContract({
    open: async () => {
      url = await server.freshDatabase();
      return openPostgresStores(config());
    },
    reopen: () => openPostgresStores(config()),
    // A claim takes a lease and counts the attempt; a killed instance's lease runs out unrecorded.
    cutOffMidSend: async (keys) => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        await db.query(
          "UPDATE outbox_messages SET lease_owner = 'dead', lease_until = $2, attempts = attempts + 1 WHERE key = ANY($1)",
          [keys, Date.now() - 1],
        );
      } finally {
        await db.end();
      }
    },
  });
});
