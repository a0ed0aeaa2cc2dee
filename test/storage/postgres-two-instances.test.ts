import assert from 'node:assert/strict';
import pg from 'pg';
import type { RunningApp } from '../../src/app.js';
import { text } from '../../src/conversation/replies.js';
import { createLog } from '../../src/log.js';
import { systemClock } from '../../src/outbox/clock.js';
import { openPostgresStores, type Stores } from '../../src/storage/open-stores.js';
import { tempDir } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { startBotProcess, type BotProcess } from '../tickets/ticket-process.js';
import { channelCard, ticketFlow, ticketIdOf, versionOf } from '../tickets/ticket-flow.js';
import { recordingSender } from './contract.js';

const RECIPIENTS = 2000;

/** Two bot processes on one database, behind an imagined load balancer: requests alternate. */
describe('PostgreSQL: two bot instances on one database', function () {
  this.timeout(180_000);
  let server: TestPostgres;
  let connector: FakeConnector;
  let url: string;
  let stores: Stores;
  let bots: BotProcess[] = [];

  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());

  beforeEach(async () => {
    connector = await startFakeConnector();
    url = await server.freshDatabase();
    stores = await openPostgresStores({
      DATA_DIR: '',
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: 4,
      OUTBOX_LEASE_SECONDS: 60,
    });
    const env = (dataDir: string) => ({
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      SUPPORT_STAFF_IDS: 'aad-staff-1,aad-staff-2',
      // Pacing has its own tests; here the question is only who sends what. (A bucket refills at
      // count − burst per window: a burst near the count would leave 1/s after it.)
      OUTBOX_APP_LIMITS: '100000/1',
      OUTBOX_APP_BURST: '100',
      OUTBOX_CONVERSATION_LIMITS: '100000/1',
      OUTBOX_CONVERSATION_BURST: '100',
      RATE_LIMIT_BURST: '1000',
      LOG_LEVEL: 'info',
    });
    // Started together, so they also race to migrate the fresh database.
    bots = await Promise.all([
      startBotProcess(env(await tempDir())),
      startBotProcess(env(await tempDir())),
    ]);
  });
  afterEach(async () => {
    await Promise.all(bots.map((b) => b.kill9()));
    bots = [];
    await stores?.close();
    await connector.stop();
  });

  it(`a batch to ${RECIPIENTS} recipients is split between them: none twice, none lost`, async () => {
    const bot = { id: '28:bot-id', name: 'webSesam-hjälpen' };
    for (let i = 0; i < RECIPIENTS; i++)
      await stores.recipients.upsert({
        id: `user:aad-u${i}`,
        kind: 'user',
        name: `u${i}`,
        tenantId: 'tenant-1',
        reference: {
          serviceUrl: connector.serviceUrl,
          channelId: 'msteams',
          bot,
          user: { id: `29:u${i}` },
          conversation: {
            id: `a:personal-u${i}`,
            conversationType: 'personal',
            tenantId: 'tenant-1',
          },
        },
        firstSeenAt: new Date().toISOString(),
      });
    // Enqueued by a third party that never sends: both instances hear of it and share the work.
    const enqueuer = await stores.createOutbox({
      sender: recordingSender().sender,
      recipients: stores.recipients,
      log: createLog('silent'),
      clock: systemClock,
      appLimits: [{ count: 1, seconds: 1 }],
      appBurst: 1,
      conversationLimits: [{ count: 1, seconds: 1 }],
      conversationBurst: 1,
      concurrency: 1,
      maxAttempts: 5,
      backoffBaseMs: 10,
      backoffMaxMs: 100,
      retentionDays: 30,
    });
    await enqueuer.enqueue(
      Array.from({ length: RECIPIENTS }, (_, i) => ({
        key: `outage:n1:u${i}`,
        op: 'send' as const,
        to: { recipientId: `user:aad-u${i}` },
        reply: text('Driftstörning i webSesam'),
        bulk: true,
      })),
    );
    await enqueuer.stop();

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const sent = async () =>
        Number(
          (await db.query("SELECT count(*) AS n FROM outbox_messages WHERE state = 'sent'")).rows[0]
            .n,
        );
      const deadline = Date.now() + 120_000;
      while ((await sent()) < RECIPIENTS && Date.now() < deadline)
        await connector.waitFor(() => false, 50);
      assert.equal(await sent(), RECIPIENTS, 'every message recorded as sent');

      const posts = connector.sent.filter(
        (s) => s.method === 'POST' && s.activity.text === 'Driftstörning i webSesam',
      );
      const perConversation = new Map<string, number>();
      for (const p of posts)
        perConversation.set(p.conversationId, (perConversation.get(p.conversationId) ?? 0) + 1);
      const duplicates = [...perConversation.values()].filter((n) => n > 1).length;
      assert.equal(duplicates, 0, 'duplicates');
      assert.equal(RECIPIENTS - perConversation.size, 0, 'lost');
      assert.equal(posts.length, RECIPIENTS);

      // Both did a share: the instance that last held each message's lease is kept with it.
      const shares = (
        await db.query<{ n: string }>(
          'SELECT count(*) AS n FROM outbox_messages GROUP BY lease_owner',
        )
      ).rows.map((r) => Number(r.n));
      assert.equal(shares.length, 2, `one instance did everything: ${shares}`);
      assert.ok(Math.min(...shares) > 0);
    } finally {
      await db.end();
    }
  });

  it('100 clicks on one ticket card at once, half through each instance: exactly one state change', async () => {
    let next = 0;
    // Round robin, as a load balancer would spread the clicks.
    const balanced = () => ({ url: bots[next++ % bots.length].url }) as RunningApp;
    const flow = ticketFlow(balanced, () => connector);
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.say('user-1', 'hej');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag', {
      description: 'Ordern syns inte',
    });
    assert.ok(
      await connector.waitFor(() => connector.created.length === 1, 20_000),
      'the ticket card was posted',
    );
    const card = channelCard(connector);
    const ticketId = ticketIdOf(card);
    const version = versionOf(card);

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        flow.staffClick(i % 2 ? 'staff-1' : 'staff-2', 'ticket.take', { ticketId, version }),
      ),
    );
    assert.equal(answers.length, 100);
    const stored = (await stores.tickets.get(ticketId))!;
    assert.equal(stored.version, version + 1, 'one click changed the ticket');
    assert.equal(stored.history.filter((e) => e.kind === 'taken').length, 1);
    assert.equal(stored.status, 'taken');
    // Every stale click got the current card back, showing who took it.
    for (const a of answers)
      assert.equal(
        a.type,
        'application/vnd.microsoft.card.adaptive',
        JSON.stringify(a).slice(0, 300),
      );
  });
});
