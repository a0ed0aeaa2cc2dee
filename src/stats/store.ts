import type { LogEntry } from '../conversation/question-log.js';
import type { CallEntry } from './calls.js';
import type { GapGroup } from './gaps.js';
import type { QuarterKey } from './quarter.js';
import type { CategoryCounts } from './tally.js';

/**
 * The statistics' only view of storage: the logs and their counters as one. Writing an entry
 * and counting it are one step, so no instance (and no restart) can see one without the other.
 * lowdb: JSON Lines logs and counters in memory, with a snapshot beside them (one instance).
 * PostgreSQL: counter rows written in the log line's transaction (any number of instances).
 */
export interface StatsStore {
  /** Logs a question, a 👍/👎 or a pick, and counts it; durable as its log is before it resolves. */
  append(entry: LogEntry): Promise<void>;
  /** Logs a registered call and counts it, likewise. */
  appendCall(entry: CallEntry): Promise<void>;
  /** Counts of these quarters by category (NO_CATEGORY for none); a quarter with none is empty. */
  counts(quarters: QuarterKey[]): Promise<Map<QuarterKey, Map<string, CategoryCounts>>>;
  /** The quarter's `k` most frequent knowledge gap groups, most frequent first. */
  topGaps(quarter: QuarterKey, k: number): Promise<GapGroup[]>;
  /** Quarters with anything counted, newest first. */
  quarters(): Promise<QuarterKey[]>;
  /** Stops timers and writes what is pending; the logs themselves are closed by their owner. */
  close(): Promise<void>;
}

/** What a store needs from the domain to count: the knowledge base's topics, and the clock. */
export interface StatsStoreDeps {
  categoryOfTopic: (topicId: string) => string | null;
  now: () => Date;
}
