/**
 * PostgreSQL figures for the note: `npx tsx bench/postgres.ts` (or `npm run bench:postgres`).
 *  1. The same workload on lowdb and on PostgreSQL, in process through HTTP: QUESTIONS questions
 *     from USERS users, CONCURRENCY at a time (reply p95, replies/s), then a batch of BROADCAST
 *     outbox messages to as many users (messages/s until the connector has them all).
 *  2. A BROADCAST batch on PostgreSQL sent by one bot process, then by two on one database.
 * PostgreSQL is a throwaway cluster with fsync on (DATABASE_URL_TEST to use another server), so
 * both stores pay for durability. Outbox limits are raised so that pacing does not hide the store.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { startApp, type RunningApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { text } from '../src/conversation/replies.js';
import { createLog } from '../src/log.js';
import { systemClock } from '../src/outbox/clock.js';
import type { Recipient } from '../src/recipients/repository.js';
import { openPostgresStores } from '../src/storage/open-stores.js';
import { personalMessage, postActivity } from '../test/support/activities.js';
import { tempDir } from '../test/support/bot.js';
import { startFakeConnector, type FakeConnector } from '../test/support/fake-connector.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { startBotProcess } from '../test/tickets/ticket-process.js';

const QUESTIONS = Number(process.env.QUESTIONS ?? 600);
const USERS = Number(process.env.USERS ?? 50);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const BROADCAST = Number(process.env.BROADCAST ?? 2000);
// A bucket refills at (count − burst) per window, so the burst stays well below the count.
const FAST = {
  OUTBOX_APP_LIMITS: '100000/1',
  OUTBOX_APP_BURST: '100',
  OUTBOX_CONVERSATION_LIMITS: '100000/1',
  OUTBOX_CONVERSATION_BURST: '100',
};
const QUIET = { RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_MINUTE: '100000' };
const ASKED = [
  'hur skriver jag en hämtorder',
  'beställa till patient',
  'hur returnerar jag ett hjälpmedel',
  'jag kan inte logga in',
  'vad blir det för middag',
];

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const storeConfig = (url: string, dir: string) => ({
  DATA_DIR: dir,
  DATABASE_URL: url,
  DATABASE_POOL_SIZE: 4,
  OUTBOX_LEASE_SECONDS: 60,
});

function recipient(serviceUrl: string, i: number): Recipient {
  return {
    id: `user:aad-b${i}`,
    kind: 'user',
    name: `b${i}`,
    tenantId: 'tenant-1',
    reference: {
      serviceUrl,
      channelId: 'msteams',
      bot: { id: '28:bot-id', name: 'webSesam-hjälpen' },
      user: { id: `29:b${i}` },
      conversation: { id: `a:personal-b${i}`, conversationType: 'personal', tenantId: 'tenant-1' },
    },
    firstSeenAt: new Date().toISOString(),
  };
}

async function seed(kind: 'lowdb' | 'postgres', dir: string, url: string, serviceUrl: string) {
  if (kind === 'lowdb') {
    // One write of the file: 2,000 upserts would each rewrite (and fsync) the whole file.
    const recipients = Object.fromEntries(
      Array.from({ length: BROADCAST }, (_, i) => recipient(serviceUrl, i)).map((r) => [r.id, r]),
    );
    await fs.writeFile(path.join(dir, 'recipients.json'), JSON.stringify({ recipients }));
    return;
  }
  const stores = await openPostgresStores(storeConfig(url, dir));
  for (let i = 0; i < BROADCAST; i++) await stores.recipients.upsert(recipient(serviceUrl, i));
  await stores.close();
}

const batch = (tag: string) =>
  Array.from({ length: BROADCAST }, (_, i) => ({
    key: `bench:${tag}:${i}`,
    op: 'send' as const,
    to: { recipientId: `user:aad-b${i}` },
    reply: text(`Driftstörning ${tag}`),
    bulk: true,
  }));

const arrived = (c: FakeConnector, tag: string) =>
  c.sent.filter((s) => s.method === 'POST' && s.activity.text === `Driftstörning ${tag}`).length;

async function replies(app: RunningApp, c: FakeConnector) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < QUESTIONS) {
        const i = next++;
        const t0 = performance.now();
        const res = await postActivity(
          app.url,
          personalMessage(c.serviceUrl, ASKED[i % ASKED.length], { user: `q${i % USERS}` }),
        );
        if (res.status !== 200) throw new Error(`status ${res.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    p95: percentile(latencies, 95),
    perSecond: QUESTIONS / ((performance.now() - started) / 1000),
  };
}

async function inProcess(kind: 'lowdb' | 'postgres', url: string) {
  const connector = await startFakeConnector();
  const dir = await tempDir();
  await seed(kind, dir, url, connector.serviceUrl);
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dir,
    DATABASE_URL: kind === 'postgres' ? url : '',
    ...FAST,
    ...QUIET,
  });
  const app = await startApp(config, { log: createLog('silent') });
  try {
    const r = await replies(app, connector);
    const t0 = performance.now();
    await app.outbox.enqueue(batch(kind));
    while (arrived(connector, kind) < BROADCAST)
      await connector.waitFor(() => arrived(connector, kind) >= BROADCAST, 120_000);
    const seconds = (performance.now() - t0) / 1000;
    return { ...r, messagesPerSecond: BROADCAST / seconds, broadcastSeconds: seconds };
  } finally {
    await app.stop();
    await connector.stop();
  }
}

async function processes(instances: number, url: string) {
  const connector = await startFakeConnector();
  const stores = await openPostgresStores(storeConfig(url, ''));
  for (let i = 0; i < BROADCAST; i++)
    await stores.recipients.upsert(recipient(connector.serviceUrl, i));
  const env = async () => ({
    DATA_DIR: await tempDir(),
    DATABASE_URL: url,
    LOG_LEVEL: 'info',
    ...FAST,
    ...QUIET,
  });
  const bots = await Promise.all(
    Array.from({ length: instances }, async () => startBotProcess(await env())),
  );
  try {
    const enqueuer = await stores.createOutbox({
      sender: {
        send: async () => ({ conversationId: '', activityId: '' }),
        update: async () => undefined,
        createThread: async () => ({ conversationId: '', activityId: '' }),
        withConversation: (r) => r,
      },
      recipients: stores.recipients,
      log: createLog('silent'),
      clock: systemClock,
      appLimits: [{ count: 1, seconds: 1 }],
      appBurst: 1,
      conversationLimits: [{ count: 1, seconds: 1 }],
      conversationBurst: 1,
      concurrency: 1,
      maxAttempts: 3,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      retentionDays: 30,
    });
    const tag = `x${instances}`;
    const t0 = performance.now();
    await enqueuer.enqueue(batch(tag));
    await enqueuer.stop();
    await connector.waitFor(() => arrived(connector, tag) >= BROADCAST, 300_000);
    const seconds = (performance.now() - t0) / 1000;
    const perConversation = new Set(
      connector.sent
        .filter((s) => s.activity.text === `Driftstörning ${tag}`)
        .map((s) => s.conversationId),
    );
    return {
      seconds,
      duplicates: arrived(connector, tag) - perConversation.size,
      lost: BROADCAST - perConversation.size,
    };
  } finally {
    await Promise.all(bots.map((b) => b.kill9()));
    await stores.close();
    await connector.stop();
  }
}

const server = await startTestPostgres({ fsync: true });
// A bench stopped from outside still takes its throwaway cluster down with it.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void server.stop().finally(() => process.exit(130)));
const out = (s: string) => process.stdout.write(`${s}\n`);
try {
  out(
    `workload: ${QUESTIONS} questions from ${USERS} users, ${CONCURRENCY} at a time; outbox batch of ${BROADCAST}`,
  );
  for (const kind of ['lowdb', 'postgres'] as const) {
    const r = await inProcess(kind, kind === 'postgres' ? await server.freshDatabase() : '');
    out(
      `${kind.padEnd(8)} reply p95 ${r.p95.toFixed(1)} ms, ${r.perSecond.toFixed(0)} replies/s; outbox ${r.messagesPerSecond.toFixed(0)} messages/s (${r.broadcastSeconds.toFixed(1)} s)`,
    );
  }
  for (const n of [1, 2]) {
    const r = await processes(n, await server.freshDatabase());
    out(
      `postgres, ${n} process${n > 1 ? 'es' : ''}: ${BROADCAST} messages in ${r.seconds.toFixed(1)} s (${(BROADCAST / r.seconds).toFixed(0)}/s), duplicates ${r.duplicates}, lost ${r.lost}`,
    );
  }
} finally {
  await server.stop();
}
