import { randomUUID } from 'node:crypto';
import type restify from 'restify';
import type { Config } from '../config.js';
import type { QuestionLog } from '../conversation/question-log.js';
import type { MessageHandler } from '../conversation/replies.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import type { Log } from '../log.js';
import { callCommand } from '../stats/call-command.js';
import { createStatistics, type Statistics } from '../stats/statistics.js';
import { createSupportHours, parseOpeningHours } from '../support-hours/support-hours.js';
import type { TicketFactsSource } from '../stats/tickets.js';
import type { StatsStore, StatsStoreDeps } from '../stats/store.js';
import { LOCAL_TAB_USER, createTabAccess, tabAccessOptions } from './access.js';
import { tabRoutes } from './routes.js';

export interface StatisticsSetupDeps {
  config: Config;
  knowledge: Knowledge;
  /** The plain question log, for reading; the statistics store writes it. */
  questionLog: QuestionLog;
  /** Opens the statistics' logs and counters on the app's store (see Stores.openStats). */
  openStats: (deps: StatsStoreDeps & { log?: Log }) => Promise<StatsStore>;
  tickets?: TicketFactsSource;
  now: () => Date;
  log: Log;
}

export interface StatisticsSetup {
  statistics: Statistics;
  /** Give this to the conversation (or what wraps it) instead of the raw log: it counts what is appended. */
  questionLog: QuestionLog;
  /** `samtal <kategori>` from staff. */
  handler: MessageHandler;
  /** For createServer's `routes`. */
  routes: (server: restify.Server) => void;
  close(): Promise<void>;
}

/** Wires statistics into the app: one call from the composition root. */
export async function setupStatistics(deps: StatisticsSetupDeps): Promise<StatisticsSetup> {
  const { config, knowledge, now, log } = deps;
  const staff = new Set([...config.SUPPORT_STAFF_IDS, ...config.COORDINATOR_IDS]);
  const store = await deps.openStats({
    categoryOfTopic: (id) => knowledge.topic(id)?.category ?? null,
    now,
    log,
  });
  const statistics = createStatistics({
    store,
    questionLog: deps.questionLog,
    tickets: deps.tickets,
    categories: () => knowledge.categories(),
    // In local mode the tab has no signed-in user; only this machine reaches it (see access.ts).
    isStaff: (id) => staff.has(id) || (config.localMode && id === LOCAL_TAB_USER),
    now,
    newId: randomUUID,
    supportHours: createSupportHours({
      ...parseOpeningHours(config.SUPPORT_HOURS),
      timeZone: config.SUPPORT_TIMEZONE,
      country: 'SE',
    }),
  });
  const access = createTabAccess(tabAccessOptions(config, log));
  return {
    statistics,
    questionLog: statistics.countingLog(),
    handler: callCommand(statistics),
    routes: tabRoutes({ statistics, access, log }),
    // Writes the lowdb snapshot; the logs themselves close with the stores.
    close: () => store.close(),
  };
}
