import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Config } from './config.js';
import { createConversation } from './conversation/conversation.js';
import { createKnowledge } from './knowledge/knowledge.js';
import { loadTopics } from './knowledge/load.js';
import { setupKnowledge } from './knowledge/setup.js';
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
import { ticketTexts } from './tickets/texts.js';
import { ticketChannelMiddleware } from './teams/ticket-channel.js';
import { taughtRoutes } from './tab/taught-routes.js';
import { createTicketErrorExplainer } from './teams/ticket-errors.js';
import { setupAccess } from './access/setup.js';
import { accessChannelMiddleware } from './teams/access-channel.js';
import { createAccessErrorExplainer } from './teams/access-errors.js';
import { createFeatureTable, remembersChat, type FeatureTable } from './features/feature.js';
import { answersFeature } from './conversation/feature.js';
import { knowledgeFeature } from './knowledge/feature.js';
import { outagesFeature } from './outages/feature.js';
import { statisticsFeature } from './stats/feature.js';
import { ticketsFeature } from './tickets/feature.js';
import { accessFeature } from './access/feature.js';
import { createCardRenderer } from './cards/render.js';
import { withAccessRequests } from './access/report.js';
import { accessRequestsApi } from './tab/access-requests-api.js';
import { createTabAccess, tabAccessOptions } from './tab/access.js';

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
  /** The features' verbs and templates, as registered (a test holds them against the cards). */
  features: FeatureTable;
  stop(): Promise<void>;
}

