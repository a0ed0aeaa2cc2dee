import type { QuestionLog } from '../conversation/question-log.js';
import { fold } from '../knowledge/text.js';
import { OTHER_CATEGORY, type CallEntry } from './calls.js';
import { CountingQuestionLog } from './counting-question-log.js';
import { quarterLabel, quarterOf } from './quarter.js';
import type { StatsStore } from './store.js';
import { createReports } from './report.js';
import type { SupportHours } from '../support-hours/support-hours.js';
import { noTickets, type TicketFactsSource } from './tickets.js';

export interface StatisticsDeps {
  /** The logs and their counters (lowdb or PostgreSQL). */
  store: StatsStore;
  /** The plain question log, for reading; writes go through the store. */
  questionLog: Pick<QuestionLog, 'readAll'>;
  tickets?: TicketFactsSource;
  /** The knowledge base's categories. */
  categories: () => string[];
  /** Support staff and coordinators: who may register calls and read the figures. */
  isStaff: (userId: string) => boolean;
  now: () => Date;
  newId: () => string;
  /** The support's opening hours: ticket times are counted in them. */
  supportHours: Pick<SupportHours, 'hoursBetween'>;
}

export class NotStaffError extends Error {
  constructor(readonly userId: string) {
    super('Only support staff and coordinators may do this');
  }
}

export class UnknownCategoryError extends Error {
  constructor(readonly given: string) {
    super(`Unknown call category ${given.slice(0, 100)}`);
  }
}

export type Statistics = ReturnType<typeof createStatistics>;

/**
 * Statistics for the quarterly follow-up: every question and call is logged and counted by the
 * store in one step; reports read the store's counters, never the logs.
 */
export function createStatistics(deps: StatisticsDeps) {
  const { store, isStaff, now, newId } = deps;
  const reports = createReports({
    store,
    tickets: deps.tickets ?? noTickets,
    categories: deps.categories,
    supportHoursBetween: (from, to) => deps.supportHours.hoursBetween(from, to),
    now,
  });

  /** Categories a call can have: the knowledge base's, and "Övrigt" for the rest. */
  const callCategories = () => [...deps.categories(), OTHER_CATEGORY];

  /** The category a staff member meant: exact, or the only one starting with (or containing) what was typed. */
  function findCategory(given: string): string | undefined {
    const g = fold(given.trim());
    if (!g) return undefined;
    const all = callCategories();
    const exact = all.find((c) => fold(c) === g);
    if (exact) return exact;
    for (const test of [(c: string) => fold(c).startsWith(g), (c: string) => fold(c).includes(g)]) {
      const hits = all.filter(test);
      if (hits.length === 1) return hits[0];
      if (hits.length > 1) return undefined;
    }
    return undefined;
  }

  async function registerCall(userId: string, category: string, via: CallEntry['via']) {
    if (!isStaff(userId)) throw new NotStaffError(userId);
    const found = findCategory(category);
    if (!found) throw new UnknownCategoryError(category);
    const entry: CallEntry = {
      kind: 'call',
      id: newId(),
      at: now().toISOString(),
      category: found,
      registeredBy: userId,
      via,
    };
    await store.appendCall(entry); // logged and counted, durably, before anyone is told
    const q = quarterOf(entry.at);
    const counts = (await store.counts([q])).get(q);
    return {
      entry,
      quarterLabel: quarterLabel(q),
      countInQuarter: counts?.get(found)?.calls ?? 0,
    };
  }

  return {
    /** Wrap the question log with this, so every logged question is counted as it is written. */
    countingLog: () => new CountingQuestionLog(store, deps.questionLog),
    report: reports.report,
    currentQuarter: reports.currentQuarter,
    registerCall,
    findCategory,
    callCategories,
    isStaff,
  };
}
