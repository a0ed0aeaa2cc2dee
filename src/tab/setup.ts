import path from 'node:path';
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
import { JsonlCallLog } from '../storage/lowdb/stats-call-log.js';
import type { CallLog } from '../stats/calls.js';
import { LOCAL_TAB_USER, createTabAccess, tabAccessOptions } from './access.js';
import { tabRoutes } from './routes.js';

export interface StatisticsSetupDeps {
  config: Config;
  knowledge: Knowledge;
  /** The raw question log: counters are rebuilt from it, then it is wrapped. */
  questionLog: QuestionLog;
  tickets?: TicketFactsSource;
  /** Registered calls in a shared store (PostgreSQL); without it, DATA_DIR/calls.jsonl. */
  callLog?: CallLog;
  now: () => Date;
  log: Log;
}

export interface StatisticsSetup {
  statistics: Statistics;
  /** Give this to the conversation instead of the raw log: it counts what is appended. */
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
  const ownCallLog = deps.callLog
    ? undefined
    : new JsonlCallLog(path.join(config.DATA_DIR, 'calls.jsonl'));
  const callLog = deps.callLog ?? ownCallLog!;
  const statistics = await createStatistics({
    questionLog: deps.questionLog,
    callLog,
    tickets: deps.tickets,
    categoryOfTopic: (id) => knowledge.topic(id)?.category ?? null,
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
    // A shared call log belongs to the store that opened it, and is closed with it.
    close: async () => ownCallLog?.close(),
  };
}
