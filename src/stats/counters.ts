import type { FeedbackLogEntry, LogEntry, QuestionLogEntry } from '../conversation/question-log.js';
import type { CallEntry } from './calls.js';
import { GapCounter } from './gaps.js';
import { quarterOf, type QuarterKey } from './quarter.js';

/** Counts of one quarter × category. */
export interface CategoryCounts {
  questions: number;
  answered: number;
  choices: number;
  noAnswer: number;
  outOfScope: number;
  /** "Menade du …?" questions where the user then picked a topic. */
  choicePicked: number;
  personal: number;
  channel: number;
  groupChat: number;
  helpful: number;
  notHelpful: number;
  calls: number;
}

export const emptyCounts = (): CategoryCounts => ({
  questions: 0,
  answered: 0,
  choices: 0,
  noAnswer: 0,
  outOfScope: 0,
  choicePicked: 0,
  personal: 0,
  channel: 0,
  groupChat: 0,
  helpful: 0,
  notHelpful: 0,
  calls: 0,
});

/** Questions without a category (no answer, out of scope) are counted under this key. */
export const NO_CATEGORY = '';

interface Recent {
  quarter: QuarterKey;
  category: string;
  text: string;
  helpful?: boolean;
  picked?: boolean;
}

// Feedback arrives seconds to hours after its question. Remembering the latest questions (not all
// of them) lets a 👎 find its question's text and quarter while memory stays flat at any log size.
const RECENT_QUESTIONS = 50_000;

const OUTCOME_FIELD = {
  answered: 'answered',
  choices: 'choices',
  'no-answer': 'noAnswer',
  'out-of-scope': 'outOfScope',
} as const satisfies Partial<Record<QuestionLogEntry['outcome'], keyof CategoryCounts>>;

/**
 * Pre-aggregated counters per quarter × category, fed entry by entry: once at start from the
 * logs, then on every append. A report reads a few dozen numbers, never the log.
 */
export class StatsCounters {
  private readonly quarters = new Map<QuarterKey, Map<string, CategoryCounts>>();
  private readonly gaps = new Map<QuarterKey, GapCounter>();
  private readonly recent = new Map<string, Recent>();
  // Insertion order for eviction. Not `recent.keys().next()`: after many deletions at its front a
  // V8 Map skips the deleted slots on every call, and a 500,000-line rebuild went quadratic (57 s).
  private readonly recentOrder: string[] = new Array(RECENT_QUESTIONS);
  private recentNext = 0;

  constructor(private readonly categoryOfTopic: (topicId: string) => string | null) {}

  add(entry: LogEntry | CallEntry): void {
    // The log is read back from disk: an entry edited by hand or from an older version must not
    // stop the start or count under a "NaN" quarter.
    if (
      !entry ||
      typeof entry !== 'object' ||
      typeof entry.at !== 'string' ||
      Number.isNaN(Date.parse(entry.at))
    )
      return;
    if (entry.kind === 'question') this.addQuestion(entry);
    else if (entry.kind === 'feedback' || entry.kind === 'choice') this.addFeedback(entry);
    else if (entry.kind === 'call' && typeof entry.category === 'string')
      this.counts(quarterOf(entry.at), entry.category).calls++;
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

  private counts(q: QuarterKey, category: string): CategoryCounts {
    let byCategory = this.quarters.get(q);
    if (!byCategory) this.quarters.set(q, (byCategory = new Map()));
    let c = byCategory.get(category);
    if (!c) byCategory.set(category, (c = emptyCounts()));
    return c;
  }

  private gapsOf(q: QuarterKey): GapCounter {
    let g = this.gaps.get(q);
    if (!g) this.gaps.set(q, (g = new GapCounter()));
    return g;
  }

  private addQuestion(e: QuestionLogEntry): void {
    const field = OUTCOME_FIELD[e.outcome as keyof typeof OUTCOME_FIELD];
    if (!field) return; // 'empty' is never logged; anything else is not a question we count
    const q = quarterOf(e.at);
    const category = typeof e.category === 'string' ? e.category : NO_CATEGORY;
    const c = this.counts(q, category);
    c.questions++;
    c[field]++;
    if (e.conversationType === 'channel') c.channel++;
    else if (e.conversationType === 'groupChat') c.groupChat++;
    else c.personal++;
    const text = typeof e.text === 'string' ? e.text : '';
    if (e.outcome === 'no-answer') this.gapsOf(q).add(text, 'noAnswer', 1);
    if (e.outcome === 'answered' || e.outcome === 'choices') {
      const id = String(e.id);
      const evicted = this.recentOrder[this.recentNext];
      if (evicted !== undefined) this.recent.delete(evicted);
      this.recentOrder[this.recentNext] = id;
      this.recentNext = (this.recentNext + 1) % RECENT_QUESTIONS;
      this.recent.set(id, { quarter: q, category, text });
    }
  }

  private addFeedback(e: FeedbackLogEntry): void {
    const question = this.recent.get(e.questionId);
    const q = question?.quarter ?? quarterOf(e.at);
    if (e.kind === 'choice') {
      // Counted where its question was, so a category's answered share never passes 100 %.
      if (question?.picked) return;
      if (question) question.picked = true;
      this.counts(q, question?.category ?? this.categoryOfTopic(e.topicId) ?? NO_CATEGORY)
        .choicePicked++;
      return;
    }
    // The answer's topic decides the category of a 👍/👎: after "Menade du …?" that is the topic picked.
    const c = this.counts(q, this.categoryOfTopic(e.topicId) ?? question?.category ?? NO_CATEGORY);
    if (typeof e.helpful !== 'boolean') return;
    if (question?.helpful !== undefined) {
      // A second click on the same answer (an old client re-showing the buttons): the last one counts.
      if (question.helpful === e.helpful) return;
      if (question.helpful) c.helpful--;
      else {
        c.notHelpful--;
        this.gapsOf(q).add(question.text, 'notHelpful', -1);
      }
    }
    if (e.helpful) c.helpful++;
    else {
      c.notHelpful++;
      if (question) this.gapsOf(q).add(question.text, 'notHelpful', 1, e.topicId);
    }
    if (question) question.helpful = e.helpful;
  }
}
