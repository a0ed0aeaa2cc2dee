import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { text } from '../../src/conversation/replies.js';
import { createManualClock, type ManualClock } from '../../src/outbox/clock.js';
import type { OutgoingMessage } from '../../src/outbox/outbox.js';
import { openRecipients } from '../../src/storage/lowdb/recipients.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';

// Limits high enough that pacing never holds a test up; pacing has its own test (outbox-pacer).
// The outage ticker's timer is put far off, so the only timers on the clock are the outbox's.
const FAST = {
  OUTBOX_APP_LIMITS: '1000/1',
  OUTBOX_APP_BURST: '1000',
  OUTBOX_CONVERSATION_LIMITS: '1000/1',
  OUTBOX_CONVERSATION_BURST: '1000',
  OUTAGE_REPORT_INTERVAL_SECONDS: '86400',
};

/** Users and a channel the bot knows, as install and first contact would have stored them. */
async function seedRecipients(
  dataDir: string,
  serviceUrl: string,
  users: string[],
  channels: string[] = [],
) {
  const repo = await openRecipients(dataDir);
  const bot = { id: '28:bot-id', name: 'webSesam-hjälpen' };
  for (const u of users)
    await repo.upsert({
      id: `user:aad-${u}`,
      kind: 'user',
      name: u,
      tenantId: 'tenant-1',
      reference: {
        serviceUrl,
        channelId: 'msteams',
        bot,
        user: { id: `29:${u}` },
        conversation: { id: `a:personal-${u}`, conversationType: 'personal', tenantId: 'tenant-1' },
      },
      firstSeenAt: new Date().toISOString(),
    });
  for (const c of channels)
    await repo.upsert({
      id: `channel:${c}`,
      kind: 'channel',
      name: c,
      tenantId: 'tenant-1',
      reference: {
        serviceUrl,
        channelId: 'msteams',
        bot,
        conversation: { id: c, conversationType: 'channel', tenantId: 'tenant-1' },
      },
      firstSeenAt: new Date().toISOString(),
    });
}

/** Waits, bounded, until the outbox reports the state for the key; returns the last status. */
async function stateOf(app: RunningApp, key: string, state: string, ms = 5000) {
  const until = Date.now() + ms;
  let status = await app.outbox.status(key);
  while (status?.state !== state && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 5));
    status = await app.outbox.status(key);
  }
  return status;
}

async function errorOf(app: RunningApp, key: string, ms = 5000) {
  const until = Date.now() + ms;
  while (!(await app.outbox.status(key))?.error && Date.now() < until)
    await new Promise((r) => setTimeout(r, 5));
  return (await app.outbox.status(key))?.error;
}

const say = (key: string, user: string): OutgoingMessage => ({
  key,
  op: 'send',
  to: { recipientId: `user:aad-${user}` },
  reply: text(`meddelande ${key}`),
});

/** How many times each message text reached the connector (new messages, not updates). */
function deliveries(connector: FakeConnector): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of connector.sent)
    if (s.method === 'POST' && typeof s.activity.text === 'string')
      counts.set(s.activity.text, (counts.get(s.activity.text) ?? 0) + 1);
  return counts;
}

