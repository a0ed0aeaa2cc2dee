import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createConversation } from './conversation/conversation.js';
import { createKnowledge } from './knowledge/knowledge.js';
import { loadTopics } from './knowledge/load.js';
import { createLog, type Log } from './log.js';
import { createServer } from './server.js';
import { openStores } from './storage/open-stores.js';
import { createAdapter } from './teams/adapter.js';
import { SupportBot } from './teams/bot.js';
import { systemClock, type Clock } from './outbox/clock.js';
import type { Outbox } from './outbox/outbox.js';
import { createSmtpSender } from './mail/smtp-sender.js';
import { createNotifier } from './teams/notifier.js';
import { createOutages } from './outages/outages.js';
import { loadSelfHelp } from './outages/self-help.js';
import { outageChannelMiddleware } from './teams/outage-channel.js';
import { closeGracefully } from './http/drain.js';
import { createRateLimiter } from './http/rate-limit.js';
import { allowedTenants, createTenantCheck } from './http/tenant.js';
import { createAuthenticator, createBotAuthentication } from './teams/auth.js';
import { createTurnRunner, sayOnly } from './teams/authenticated-turn.js';
import { texts } from './texts.js';
import type { TicketFactsSource } from './stats/tickets.js';
import { ticketFactsFrom } from './stats/ticket-facts.js';
import { setupStatistics } from './tab/setup.js';
import { setupTickets } from './tickets/setup.js';
import { ticketChannelMiddleware } from './teams/ticket-channel.js';
import { createTicketErrorExplainer } from './teams/ticket-errors.js';

export interface AppOptions {
  log?: Log;
  /** The clock; tests pass their own. */
  now?: () => Date;
  /** Timers of the outbox (retries, pacing) and of outage reminders; tests pass a manual clock. */
  clock?: Clock;
  /** Ticket figures for the statistics tab; tests pass their own until tickets are wired. */
  ticketFacts?: TicketFactsSource;
}

export interface RunningApp {
  /** Base URL, e.g. http://127.0.0.1:3978 */
  url: string;
  port: number;
  /** Every message the bot sends on its own initiative goes through here. */
  outbox: Outbox;
  stop(): Promise<void>;
}