/** Composition root: config → log → store → domain → teams → server. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const log = options.log ?? createLog(config.LOG_LEVEL);
  const now = options.now ?? (() => new Date());

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
    sender: createNotifier(
      () => adapter,
      config.MicrosoftAppId,
      (name, data) => renderCard(name, data),
    ),
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
  // The topic files as a live knowledge base (reloaded on change), with the phrases staff taught.
  const live = await setupKnowledge({
    dir: config.KNOWLEDGE_DIR,
    build: async () => {
      const topics = await loadTopics(config.KNOWLEDGE_DIR);
      const knowledge = createKnowledge(topics, {
        answer: config.MATCH_ANSWER_THRESHOLD,
        suggest: config.MATCH_SUGGEST_THRESHOLD,
      });
      return { topics, knowledge };
    },
    taughtThreshold: config.TAUGHT_MATCH_THRESHOLD,
    watchDebounceMs: config.KNOWLEDGE_WATCH_MS,
    repo: stores.taught,
    isStaff: (id) => config.SUPPORT_STAFF_IDS.includes(id),
    ticketQuestion: async (id) => (await stores.tickets.get(id))?.question,
    tellStaff: async (key, reply) => {
      const channel = await stores.channels.get('');
      if (channel) await outbox.enqueue([{ key, op: 'send', to: { recipientId: channel }, reply }]);
    },
    now,
    newId: randomUUID,
    log: log.child({ module: 'knowledge' }),
  });
  const knowledge = live.knowledge;
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
    tickets: withAccessRequests(
      options.ticketFacts ?? ticketFactsFrom(async () => stores.tickets.all()),
      stores.accessRequests,
    ),
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
      // Tickets by e-mail only where there is an SMTP server to send them through.
      mail:
        config.SMTP_URL && config.TICKET_EMAIL_MODE !== 'off'
          ? {
              mode: config.TICKET_EMAIL_MODE,
              to: config.TICKET_EMAIL_TO || config.SUPPORT_EMAIL,
              from: config.TICKET_EMAIL_FROM,
            }
          : null,
      deliveryCheckSeconds: config.TICKET_DELIVERY_CHECK_SECONDS,
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
  const access = await setupAccess({
    settings: {
      formFile: config.ACCESS_FORM,
      channelName: config.ACCESS_CHANNEL,
      openingHours: config.SUPPORT_HOURS,
      timeZone: config.SUPPORT_TIMEZONE,
      reminderAfterHours: config.ACCESS_REMINDER_HOURS,
      retentionMonths: config.ACCESS_RETENTION_MONTHS,
      staffIds: config.SUPPORT_STAFF_IDS,
      tickSeconds: config.ACCESS_TICK_SECONDS,
    },
    repo: stores.accessRequests,
    channels: stores.channels,
    recipients,
    outbox,
    now,
    newId: randomUUID,
    log: log.child({ module: 'access' }),
  });

  // The features in order: their chat commands are asked in this order, before the knowledge base.
  const ticketsFeat = ticketsFeature(tickets);
  const outagesFeat = outagesFeature(outages);
  const accessFeat = accessFeature(access);
  const domainFeatures = [
    knowledgeFeature(live),
    outagesFeat,
    statisticsFeature(stats),
    ticketsFeat,
    accessFeat,
  ];
  const conversation = createConversation({
    knowledge,
    questionLog: tickets.questionLog,
    handlers: domainFeatures.flatMap((f) => f.handlers ?? []),
    banner: outages.banner,
    ticketsEnabled: true,
    itSupport: {
      contact: (tenantId) =>
        config.IT_SUPPORT_CONTACTS_BY_TENANT[tenantId] ||
        config.IT_SUPPORT_CONTACT ||
        texts.itSupportDefault,
      offerTicket: config.IT_SUPPORT_OFFER_TICKET,
    },
    now,
    newId: randomUUID,
    support: {
      email: config.SUPPORT_EMAIL,
      phone: config.SUPPORT_PHONE,
      phoneChoice: config.SUPPORT_PHONE_CHOICE,
      phoneHours: config.SUPPORT_PHONE_HOURS,
    },
  });

  // One table of every feature's verbs and templates: the conversation and the cards use it.
  const features = createFeatureTable([answersFeature(conversation), ...domainFeatures]);
  for (const [verb, handler] of features.verbs) conversation.onVerb(verb, handler);
  const renderCard = createCardRenderer(features.templates);

  const botAuth = createBotAuthentication(config);
  const adapter = createAdapter(config, log.child({ module: 'adapter' }), botAuth);
  adapter.use(
    outageChannelMiddleware({
      outages,
      remembersChat: remembersChat(outagesFeat),
      recipients,
      now,
      log: log.child({ module: 'outage-channel' }),
    }),
  );
  adapter.use(
    ticketChannelMiddleware({
      tickets: tickets.tickets,
      warnings: tickets.warnings,
      remembersChat: remembersChat(ticketsFeat),
      recipients,
      now,
      log: log.child({ module: 'ticket-channel' }),
    }),
  );
  adapter.use(
    accessChannelMiddleware({
      remembersChat: remembersChat(accessFeat),
      recipients,
      emails: stores.accessRequests,
      now,
      log: log.child({ module: 'access-channel' }),
    }),
  );
  const explainAccessError = createAccessErrorExplainer({
    cards: access.cards,
    log: log.child({ module: 'access' }),
  });
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
    renderCard,
    explainError: async (e, requester) =>
      (await explainError(e, requester)) ?? explainAccessError(e, requester),
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
    routes: [
      stats.routes,
      taughtRoutes({
        teaching: live.teaching,
        knowledge,
        access: createTabAccess(tabAccessOptions(config, log.child({ module: 'teach' }))),
        log: log.child({ module: 'teach' }),
      }),
      accessRequestsApi({
        repo: stores.accessRequests,
        form: access.cards.form,
        timeZone: config.SUPPORT_TIMEZONE,
        access: createTabAccess(tabAccessOptions(config, log.child({ module: 'tab' }))),
        now,
        log: log.child({ module: 'access-tab' }),
      }),
    ],
    health: live.health,
    warnings: async () => [...live.warnings(), ...(await tickets.warnings())],
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.listenHost, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.listenHost === '0.0.0.0' ? '127.0.0.1' : config.listenHost}:${port}`;
  log.info(
    { url, localMode: config.localMode, topics: knowledge.topics().length },
    'webSesam-hjälpen is listening',
  );
  if (!config.SMTP_URL && config.TICKET_EMAIL_MODE === 'always')
    log.warn(ticketTexts.emailWithoutSmtpWarning);
  await tickets.start(); // hands the outbox what a crash kept from it, then starts the reminders
  await access.start();
  outbox.start();
  await outages.start();
  live.start();

  return {
    url,
    port,
    outbox,
    features,
    async stop() {
      // Requests in flight finish (their writes and sends) before the stores below close.
      await closeGracefully(server, config.SHUTDOWN_GRACE_MS);
      live.stop();
      // Sends in flight finish and are recorded; what is still pending waits for the next start.
      await tickets.stop();
      await access.stop();
      await outages.stop();
      await outbox.stop();
      await mail?.close();
      await stats.close();
      await stores.close();
    },
  };
}
