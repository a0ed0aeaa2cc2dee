import assert from 'node:assert/strict';
import pg from 'pg';
import { text } from '../../src/conversation/replies.js';
import { openPostgresStores, type Stores } from '../../src/storage/open-stores.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { FAST_OUTBOX, recordingSender, until, user } from './contract.js';

describe('PostgreSQL outbox: an instance that dies mid-send', function () {
  this.timeout(60_000);
  let server: TestPostgres;
  let stores: Stores | undefined;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());
  afterEach(async () => stores?.close());

  it('its expired claims come back: a new message is reported, not sent twice; a card edit is sent again', async () => {
    const url = await server.freshDatabase();
    stores = await openPostgresStores({
      DATA_DIR: '',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: 4,
      OUTBOX_LEASE_SECONDS: 60,
    });
    await stores.recipients.upsert(user('anna'));
    await stores.recipients.upsert(user('bo'));
    const { sender, calls } = recordingSender();
    const outbox = await stores.createOutbox({
      ...FAST_OUTBOX,
      sender,
      recipients: stores.recipients,
    });
    outbox.start();
    await outbox.enqueue([
      { key: 'card', op: 'send', to: { recipientId: 'user:aad-anna' }, reply: text('kort') },
    ]);
    assert.ok(await until(async () => (await outbox.status('card'))?.state === 'sent'));
    await outbox.stop();

    // What a killed instance leaves: claimed (attempt counted), a lease that has run out, no result.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const later = await stores.createOutbox({
      ...FAST_OUTBOX,
      sender,
      recipients: stores.recipients,
    });
    await later.enqueue([
      { key: 'hello-bo', op: 'send', to: { recipientId: 'user:aad-bo' }, reply: text('hej bo') },
      { key: 'card-edit', op: 'update', of: 'card', reply: text('kort ändrat') },
    ]);
    await db.query(
      "UPDATE outbox_messages SET lease_owner = 'dead', lease_until = $1, attempts = 1 WHERE key IN ('hello-bo', 'card-edit')",
      [Date.now() - 1],
    );
    await db.end();
    later.start();
    assert.ok(
      await until(
        async () =>
          (await later.status('hello-bo'))?.state === 'failed' &&
          (await later.status('card-edit'))?.state === 'sent',
      ),
    );
    assert.match((await later.status('hello-bo'))!.error!, /interrupted/);
    assert.deepEqual(
      calls.map((c) => c.text),
      ['kort', 'kort ändrat'],
    );
    await later.stop();
  });
});