/** Composition root: config → log → store → domain → teams → server. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLog(config.LOG_LEVEL);
  const now = options.now ?? (() => new Date());

  const topics = await loadTopics(config.KNOWLEDGE_DIR);
  const knowledge = createKnowledge(topics, {
    answer: config.MATCH_ANSWER_THRESHOLD,
    suggest: config.MATCH_SUGGEST_THRESHOLD,
  });
  // lowdb files in DATA_DIR, or PostgreSQL shared by several instances when DATABASE_URL is set.
  const stores = await openStores(config);
  const { recipients, questionLog } = stores;
  // E-mail goes through the same outbox, over SMTP, when SMTP_URL is set.
  const mail = config.SMTP_URL
    ? createSmtpSender({
        url: config.SMTP_URL,
        from: config.SMTP_FROM,
        timeoutMs: config.SMTP_TIMEOUT_SECONDS * 1000,
      })
    : undefined;
  // Composed before the adapter it sends through (created below); it sends only once started.
  const outbox = await stores.createOutbox({
    sender: createNotifier(() => adapter, config.MicrosoftAppId),
    mail,
    mailLimits: config.OUTBOX_MAIL_LIMITS,
    mailBurst: config.OUTBOX_MAIL_BURST,
    recipients,
    log: log.child({ module: 'outbox' }),
    clock: options.clock ?? systemClock,
    appLimits: config.OUTBOX_APP_LIMITS,
    appBurst: config.OUTBOX_APP_BURST,
    conversationLimits: config.OUTBOX_CONVERSATION_LIMITS,
    conversationBurst: config.OUTBOX_CONVERSATION_BURST,
    concurrency: config.OUTBOX_CONCURRENCY,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    backoffBaseMs: config.OUTBOX_BACKOFF_BASE_MS,
    backoffMaxMs: config.OUTBOX_BACKOFF_MAX_MS,
    retentionDays: config.OUTBOX_RETENTION_DAYS,
  });
  const outages = createOutages({
    repo: stores.notices,
    recipients,
    outbox,
    selfHelp: await loadSelfHelp(config.KNOWLEDGE_DIR),
    isStaff: (r) => config.SUPPORT_STAFF_IDS.includes(r.userId),
    clock: options.clock ?? systemClock,
    reminderMinutes: config.OUTAGE_REMINDER_MINUTES,
    tickMs: config.OUTAGE_REPORT_INTERVAL_SECONDS * 1000,
    sendRate: Math.min(...config.OUTBOX_APP_LIMITS.map((l) => l.count / l.seconds)),
    newId: randomUUID,
    log: log.child({ module: 'outages' }),
  });
  // Every question is logged and counted in one step by the statistics store (lowdb: counters
  // from a snapshot and the log's tail; PostgreSQL: counter rows shared by every instance).
  const stats = await setupStatistics({
    config,
    knowledge,
    questionLog,
    openStats: stores.openStats,
    tickets: options.ticketFacts ?? ticketFactsFrom(async () => stores.tickets.all()),
    now,
    log: log.child({ module: 'stats' }),
  });
  const tickets = await setupTickets({
    settings: {
      chainFile: config.TICKET_CHAIN,
      openingHours: config.SUPPORT_HOURS,
      timeZone: config.SUPPORT_TIMEZONE,
      reminderAfterHours: config.TICKET_REMINDER_HOURS,
      routes: config.TICKET_ROUTES,
      staffIds: config.SUPPORT_STAFF_IDS,
      tickSeconds: config.TICKET_TICK_SECONDS,
    },
    repo: stores.tickets,
    channels: stores.channels,
    outbox,
    knowledge,
    questionLog: stats.questionLog,
    now,
    newId: randomUUID,
    log: log.child({ module: 'tickets' }),
  });

  const conversation = createConversation({
    knowledge,
    questionLog: tickets.questionLog,
    handlers: [outages.handler, stats.handler, tickets.chat.handler],
    banner: outages.banner,
    ticketsEnabled: true,
    now,
    newId: randomUUID,
    support: {
      email: config.SUPPORT_EMAIL,
      phone: config.SUPPORT_PHONE,
      phoneChoice: config.SUPPORT_PHONE_CHOICE,
      phoneHours: config.SUPPORT_PHONE_HOURS,
    },
  });

  stats.addVerbs(conversation);
  outages.addVerbs(conversation);
  tickets.chat.addVerbs(conversation);

  const botAuth = createBotAuthentication(config);
  const adapter = createAdapter(config, log.child({ module: 'adapter' }), botAuth);
  adapter.use(
    outageChannelMiddleware({
      outages,
      recipients,
      now,
      log: log.child({ module: 'outage-channel' }),
    }),
  );
  adapter.use(
    ticketChannelMiddleware({
      tickets: tickets.tickets,
      recipients,
      now,
      log: log.child({ module: 'ticket-channel' }),
    }),
  );
  const explainError = createTicketErrorExplainer({
    cards: tickets.cards,
    staff: tickets.tickets.staff,
    log: log.child({ module: 'tickets' }),
  });
  const bot = new SupportBot({
    conversation,
    recipients,
    log: log.child({ module: 'bot' }),
    now,
    explainError,
  });
  const messages = {
    authenticator: createAuthenticator(botAuth, log.child({ module: 'auth' })),
    runTurn: createTurnRunner(adapter),
    logic: bot.run.bind(bot),
    tenantAllowed: createTenantCheck(allowedTenants(config)),
    rateLimiter: createRateLimiter({
      burst: config.RATE_LIMIT_BURST,
      perMinute: config.RATE_LIMIT_PER_MINUTE,
      now: () => now().getTime(),
    }),
    throttledNotice: sayOnly(texts.slowDown),
    log: log.child({ module: 'messages' }),
  };
  const server = createServer({
    messages,
    log: log.child({ module: 'server' }),
    maxBodyBytes: config.MAX_BODY_BYTES,
    routes: [stats.routes],
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.listenHost === '0.0.0.0' ? '127.0.0.1' : config.listenHost}:${port}`;
  log.info(
    { url, localMode: config.localMode, topics: topics.length },
    'webSesam-hjälpen is listening',
  );
  await tickets.start(); // hands the outbox what a crash kept from it, then starts the reminders
  outbox.start();
  await outages.start();

  return {
    url,
    port,
    outbox,
    async stop() {
      // Requests in flight finish (their writes and sends) before the stores below close.
      await closeGracefully(server, config.SHUTDOWN_GRACE_MS);
      // Sends in flight finish and are recorded; what is still pending waits for the next start.
      tickets.stop();
      await outages.stop();
      await outbox.stop();
      await mail?.close();
      await stats.close();
      await stores.close();
    },
  };
}
