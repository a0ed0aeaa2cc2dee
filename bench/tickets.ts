/**
 * Ticket figures for the note: `npx tsx bench/tickets.ts`.
 *  1. Throughput: tickets opened per second and p95 latency of the confirming request, through HTTP.
 *  2. Crash loop: the bot as a child process, killed with -9 at random moments while users open
 *     tickets and staff act on them (CRASHES, default 50). Then: confirmed tickets lost, confirmed
 *     staff actions lost, and messages the connector got twice. Lost must be 0; duplicates must be 0.
 * STORE=postgres: the crash loop on a throwaway PostgreSQL cluster (fsync on) instead of lowdb files.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLog } from '../src/log.js';
import {
  cardAction,
  findAll,
  personalMessage,
  postActivity,
  teamsActivity,
  textOf,
} from '../test/support/activities.js';
import { tempDir } from '../test/support/bot.js';
import { startFakeConnector, type FakeConnector } from '../test/support/fake-connector.js';
import { startBotProcess, type BotProcess } from '../test/tickets/ticket-process.js';
import { openPostgresStores } from '../src/storage/open-stores.js';
import { startTestPostgres } from '../test/support/postgres.js';

const CHANNEL = '19:support@thread.tacv2';
const TICKETS = Number(process.env.TICKETS ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const CRASHES = Number(process.env.CRASHES ?? 50);
const STORE = process.env.STORE === 'postgres' ? 'postgres' : 'lowdb';
const env = {
  SUPPORT_STAFF_IDS: 'aad-staff-1',
  RATE_LIMIT_BURST: '100000',
  RATE_LIMIT_PER_MINUTE: '100000',
};

let lastRefusal = '';
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function submit(url: string, serviceUrl: string, user: string, draftId = randomUUID()) {
  const res = await postActivity(
    url,
    cardAction(
      serviceUrl,
      'ticket.submit',
      { draftId, description: `Bench ${draftId.slice(0, 8)}`, urgency: 'normal', reference: '' },
      { user },
    ),
  );
  const m = /Ditt ärende har nummer (\d+)/.exec(textOf(res.body?.value));
  if (!m) lastRefusal = `${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
  return m ? Number(m[1]) : undefined;
}

async function prepare(url: string, c: FakeConnector, users: number) {
  await postActivity(
    url,
    teamsActivity(c.serviceUrl, {
      user: 'staff-1',
      text: 'registrera supportkanal',
      conversationType: 'channel',
      conversationId: CHANNEL,
      teamId: 't',
    }),
  );
  for (let u = 0; u < users; u++)
    await postActivity(url, personalMessage(c.serviceUrl, 'hej', { user: `user-${u}` }));
}

async function throughput() {
  const connector = await startFakeConnector();
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: await tempDir('wsh-bench-'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await startApp(config, { log: createLog('silent') });
  await prepare(app.url, connector, 20);
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (next < TICKETS) {
        next++;
        const s = performance.now();
        const n = await submit(app.url, connector.serviceUrl, `user-${(w + next) % 20}`);
        if (n === undefined) throw new Error(`no confirmation: ${lastRefusal}`);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await app.stop();
  await connector.stop();
  return {
    tickets: TICKETS,
    concurrency: CONCURRENCY,
    perSecond: +(TICKETS / seconds).toFixed(1),
    p50: +percentile(latencies, 50).toFixed(1),
    p95: +percentile(latencies, 95).toFixed(1),
  };
}

async function crashLoop() {
  const connector = await startFakeConnector();
  const dataDir = await tempDir('wsh-crashloop-');
  const confirmedTickets = new Set<number>();
  const confirmedActions = new Map<string, number>(); // ticket id → highest version a staff click confirmed
  const pgServer = STORE === 'postgres' ? await startTestPostgres({ fsync: true }) : undefined;
  const databaseUrl = pgServer ? await pgServer.freshDatabase() : '';
  // A killed instance's claims come back after the lease: the shortest allowed, so they do here.
  const botEnv = {
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    OUTBOX_LEASE_SECONDS: '5',
    ...env,
  };
  let bot: BotProcess = await startBotProcess(botEnv);
  await prepare(bot.url, connector, 5);
  // From here on the bot writes to users and the channel only through the outbox (a "hej" on first
  // contact gets two identical welcome cards in one turn, which is not a redelivery).
  const fromOutbox = connector.sent.length;
  for (let crash = 0; crash < CRASHES; crash++) {
    let alive = true;
    const url = bot.url;
    const work = (async () => {
      let i = 0;
      while (alive) {
        i++;
        try {
          const n = await submit(url, connector.serviceUrl, `user-${i % 5}`);
          if (n !== undefined) confirmedTickets.add(n);
          // A staff member takes the newest thread's ticket, if there is one.
          const thread = connector.created[connector.created.length - 1];
          const card = thread && (findAll(thread.params.activity, 'ticketId')[0] as string);
          if (card) {
            const res = await postActivity(
              url,
              cardAction(
                connector.serviceUrl,
                'ticket.answer',
                {
                  ticketId: card,
                  version: confirmedActions.get(card) ?? 1,
                  answerText: `svar ${randomUUID().slice(0, 8)}`,
                },
                {
                  user: 'staff-1',
                  conversationType: 'channel',
                  conversationId: thread.id,
                  teamId: 't',
                },
              ),
            );
            const version = findAll(res.body?.value, 'version').find(
              (v) => typeof v === 'number',
            ) as number | undefined;
            if (res.body?.type === 'application/vnd.microsoft.card.adaptive' && version)
              confirmedActions.set(card, version);
          }
        } catch {
          return; // the kill cut the request: nothing was confirmed by it
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 400));
    alive = false;
    await bot.kill9();
    await work;
    bot = await startBotProcess(botEnv);
    process.stderr.write(
      `crash ${crash + 1}/${CRASHES}: ${confirmedTickets.size} tickets confirmed\n`,
    );
  }
  // Let the last run deliver what is pending, then read the store as the next start would.
  await connector.waitFor(() => false, pgServer ? 12_000 : 5000);
  await bot.kill9();
  let stored: { tickets: Record<string, { number: number; version: number; id: string }> };
  if (pgServer) {
    const stores = await openPostgresStores({
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: 2,
      OUTBOX_LEASE_SECONDS: 60,
    });
    stored = { tickets: Object.fromEntries((await stores.tickets.all()).map((t) => [t.id, t])) };
    await stores.close();
    await pgServer.stop();
  } else
    stored = JSON.parse(await fs.readFile(path.join(dataDir, 'tickets.json'), 'utf8')) as {
      tickets: Record<string, { number: number; version: number; id: string }>;
    };
  const storedNumbers = new Set(Object.values(stored.tickets).map((t) => t.number));
  const lostTickets = [...confirmedTickets].filter((n) => !storedNumbers.has(n));
  const lostActions = [...confirmedActions].filter(
    ([id, v]) => (stored.tickets[id]?.version ?? 0) < v,
  );
  const seen = new Map<string, number>();
  // Thread starts are recorded by the fake connector as POSTs to the new conversation: one per ticket.
  for (const s of connector.sent
    .slice(fromOutbox)
    .filter((x) => x.method === 'POST' && x.activity?.type !== 'typing')) {
    const kind =
      s.conversationId.startsWith('created-') &&
      !s.replyToId &&
      connector.created.some((c) => c.activityId === s.id)
        ? 'thread'
        : s.conversationId.startsWith('a:')
          ? 'user'
          : 'channel';
    const key = `${kind}|${s.conversationId.startsWith('created-') ? '' : s.conversationId} ${JSON.stringify(s.activity.attachments ?? s.activity.text)}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const repeats = [...seen].filter(([, n]) => n > 1);
  const duplicated = repeats.reduce((a, [, n]) => a + n - 1, 0);
  if (process.env.SHOW_DUPLICATES)
    for (const [key, n] of repeats) process.stderr.write(`duplicate ×${n}: ${key.slice(0, 200)}\n`);
  const duplicatesByKind: Record<string, number> = {};
  for (const [key, n] of repeats)
    duplicatesByKind[key.split('|')[0]] = (duplicatesByKind[key.split('|')[0]] ?? 0) + n - 1;
  await connector.stop();
  return {
    store: STORE,
    crashes: CRASHES,
    confirmedTickets: confirmedTickets.size,
    lostTickets: lostTickets.length,
    confirmedStaffActions: confirmedActions.size,
    lostStaffActions: lostActions.length,
    deliveries: connector.sent.length,
    duplicatedDeliveries: duplicated,
    duplicatesByKind,
    numbersReused: Object.values(stored.tickets).length - storedNumbers.size,
  };
}

const results: Record<string, unknown> = { throughput: await throughput() };
process.stdout.write(`${JSON.stringify(results.throughput)}\n`);
if (CRASHES > 0) results.crashLoop = await crashLoop();
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
process.exit(0);
