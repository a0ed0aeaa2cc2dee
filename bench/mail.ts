/**
 * E-mail figures for the note: `npx tsx bench/mail.ts` (STORE=postgres for PostgreSQL).
 *  1. Throughput: MAILS mails through the outbox to a real SMTP server on loopback (smtp-server),
 *     to one address (one lane: one mail at a time, the support mailbox case) and to 10 addresses,
 *     with the mail pacing raised so that it measures the outbox and SMTP, not the limit.
 *  2. Crash loop: the outbox in a child process, killed with -9 CRASHES times (default 30) while it
 *     enqueues and sends; then a last run sends what is left. Confirmed mails lost must be 0;
 *     mails that arrived twice (same Message-ID) are the price of resending a send cut off mid-way.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from '../src/config.js';
import { createLog } from '../src/log.js';
import { createSmtpSender } from '../src/mail/smtp-sender.js';
import { systemClock } from '../src/outbox/clock.js';
import type { OutgoingMessage } from '../src/outbox/outbox.js';
import { openLowdbStores, openPostgresStores, type Stores } from '../src/storage/open-stores.js';
import { tempDir } from '../test/support/bot.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.js';
import { startTestSmtp, type TestSmtp } from '../test/support/smtp.js';

const STORE = process.env.STORE === 'postgres' ? 'postgres' : 'lowdb';
const MAILS = Number(process.env.MAILS ?? 1000);
const CRASHES = Number(process.env.CRASHES ?? 30);
const here = path.dirname(fileURLToPath(import.meta.url));
const FAST_MAIL = { OUTBOX_MAIL_LIMITS: '100000/1', OUTBOX_MAIL_BURST: '100' };

let pgServer: TestPostgres | undefined;
async function freshStore(): Promise<{ env: Record<string, string>; open: () => Promise<Stores> }> {
  const dir = await tempDir('wsh-bench-mail-');
  if (STORE === 'lowdb') return { env: { DATA_DIR: dir }, open: () => openLowdbStores(dir) };
  pgServer ??= await startTestPostgres({ fsync: true });
  const url = await pgServer.freshDatabase();
  const config = {
    DATA_DIR: dir,
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: 4,
    OUTBOX_LEASE_SECONDS: 5,
  };
  return { env: { DATA_DIR: dir, DATABASE_URL: url }, open: () => openPostgresStores(config) };
}

const email = (key: string, to: string): OutgoingMessage => ({
  key,
  op: 'email',
  mail: {
    to,
    subject: `Ärende ${key}`,
    text: `Ärende ${key}\n\nBeställningen fastnar.`,
    messageId: `<${key}@bench.websesam-hjalpen>`,
  },
});

async function waitUntil(p: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!p() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return p();
}

async function throughput(smtp: TestSmtp, addresses: number) {
  const { open } = await freshStore();
  const stores = await open();
  const mail = createSmtpSender({ url: smtp.url, from: 'bot@example.se', timeoutMs: 10_000 });
  const outbox = await stores.createOutbox({
    sender: {
      send: () => Promise.reject(new Error('no Teams here')),
      update: () => Promise.reject(new Error('no Teams here')),
      createThread: () => Promise.reject(new Error('no Teams here')),
      withConversation: (r) => r,
    },
    mail,
    recipients: stores.recipients,
    log: createLog('silent'),
    clock: systemClock,
    appLimits: [{ count: 50, seconds: 1 }],
    appBurst: 2,
    conversationLimits: [{ count: 7, seconds: 1 }],
    conversationBurst: 3,
    mailLimits: [{ count: 100_000, seconds: 1 }],
    mailBurst: 100,
    concurrency: 16,
    maxAttempts: 10,
    backoffBaseMs: 100,
    backoffMaxMs: 1000,
    retentionDays: 30,
  });
  outbox.start();
  const before = smtp.mails.length;
  const tag = `t${addresses}-${Date.now()}`;
  const t0 = performance.now();
  for (let i = 0; i < MAILS; i += 100)
    await outbox.enqueue(
      Array.from({ length: Math.min(100, MAILS - i) }, (_, j) =>
        email(`${tag}-${i + j}`, `support${(i + j) % addresses}@example.se`),
      ),
    );
  const all = await waitUntil(() => smtp.mails.length - before >= MAILS, 600_000);
  const seconds = (performance.now() - t0) / 1000;
  await outbox.stop();
  await mail.close();
  await stores.close();
  if (!all) throw new Error(`only ${smtp.mails.length - before} of ${MAILS} arrived`);
  return +(MAILS / seconds).toFixed(1);
}

function startChild(env: Record<string, string>, onConfirmed: (key: string) => void) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'support/mail-child.ts')],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let buffer = '';
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!; // a line cut by the kill was never complete
    for (const line of lines) {
      if (line === 'started') started();
      else if (line.startsWith('confirmed ')) onConfirmed(line.slice('confirmed '.length));
    }
  });
  return {
    ready: Promise.race([ready, exited]),
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function crashLoop(smtp: TestSmtp) {
  const { env: storeEnv } = await freshStore();
  const confirmed = new Set<string>();
  const before = smtp.countsByMessageId();
  const env = {
    ...storeEnv,
    ...FAST_MAIL,
    SMTP_URL: smtp.url,
    SMTP_FROM: 'bot@example.se',
    OUTBOX_LEASE_SECONDS: '5',
    OUTBOX_BACKOFF_BASE_MS: '100',
    OUTBOX_BACKOFF_MAX_MS: '1000',
  };
  for (let crash = 0; crash < CRASHES; crash++) {
    const child = startChild({ ...env, RUN: `c${crash}`, ENQUEUE: '100000' }, (k) =>
      confirmed.add(k),
    );
    await child.ready;
    await new Promise((r) => setTimeout(r, 200 + Math.random() * 500));
    await child.kill9();
    process.stderr.write(`crash ${crash + 1}/${CRASHES}: ${confirmed.size} mails confirmed\n`);
  }
  // The last run only sends what is left (PostgreSQL: claims of killed runs return after the lease).
  const last = startChild({ ...env, RUN: 'last', ENQUEUE: '0' }, () => undefined);
  await last.ready;
  let counts = smtp.countsByMessageId();
  const arrived = (key: string) =>
    (counts.get(`<${key}@bench.websesam-hjalpen>`) ?? 0) -
    (before.get(`<${key}@bench.websesam-hjalpen>`) ?? 0);
  // One copy of the counts per look, not per key: the server shares this process.
  const allArrived = () => {
    counts = smtp.countsByMessageId();
    return [...confirmed].every((k) => arrived(k) > 0);
  };
  // Until every confirmed mail is there, or nothing has arrived for 30 s (a slow machine is not
  // a lost mail; a stall is).
  const t0 = performance.now();
  let seen = -1;
  while (!allArrived()) {
    const now = smtp.mails.length;
    if (now === seen) break;
    seen = now;
    await waitUntil(() => smtp.mails.length > seen, 30_000);
  }
  const drainSeconds = +((performance.now() - t0) / 1000).toFixed(1);
  await new Promise((r) => setTimeout(r, 2000)); // a late repeat still counts
  await last.kill9();
  counts = smtp.countsByMessageId();
  const repeats = [...counts].filter(([id]) => !before.has(id));
  const lost = [...confirmed].filter((k) => arrived(k) === 0);
  if (lost.length)
    process.stderr.write(
      `lost, e.g.: ${lost.slice(0, 5).join(' ')} (store ${JSON.stringify(storeEnv)})\n`,
    );
  return {
    crashes: CRASHES,
    confirmedMails: confirmed.size,
    lostConfirmed: [...confirmed].filter((k) => arrived(k) === 0).length,
    mailsArrived: repeats.reduce((a, [, n]) => a + n, 0),
    sentTwice: repeats.filter(([, n]) => n > 1).length,
    extraCopies: repeats.reduce((a, [, n]) => a + Math.max(0, n - 1), 0),
    drainSeconds,
  };
}

const smtp = await startTestSmtp({ parse: false });
try {
  const results = {
    store: STORE,
    mails: MAILS,
    mailsPerSecondOneAddress: await throughput(smtp, 1),
    mailsPerSecondTenAddresses: await throughput(smtp, 10),
    crashLoop: CRASHES > 0 ? await crashLoop(smtp) : undefined,
  };
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.exitCode = results.crashLoop?.lostConfirmed ? 1 : 0;
} finally {
  await smtp.stop();
  await pgServer?.stop();
}
