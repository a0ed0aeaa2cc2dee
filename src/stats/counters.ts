import { GapCounter, type GapChange, type GapGroup } from './gaps.js';
import { previousQuarter, quarterOf, type QuarterKey } from './quarter.js';
import {
  emptyCounts,
  isCounterName,
  tally,
  type CategoryCounts,
  type CountedEntry,
  type CounterName,
  type QuestionMemo,
  type TallySink,
} from './tally.js';

export { emptyCounts, NO_CATEGORY, type CategoryCounts } from './tally.js';

// Feedback arrives seconds to hours after its question. Remembering the latest questions (not all
// of them) lets a 👎 find its question's text and quarter while memory stays flat at any log size.
const RECENT_QUESTIONS = 50_000;

/** The counters as a snapshot file holds them (see src/storage/lowdb/stats.ts). */
export interface CountersJson {
  quarters: [QuarterKey, [string, Partial<CategoryCounts>][]][];
  gaps: [QuarterKey, GapGroup[]][];
  /** Oldest first. */
  recent: [string, QuestionMemo][];
}

/**
 * Pre-aggregated counters per quarter × category, in memory, fed entry by entry (lowdb). A report
 * reads a few dozen numbers, never the log.
 */
export class StatsCounters implements TallySink {
  private readonly quarters = new Map<QuarterKey, Map<string, CategoryCounts>>();
  private readonly gaps = new Map<QuarterKey, GapCounter>();
  private readonly recent = new Map<string, QuestionMemo>();
  // Insertion order for eviction. Not `recent.keys().next()`: after many deletions at its front a
  // V8 Map skips the deleted slots on every call, and a 500,000-line rebuild went quadratic (57 s).
  private readonly recentOrder: (string | undefined)[] = new Array(RECENT_QUESTIONS);
  private recentNext = 0;

  constructor(private readonly categoryOfTopic: (topicId: string) => string | null) {}

  add(entry: CountedEntry): void {
    tally(entry, this, this.categoryOfTopic);
  }

  /** Counts of a quarter by category key (NO_CATEGORY for none); empty if nothing was logged. */
  quarter(q: QuarterKey): ReadonlyMap<string, Readonly<CategoryCounts>> {
    return this.quarters.get(q) ?? new Map();
  }

  quarterGaps(q: QuarterKey): GapCounter {
    return this.gaps.get(q) ?? new GapCounter();
  }

  /** Quarters that have any entry, newest first. */
  knownQuarters(): QuarterKey[] {
    return [...this.quarters.keys()].sort().reverse();
  }

  /** Closed quarters (before the previous one) keep only their most frequent gap groups. */
  compact(now: Date): void {
    const oldest = previousQuarter(quarterOf(now));
    for (const [q, g] of this.gaps) if (q < oldest) g.compact();
  }

  // --- TallySink

  count(q: QuarterKey, category: string, counter: CounterName, delta: number): void {
    let byCategory = this.quarters.get(q);
    if (!byCategory) this.quarters.set(q, (byCategory = new Map()));
    let c = byCategory.get(category);
    if (!c) byCategory.set(category, (c = emptyCounts()));
    c[counter] += delta;
  }

  gap(change: GapChange): void {
    let g = this.gaps.get(change.quarter);
    if (!g) this.gaps.set(change.quarter, (g = new GapCounter()));
    g.add(change);
  }

  question(id: string): QuestionMemo | undefined {
    return this.recent.get(id);
  }

  remember(id: string, memo: QuestionMemo): void {
    if (this.recent.has(id)) {
      this.recent.set(id, memo); // a change to a remembered question keeps its place
      return;
    }
    const evicted = this.recentOrder[this.recentNext];
    if (evicted !== undefined) this.recent.delete(evicted);
    this.recentOrder[this.recentNext] = id;
    this.recentNext = (this.recentNext + 1) % RECENT_QUESTIONS;
    this.recent.set(id, memo);
  }

  // --- snapshot

  toJSON(): CountersJson {
    const recent: [string, QuestionMemo][] = [];
    for (let i = 0; i < RECENT_QUESTIONS; i++) {
      const id = this.recentOrder[(this.recentNext + i) % RECENT_QUESTIONS];
      const memo = id === undefined ? undefined : this.recent.get(id);
      if (id !== undefined && memo) recent.push([id, memo]);
    }
    return {
      quarters: [...this.quarters].map(([q, m]) => [q, [...m]]),
      gaps: [...this.gaps].map(([q, g]) => [q, g.toJSON()]),
      recent,
    };
  }

  static fromJSON(
    json: CountersJson,
    categoryOfTopic: (topicId: string) => string | null,
  ): StatsCounters {
    const c = new StatsCounters(categoryOfTopic);
    for (const [q, categories] of json.quarters)
      for (const [category, counts] of categories)
        for (const [name, value] of Object.entries(counts))
          if (isCounterName(name) && typeof value === 'number') c.count(q, category, name, value);
    for (const [q, groups] of json.gaps) c.gaps.set(q, GapCounter.fromJSON(groups));
    for (const [id, memo] of json.recent) c.remember(id, memo);
    return c;
  }
}
