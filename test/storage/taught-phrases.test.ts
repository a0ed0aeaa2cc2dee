import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import type { TaughtPhrase } from '../../src/knowledge/taught.js';
import { openLowdbStores, openPostgresStores, type Stores } from '../../src/storage/open-stores.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { askTopic, teachApi, undoTaught } from '../knowledge/teach-api.js';
import type { StoreFactory } from './contract.js';

const phrase = (o: Partial<TaughtPhrase> = {}): TaughtPhrase => ({
  id: `p-${Math.random().toString(36).slice(2)}`,
  question: 'grodorna hoppar över bäcken',
  key: 'back grodorn hopp',
  topicId: 'arbetsorder',
  taughtBy: { id: 'aad-staff-1', name: 'Sara Support' },
  taughtAt: '2026-02-02T09:00:00.000Z',
  via: 'api',
  undoneAt: null,
  undoneBy: null,
  ...o,
});

/** What the domain relies on from every taught-phrase store. */
function taughtContract(factory: () => StoreFactory) {
  let stores: Stores | undefined;
  afterEach(async () => {
    await stores?.close();
    stores = undefined;
  });

  it('adds, lists oldest first, undoes once, bumps the revision on each change, and keeps it all over a restart', async () => {
    const opened = (stores = await factory().open());
    const repo = opened.taught;
    assert.deepEqual(await repo.list(), []);
    const r0 = await repo.revision();
    const a = phrase({ question: 'första "frågan" \u0000 med NUL' });
    const b = phrase({
      topicId: 'out-of-scope',
      via: 'ticket',
      taughtAt: '2026-02-02T10:00:00.000Z',
    });
    await repo.add(a);
    const r1 = await repo.revision();
    assert.notEqual(r1, r0);
    await repo.add(b);
    const list = await repo.list();
    assert.deepEqual(
      list.map((p) => p.id),
      [a.id, b.id],
    );
    assert.deepEqual(list[1], b);
    const r2 = await repo.revision();

    const by = { id: 'aad-staff-2', name: 'Erik' };
    const undone = await repo.undo(a.id, by, '2026-02-03T08:00:00.000Z');
    assert.equal(undone?.undoneAt, '2026-02-03T08:00:00.000Z');
    assert.deepEqual(undone?.undoneBy, by);
    const r3 = await repo.revision();
    assert.notEqual(r3, r2);
    // A second undo changes nothing, not even the revision.
    const again = await repo.undo(a.id, { id: 'x', name: 'y' }, '2026-02-04T08:00:00.000Z');
    assert.equal(again?.undoneAt, '2026-02-03T08:00:00.000Z');
    assert.equal(await repo.revision(), r3);
    assert.equal(await repo.undo('no-such-id', by, '2026-02-04T08:00:00.000Z'), undefined);

    await opened.close();
    stores = undefined;
    const again2 = (stores = await factory().reopen());
    const reopened = await again2.taught.list();
    assert.deepEqual(
      reopened.map((p) => [p.id, p.undoneAt]),
      [
        [a.id, '2026-02-03T08:00:00.000Z'],
        [b.id, null],
      ],
    );
    assert.equal(await again2.taught.revision(), r3);
  });

  it('20 phrases added at once are all kept', async () => {
    const opened = (stores = await factory().open());
    const many = Array.from({ length: 20 }, (_, i) =>
      phrase({ id: `p${i}`, question: `fråga ${i}` }),
    );
    await Promise.all(many.map((p) => opened.taught.add(p)));
    assert.deepEqual(
      (await opened.taught.list()).map((p) => p.id).sort(),
      many.map((p) => p.id).sort(),
    );
  });
}

describe('taught phrases: lowdb', () => {
  let dir: string;
  taughtContract(() => ({
    open: async () => openLowdbStores((dir = await tempDir())),
    reopen: () => openLowdbStores(dir),
  }));
});

describe('taught phrases: PostgreSQL', function () {
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
  taughtContract(() => ({
    open: async () => {
      url = await server.freshDatabase();
      return openPostgresStores(config());
    },
    reopen: () => openPostgresStores(config()),
  }));

  describe('two instances on one database', () => {
    let connector: FakeConnector;
    let bots: RunningApp[] = [];
    beforeEach(async () => {
      url = await server.freshDatabase();
      connector = await startFakeConnector();
      const start = async () =>
        startBot(
          testConfig({ DATA_DIR: await tempDir(), DATABASE_URL: url, KNOWLEDGE_WATCH_MS: '0' }),
        );
      bots = await Promise.all([start(), start()]);
    });
    afterEach(async () => {
      for (const b of bots) await b.stop();
      await connector.stop();
    });

    it('a phrase taught on one is answered by the other at once, and undone on the other, by both', async () => {
      const [a, b] = bots;
      const q = 'grodorna i dammen hoppar över bäcken';
      await askTopic(b, connector, 'hej');
      assert.notEqual((await askTopic(b, connector, q)).topicId, 'retur', 'not known before');

      const taught = await teachApi(a.url, { question: q, topicId: 'retur' });
      assert.equal(taught.status, 201);
      assert.equal((await askTopic(b, connector, q)).topicId, 'retur');
      assert.equal(
        (await askTopic(b, connector, 'hoppar grodorna över bäcken vid dammen')).topicId,
        'retur',
      );

      assert.equal((await undoTaught(b.url, taught.body.id)).status, 200);
      assert.notEqual((await askTopic(a, connector, q)).topicId, 'retur');
      assert.notEqual((await askTopic(b, connector, q)).topicId, 'retur');
    });
  });
});