describe('outbox: stored first, paced, retried, sent once', () => {
  let connector: FakeConnector;
  let bot: RunningApp | undefined;
  let dataDir: string;
  let clock: ManualClock;

  const start = (overrides: Record<string, string> = {}) =>
    startBot(testConfig({ DATA_DIR: dataDir, ...FAST, ...overrides }), {
      clock,
      now: () => new Date(clock.now()),
    });

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    clock = createManualClock();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await connector.stop();
  });

  it('stores before it resolves, and a connector that fails then recovers gets every message once', async () => {
    const users = ['u1', 'u2', 'u3', 'u4'];
    await seedRecipients(dataDir, connector.serviceUrl, users);
    bot = await start();
    let down = true;
    connector.setFault(() => (down ? { status: 503 } : undefined));
    const messages = users.flatMap((u) => [1, 2, 3].map((n) => say(`${u}-${n}`, u)));
    await bot.outbox.enqueue(messages);
    assert.match(await fs.readFile(path.join(dataDir, 'outbox.jsonl'), 'utf8'), /"key":"u4-3"/);

    assert.ok(
      await connector.waitFor(() => connector.requests >= users.length),
      'each lane tried its first message',
    );
    // Each failure recorded (and its retry scheduled) before the clock moves.
    for (const u of users) assert.match((await errorOf(bot, `${u}-1`)) ?? '', /503/);
    assert.equal((await bot.outbox.status('u1-1'))?.state, 'pending');
    down = false;
    // Backoff is jittered and grows per attempt; a minute of clock covers the first retry.
    clock.advance(60_000);
    assert.ok(
      await connector.waitFor(() =>
        messages.every((m) => deliveries(connector).get(`meddelande ${m.key}`) === 1),
      ),
      JSON.stringify([...deliveries(connector)]),
    );
    assert.ok([...deliveries(connector).values()].every((n) => n === 1));
    // In order within a conversation: the first message before the second.
    const toU1 = connector.to('a:personal-u1').map((s) => s.activity.text);
    assert.deepEqual(toU1, ['meddelande u1-1', 'meddelande u1-2', 'meddelande u1-3']);
    const status = await bot.outbox.status('u1-1');
    assert.equal(status?.state, 'sent');
    assert.ok((status?.attempts ?? 0) >= 2);
    assert.ok(status?.activityId);
  });

  it('waits out a 429 for exactly its Retry-After, then sends once', async () => {
    await seedRecipients(dataDir, connector.serviceUrl, ['u1']);
    bot = await start();
    let refused = 0;
    connector.setFault(() =>
      refused++ === 0 ? { status: 429, headers: { 'retry-after': '30' } } : undefined,
    );
    const t0 = clock.now();
    await bot.outbox.enqueue([say('throttled', 'u1')]);
    const retryTimer = () => clock.dueTimes().filter((t) => t - t0 < 3_600_000);
    assert.ok(
      await connector.waitFor(() => refused === 1 && retryTimer().length > 0),
      'a retry is scheduled',
    );
    assert.deepEqual(
      retryTimer().map((t) => t - t0),
      [30_000],
      'not a moment before Retry-After',
    );
    assert.equal(connector.to('a:personal-u1').length, 0);
    clock.advance(30_000);
    assert.ok(await connector.waitFor(() => connector.to('a:personal-u1').length === 1));
    assert.equal((await bot.outbox.status('throttled'))?.state, 'sent');
  });

  it('a 403 marks the user gone, and later messages to them are skipped without a request', async () => {
    await seedRecipients(dataDir, connector.serviceUrl, ['stays', 'left']);
    bot = await start();
    connector.setFault((req) =>
      req.conversationId === 'a:personal-left'
        ? { status: 403, body: { error: { code: 'MessageWritesBlocked', message: 'blocked' } } }
        : undefined,
    );
    await bot.outbox.enqueue([say('a', 'stays'), say('b', 'left')]);
    assert.ok(await connector.waitFor(() => connector.to('a:personal-stays').length === 1));
    assert.ok(await connector.waitFor(() => connector.requests === 2));
    const status = await stateOf(bot, 'b', 'gone');
    assert.equal(status?.state, 'gone');
    assert.match(status?.error ?? '', /403/);
    assert.equal(status?.attempts, 1, 'never retried');

    const requestsBefore = connector.requests;
    await bot.outbox.enqueue([say('c', 'left')]);
    const later = await stateOf(bot, 'c', 'gone');
    assert.equal(later?.state, 'gone');
    assert.equal(connector.requests, requestsBefore);
    await bot.stop();
    bot = undefined;
    const stored = JSON.parse(await fs.readFile(path.join(dataDir, 'recipients.json'), 'utf8'));
    assert.ok(stored.recipients['user:aad-left'].goneAt);
    assert.equal(stored.recipients['user:aad-stays'].goneAt, undefined);
  });

  it('after a restart mid-queue sends the rest, nothing twice; enqueueing a key again changes nothing', async () => {
    const users = Array.from({ length: 10 }, (_, i) => `r${i}`);
    await seedRecipients(dataDir, connector.serviceUrl, users, ['19:chan@thread.tacv2']);
    // Slow on purpose: one send per clock second, and the clock moves only when told.
    bot = await start({ OUTBOX_APP_LIMITS: '2/1', OUTBOX_APP_BURST: '1' });
    const thread: OutgoingMessage = {
      key: 'thread',
      op: 'create-thread',
      to: { recipientId: 'channel:19:chan@thread.tacv2' },
      reply: text('meddelande thread'),
    };
    const messages = [thread, ...users.map((u) => say(`m-${u}`, u))];
    await bot.outbox.enqueue(messages);
    await bot.outbox.enqueue([
      {
        key: 'thread-reply',
        op: 'send',
        to: { threadOf: 'thread' },
        reply: text('meddelande thread-reply'),
      },
      { key: 'thread-edit', op: 'update', of: 'thread', reply: text('meddelande thread, ändrat') },
    ]);
    assert.ok(await connector.waitFor(() => connector.sent.length >= 1));
    clock.advance(1000);
    assert.ok(await connector.waitFor(() => connector.sent.length >= 2));
    await bot.stop();
    const before = connector.sent.length;
    assert.ok(before < messages.length, `stopped mid-queue (${before} sent)`);

    clock = createManualClock(clock.now());
    bot = await start();
    await bot.outbox.enqueue(messages); // the same keys again: ignored
    const all = [...messages.map((m) => `meddelande ${m.key}`), 'meddelande thread-reply'];
    assert.ok(
      await connector.waitFor(() => all.every((t) => deliveries(connector).get(t) === 1)),
      JSON.stringify([...deliveries(connector)]),
    );
    assert.ok(await connector.waitFor(() => connector.sent.some((s) => s.method === 'PUT')));
    assert.ok(
      [...deliveries(connector).values()].every((n) => n === 1),
      'no duplicates',
    );

    // The thread is a new conversation in the channel; its reply and its edit went there.
    const created = connector.created[0];
    assert.equal(created.params.isGroup, true);
    assert.equal(created.params.channelData.channel.id, '19:chan@thread.tacv2');
    const reply = connector.sent.find((s) => s.activity.text === 'meddelande thread-reply')!;
    assert.equal(reply.conversationId, created.id);
    const edit = connector.sent.find((s) => s.method === 'PUT')!;
    assert.equal(edit.id, created.activityId);
    assert.equal((await bot.outbox.status('thread'))?.activityId, created.activityId);
  });

  it('a send cut off by a crash (attempt recorded, no result) is not sent again: reported, never doubled', async () => {
    await seedRecipients(dataDir, connector.serviceUrl, ['u1']);
    bot = await start();
    connector.setFault(() => ({ status: 503 }));
    await bot.outbox.enqueue([say('cut', 'u1'), say('waiting', 'u1')]);
    assert.match((await errorOf(bot, 'cut')) ?? '', /503/);
    await bot.stop();
    bot = undefined;
    // What a kill -9 leaves when it lands after the connector took the send and before the
    // outbox heard back: the attempt is in the journal, its result is not.
    await fs.appendFile(
      path.join(dataDir, 'outbox.jsonl'),
      `${JSON.stringify({ t: 'attempt', key: 'cut', at: clock.now() })}\n`,
    );
    connector.setFault(undefined);
    bot = await start();
    const cut = await stateOf(bot, 'cut', 'failed');
    assert.equal(cut?.state, 'failed');
    assert.match(cut?.error ?? '', /interrupted mid-send/);
    assert.ok(await connector.waitFor(() => deliveries(connector).get('meddelande waiting') === 1));
    assert.equal(deliveries(connector).get('meddelande cut'), undefined);
  });

  it('refuses a malformed message instead of storing it', async () => {
    bot = await start();
    await assert.rejects(
      bot.outbox.enqueue([{ key: '', op: 'send', to: { recipientId: 'x' }, reply: text('x') }]),
      /key/,
    );
    await assert.rejects(
      bot.outbox.enqueue([
        { key: 'k', op: 'delete' as 'send', to: { recipientId: 'x' }, reply: text('x') },
      ]),
      /unknown op/,
    );
    await bot.outbox.enqueue([{ key: 'orphan', op: 'update', of: 'never-sent', reply: text('x') }]);
    assert.equal((await bot.outbox.status('orphan'))?.state, 'failed');
    await bot.outbox.enqueue([say('nobody', 'not-a-user')]);
    const s = await stateOf(bot, 'nobody', 'failed');
    assert.equal(s?.state, 'failed');
    assert.equal(connector.requests, 0);
  });
});
