import { openLowdbStores, openPostgresStores } from '../../src/storage/open-stores.js';
import { tempDir } from '../support/bot.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import type { StoreFactory } from './contract.js';

/**
 * One contract, every implementation: runs the same suite on lowdb files and on a throwaway
 * PostgreSQL, so the domain may rely on it whichever store is configured.
 */
export function onEveryStore(name: string, contract: (factory: () => StoreFactory) => void) {
  describe(`${name}: lowdb`, () => {
    let dir: string;
    contract(() => ({
      open: async () => openLowdbStores((dir = await tempDir())),
      reopen: () => openLowdbStores(dir),
    }));
  });

  describe(`${name}: PostgreSQL`, function () {
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
    contract(() => ({
      open: async () => {
        url = await server.freshDatabase();
        return openPostgresStores(config());
      },
      reopen: () => openPostgresStores(config()),
    }));
  });
}
