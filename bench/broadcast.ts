/**
 * An outage notice to 10,000 users and 200 announcement channels, against a connector stand-in
 * that enforces 50 requests a second (429 with Retry-After beyond). Reports the total time
 * against the theoretical minimum (recipients ÷ rate), duplicates, lost, the bot's answer p95
 * while the broadcast runs, and peak RSS.
 *
 *   npx tsx bench/broadcast.ts [--recipients 10000] [--channels 200] [--rate 50] [--store postgres]
 *
 * `--store postgres`: every store, the outbox included, on a throwaway PostgreSQL cluster with
 * fsync on (or DATABASE_URL_TEST), instead of the lowdb files.
 *
 * Everything runs in this one process (bot and stand-in), so RSS includes the stand-in's share.
 * One question a second is asked during the broadcast: its answers count against the same rate,
 * as they do in Teams.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLog } from '../src/log.js';
import { openPostgres } from '../src/storage/postgres/open.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
};
const USERS = arg('recipients', 10_000);
const CHANNELS = arg('channels', 200);
const RATE = arg('rate', 50);
const QUESTION_EVERY_MS = 1000;
const storeArg = process.argv.indexOf('--store');
const STORE = storeArg >= 0 ? process.argv[storeArg + 1] : 'lowdb';
if (STORE !== 'lowdb' && STORE !== 'postgres') throw new Error('--store must be lowdb or postgres');

// --- the connector stand-in: a sliding one-second window of accepted requests ---
const accepted: number[] = [];
let acceptedHead = 0;
let refused429 = 0;
let requests = 0;
const deliveries = new Map<string, number>(); // recipient conversation → notice cards received
let lastDeliveryAt = 0;
let seq = 0;

const connector = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    requests++;
    const now = performance.now();
    while (acceptedHead < accepted.length && accepted[acceptedHead] <= now - 1000) acceptedHead++;
    if (acceptedHead > 100_000) {
      accepted.splice(0, acceptedHead);
      acceptedHead = 0;
    }
    if (accepted.length - acceptedHead >= RATE) {
      refused429++;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
      return res.end('{"error":{"code":"Throttled","message":"too many requests"}}');
    }
    accepted.push(now);
    const parts = (req.url ?? '').split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
    const parsed = body ? JSON.parse(body) : {};
    const json = (o: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(o));
    };
    const isNotice = (a: any) =>
      JSON.stringify(a?.attachments ?? '').includes('Driftstörning i webSesam') &&
      !JSON.stringify(a).includes('Leveransrapport');
    if (parts[1] === 'conversations' && parts.length === 2) {
      const channel = String(parsed.channelData?.channel?.id ?? '');
      if (isNotice(parsed.activity)) count(channel);
      return json({ id: `${channel};messageid=${++seq}`, activityId: `act-${seq}` });
    }
    if (req.method === 'POST' && parts[3] === 'activities') {
      // Answers to a question reply to its activity (in-…): a notice there is an answer, not a delivery.
      if (isNotice(parsed) && !String(parts[4] ?? '').startsWith('in-')) count(parts[2]);
      return json({ id: `act-${++seq}` });
    }
    return json({ id: parts[4] ?? `act-${++seq}` });
  });
});

function count(conversation: string) {
  deliveries.set(conversation, (deliveries.get(conversation) ?? 0) + 1);
  lastDeliveryAt = performance.now();
}

await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

// --- the bot, with 10,000 users and 200 channels it already knows ---
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'wsh-bench-broadcast-'));
const bot = { id: '28:bot-id', name: 'webSesam-hjälpen' };
const recipients: Record<string, unknown> = {};
const userConversation = (i: number) => `a:personal-u${i}`;
const channelConversation = (i: number) => `19:kanal${i}@thread.tacv2`;
for (let i = 0; i < USERS; i++)
  recipients[`user:aad-u${i}`] = {
    id: `user:aad-u${i}`,
    kind: 'user',
    name: `u${i}`,
    tenantId: 'tenant-1',
    reference: {
      activityId: undefined,
      user: { id: `29:u${i}`, name: 'Anna Andersson', aadObjectId: `aad-u${i}` },
      bot,
      conversation: { id: userConversation(i), conversationType: 'personal', tenantId: 'tenant-1' },
      channelId: 'msteams',
      locale: 'sv-SE',
      serviceUrl,
    },
    firstSeenAt: new Date().toISOString(),
  };
const channels: string[] = [];
for (let i = 0; i < CHANNELS; i++) {
  const id = `channel:${channelConversation(i)}`;
  channels.push(id);
  recipients[id] = {
    id,
    kind: 'channel',
    name: `kanal ${i}`,
    tenantId: 'tenant-1',
    reference: {
      bot,
      conversation: {
        id: channelConversation(i),
        conversationType: 'channel',
        tenantId: 'tenant-1',
      },
      channelId: 'msteams',
      serviceUrl,
    },
    firstSeenAt: new Date().toISOString(),
  };
}
let pgServer: TestPostgres | undefined;
let databaseUrl = '';
if (STORE === 'lowdb') {
  // Written as files: 10,200 durable upserts would measure the seeding, not the broadcast.
  await fs.writeFile(path.join(dataDir, 'recipients.json'), JSON.stringify({ recipients }));
  await fs.writeFile(path.join(dataDir, 'notices.json'), JSON.stringify({ notices: {}, channels }));
} else {
  pgServer = await startTestPostgres({ fsync: true });
  databaseUrl = await pgServer.freshDatabase();
  // One statement each, for the same reason.
  const pool = await openPostgres({ url: databaseUrl, poolSize: 2 });
  const rows = Object.values(recipients) as {
    id: string;
    kind: string;
    name: string;
    tenantId: string;
    reference: unknown;
    firstSeenAt: string;
  }[];
  await pool.query(
    `INSERT INTO recipients (id, kind, name, tenant_id, reference, first_seen_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[], $6::text[])`,
    [
      rows.map((r) => r.id),
      rows.map((r) => r.kind),
      rows.map((r) => r.name),
      rows.map((r) => r.tenantId),
      rows.map((r) => JSON.stringify(r.reference)),
      rows.map((r) => r.firstSeenAt),
    ],
  );
  await pool.query(
    'INSERT INTO announcement_channels (recipient_id) SELECT r FROM unnest($1::text[]) WITH ORDINALITY AS x(r, i) ORDER BY i',
    [channels],
  );
  await pool.end();
}

const config = loadConfig({
  PORT: '0',
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl,
  SUPPORT_STAFF_IDS: 'aad-staff',
  OUTBOX_APP_LIMITS: `${RATE}/1`,
  RATE_LIMIT_BURST: '1000',
  RATE_LIMIT_PER_MINUTE: '100000',
});
const app = await startApp(config, { log: createLog('silent') });

let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const activity = (o: {
  text?: string;
  user: string;
  conversationId: string;
  type?: string;
  channel?: boolean;
  value?: unknown;
  name?: string;
}) => ({
  type: o.type ?? 'message',
  id: `in-${++seq}`,
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl,
  from: { id: `29:${o.user}`, name: 'Anna Andersson', aadObjectId: `aad-${o.user}` },
  conversation: {
    id: o.conversationId,
    conversationType: o.channel ? 'channel' : 'personal',
    tenantId: 'tenant-1',
  },
  recipient: bot,
  locale: 'sv-SE',
  text: o.text,
  value: o.value,
  name: o.name,
  channelData: {
    tenant: { id: 'tenant-1' },
    ...(o.channel
      ? { team: { id: 'team-1' }, channel: { id: o.conversationId.split(';')[0] } }
      : {}),
  },
});
async function post(body: unknown) {
  const res = await fetch(`${app.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}
const support = {
  user: 'staff',
  conversationId: '19:support@thread.tacv2;messageid=1',
  channel: true,
};
const invoke = (verb: string, data: Record<string, unknown>) =>
  post(
    activity({
      ...support,
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb, data } },
    }),
  );

// --- staff send an unplanned notice, as in the support channel ---
await post(activity({ ...support, text: 'nytt driftmeddelande' }));
const draft = {
  draftId: 'bench-notice',
  kind: 'unplanned',
  affected: 'alla',
  functionName: '',
  message: 'webSesam går inte att nå just nu. Vi felsöker.',
  showSelfHelp: 'true',
  startDate: '',
  startTime: '',
  endDate: '',
  endTime: '',
};
const preview = await invoke('outage.preview', draft);
const send = preview.value.actions.find((a: { verb: string }) => a.verb === 'outage.send');
const started = performance.now();
await invoke('outage.send', send.data);
const confirmedMs = performance.now() - started;

// --- users keep asking while it runs ---
const latencies: number[] = [];
let asked = 0;
const expected = USERS + CHANNELS;
const questions = [
  'hur skriver jag en hämtorder',
  'hur beställer jag till patient',
  'funkar inte webSesam?',
];
while (
  deliveries.size < expected &&
  performance.now() - started < (expected / RATE) * 3000 + 60_000
) {
  const t = performance.now();
  const i = asked++;
  await post(
    activity({
      user: `u${(i * 7919) % USERS}`,
      conversationId: userConversation((i * 7919) % USERS),
      text: questions[i % questions.length],
    }),
  );
  latencies.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, Math.max(0, QUESTION_EVERY_MS - (performance.now() - t))));
}
const totalMs = lastDeliveryAt - started;
// A moment more, so a late duplicate would still be counted.
await new Promise((r) => setTimeout(r, 3000));
clearInterval(rssTimer);

const duplicates = [...deliveries.values()].filter((n) => n > 1).length;
const lost = expected - deliveries.size;
latencies.sort((a, b) => a - b);
const p = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const minimumMs = (expected / RATE) * 1000;
const figures = {
  store: STORE,
  recipients: `${USERS} users + ${CHANNELS} channels`,
  rate: `${RATE}/s enforced by the stand-in (429 with Retry-After: 1 beyond)`,
  confirmedToStaffMs: Math.round(confirmedMs),
  totalSeconds: +(totalMs / 1000).toFixed(1),
  theoreticalMinimumSeconds: +(minimumMs / 1000).toFixed(1),
  efficiency: `${((minimumMs / totalMs) * 100).toFixed(1)} %`,
  duplicates,
  lost,
  connectorRequests: requests,
  refused429,
  questionsAsked: latencies.length,
  answerP50Ms: Math.round(p(0.5)),
  answerP95Ms: Math.round(p(0.95)),
  peakRssMB: Math.round(peakRss / 1024 / 1024),
};
process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);

await app.stop();
await new Promise<void>((r) => connector.close(() => r()));
await fs.rm(dataDir, { recursive: true, force: true });
await pgServer?.stop();
process.exitCode = duplicates === 0 && lost === 0 && minimumMs / totalMs >= 0.95 ? 0 : 1;
