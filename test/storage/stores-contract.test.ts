import { openLowdbStores, openPostgresStores } from '../../src/storage/open-stores.js';
import { tempDir } from '../support/bot.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { storageContract } from './contract.js';

// One contract, every implementation: what the domain may rely on whichever store is configured.

describe('storage contract: lowdb', () => {
  let dir: string;
  storageContract(() => ({
    open: async () => openLowdbStores((dir = await tempDir())),
    reopen: () => openLowdbStores(dir),
  }));
});

describe('storage contract: PostgreSQL', function () {
  let server: TestPostgres;
  let url: string;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());
  const config = () => ({
    DATA_DIR: '',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: 10,
    OUTBOX_LEASE_SECONDS: 60,
  });
  storageContract(() => ({
    open: async () => {
      url = await server.freshDatabase();
      return openPostgresStores(config());
    },
    reopen: () => openPostgresStores(config()),
  }));
});
