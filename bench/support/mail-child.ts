/**
 * The outbox with its SMTP sender in a process of its own, for bench/mail.ts to kill with -9:
 * configured from the environment as the bot is (DATA_DIR or DATABASE_URL, SMTP_URL, OUTBOX_*),
 * it enqueues ENQUEUE mails (keys `<RUN>-<i>`) one by one, writing `confirmed <key>` once each
 * enqueue has resolved (stored), while the outbox sends in the background.
 */
import { loadConfig } from '../../src/config.js';
import { createLog } from '../../src/log.js';
import { createSmtpSender } from '../../src/mail/smtp-sender.js';
import { systemClock } from '../../src/outbox/clock.js';
import type { Sender } from '../../src/outbox/outbox.js';
import { openStores } from '../../src/storage/open-stores.js';

const config = loadConfig(process.env);
const stores = await openStores(config);
const mail = createSmtpSender({
  url: config.SMTP_URL,
  from: config.SMTP_FROM,
  timeoutMs: config.SMTP_TIMEOUT_SECONDS * 1000,
});
const noTeams: Sender = {
  send: () => Promise.reject(new Error('no Teams here')),
  update: () => Promise.reject(new Error('no Teams here')),
  createThread: () => Promise.reject(new Error('no Teams here')),
  withConversation: (r) => r,
};
const outbox = await stores.createOutbox({
  sender: noTeams,
  mail,
  recipients: stores.recipients,
  log: createLog(config.LOG_LEVEL),
  clock: systemClock,
  appLimits: config.OUTBOX_APP_LIMITS,
  appBurst: config.OUTBOX_APP_BURST,
  conversationLimits: config.OUTBOX_CONVERSATION_LIMITS,
  conversationBurst: config.OUTBOX_CONVERSATION_BURST,
  mailLimits: config.OUTBOX_MAIL_LIMITS,
  mailBurst: config.OUTBOX_MAIL_BURST,
  concurrency: config.OUTBOX_CONCURRENCY,
  maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
  backoffBaseMs: config.OUTBOX_BACKOFF_BASE_MS,
  backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS,
  retentionDays: config.OUTBOX_RETENTION_DAYS,
});
outbox.start();
process.stdout.write('started\n');
const run = process.env.RUN ?? 'run';
const total = Number(process.env.ENQUEUE ?? 0);
const addresses = Number(process.env.ADDRESSES ?? 3);
for (let i = 0; i < total; i++) {
  const key = `${run}-${i}`;
  await outbox.enqueue([
    {
      key,
      op: 'email',
      mail: {
        to: `support${i % addresses}@example.se`,
        subject: `Ärende ${key}`,
        text: `Ärende ${key}\n\nBeställningen fastnar.`,
        messageId: `<${key}@bench.websesam-hjalpen>`,
      },
    },
  ]);
  process.stdout.write(`confirmed ${key}\n`);
}
process.stdout.write('enqueued\n');
