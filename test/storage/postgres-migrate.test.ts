import assert from 'node:assert/strict';
import { text } from '../../src/conversation/replies.js';
import { openLowdbStores, openPostgresStores, type Stores } from '../../src/storage/open-stores.js';
import { migrateLowdbToPostgres } from '../../scripts/migrate-lowdb-to-postgres.js';
import { tempDir } from '../support/bot.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { FAST_OUTBOX, notice, recordingSender, ticket, until, user } from './contract.js';

describe('PostgreSQL: npm run migrate:lowdb-to-postgres', function () {
  this.timeout(60_000);
  let server: TestPostgres;
  let pgStores: Stores | undefined;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());
  afterEach(async () => pgStores?.close());

  it('moves a DATA_DIR, counts match, a second run adds nothing, and the bot goes on where lowdb stopped', async () => {
    const dir = await tempDir();
    const lowdb = await openLowdbStores(dir);
    await lowdb.recipients.upsert(user('anna'));
    await lowdb.recipients.upsert(user('bo'));
    await lowdb.recipients.markGone('user:aad-bo', new Date('2026-03-01T00:00:00Z'));
    await lowdb.recipients.upsert(
      user('support', {
        id: 'channel:19:support',
        kind: 'channel',
        reference: { conversation: { id: '19:support' } },
      }),
    );
    for (let i = 1; i <= 3; i++)
      await lowdb.tickets.save(ticket({ id: `t${i}`, number: await lowdb.tickets.nextNumber() }));
    await lowdb.tickets.markNotified('t1', 1);
    await lowdb.channels.set('', 'channel:19:support');
    await lowdb.channels.rememberStaff('aad-sara', 'Sara');
    await lowdb.notices.save(notice());
    await lowdb.notices.addAffectedUser('n-1', 'aad-anna');
    await lowdb.notices.addAnnouncementChannel('channel:19:support');
    await lowdb.questionLog.append({
      kind: 'question',
      id: 'q1',
      at: '2026-02-02T09:00:00Z',
      userId: 'u',
      conversationType: 'personal',
      text: 'fråga [personnummer]',
      outcome: 'no-answer',
      topicId: null,
      category: null,
      confidence: 0,
      suggestions: [],
    });
    // The outbox: a thread already posted (later card updates name it), and two messages pending.
    const sent = recordingSender();
    const journal = await lowdb.createOutbox({
      ...FAST_OUTBOX,
      sender: sent.sender,
      recipients: lowdb.recipients,
    });
    journal.start();
    await journal.enqueue([
      {
        key: 'ticket:t1:thread',
        op: 'create-thread',
        to: { recipientId: 'channel:19:support' },
        reply: text('Ärende 1'),
      },
    ]);
    assert.ok(
      await until(async () => (await journal.status('ticket:t1:thread'))?.state === 'sent'),
    );
    await journal.stop();
    const later = await lowdb.createOutbox({
      ...FAST_OUTBOX,
      sender: sent.sender,
      recipients: lowdb.recipients,
    });
    await later.enqueue([
      {
        key: 'ticket:t1:card-v2',
        op: 'update',
        of: 'ticket:t1:thread',
        reply: text('Ärende 1, taget'),
      },
      {
        key: 'ticket:t1:user',
        op: 'send',
        to: { recipientId: 'user:aad-anna' },
        reply: text('Ditt ärende är taget'),
      },
    ]);
    await later.stop();
    await lowdb.close();

    const url = await server.freshDatabase();
    const first = await migrateLowdbToPostgres(dir, url);
    assert.ok(first.ok, JSON.stringify(first.checks));
    const counts = Object.fromEntries(first.checks.map((c) => [c.what, c.postgres]));
    assert.deepEqual(counts, {
      recipients: 3,
      tickets: 3,
      'support channels': 1,
      staff: 1,
      notices: 1,
      'announcement channels': 1,
      'outbox messages': 3,
      'outbox pending': 2,
      'question log': 1,
      'call log': 0,
    });
    const second = await migrateLowdbToPostgres(dir, url);
    assert.ok(second.ok);

    pgStores = await openPostgresStores({
      DATA_DIR: dir,
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: 4,
      OUTBOX_LEASE_SECONDS: 60,
    });
    assert.ok((await pgStores.recipients.get('user:aad-bo'))?.goneAt);
    assert.equal(
      await pgStores.tickets.nextNumber(),
      4,
      'numbers go on after the highest lowdb number',
    );
    assert.deepEqual((await pgStores.tickets.listUnnotified()).map((u) => u.ticket.id).sort(), [
      't2',
      't3',
    ]);
    assert.deepEqual((await pgStores.notices.get('n-1'))?.affectedUsers, ['aad-anna']);
    assert.equal(await pgStores.channels.get(''), 'channel:19:support');
    const log = [];
    for await (const e of pgStores.questionLog.readAll()) log.push(e);
    assert.equal(log.length, 1, 'the log is copied once, however often the script runs');

    // The pending messages go out from PostgreSQL, the update in place of the thread lowdb posted.
    const after = recordingSender();
    const outbox = await pgStores.createOutbox({
      ...FAST_OUTBOX,
      sender: after.sender,
      recipients: pgStores.recipients,
    });
    outbox.start();
    assert.ok(
      await until(
        async () =>
          (await outbox.status('ticket:t1:card-v2'))?.state === 'sent' &&
          (await outbox.status('ticket:t1:user'))?.state === 'sent',
      ),
    );
    await outbox.stop();
    const thread = sent.calls.find((c) => c.op === 'create-thread');
    assert.ok(thread);
    assert.deepEqual(after.calls.map((c) => [c.op, c.text]).sort(), [
      ['send', 'Ditt ärende är taget'],
      ['update', 'Ärende 1, taget'],
    ]);
  });
});
