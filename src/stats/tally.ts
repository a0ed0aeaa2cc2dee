import type { FeedbackLogEntry, LogEntry, QuestionLogEntry } from '../conversation/question-log.js';
import { maskPersonnummer } from '../privacy/mask.js';
import type { CallEntry } from './calls.js';
import { gapKey, type GapChange } from './gaps.js';
import { quarterOf, type QuarterKey } from './quarter.js';

/**
 * The named counters of one quarter × category. Stores keep them by name (PostgreSQL: a row per
 * quarter × category × counter), so a new kind of contact is a new name here, not a new column.
 */
export const COUNTERS = [
  'questions',
  'answered',
  'choices',
  'noAnswer',
  'outOfScope',
  /** "Menade du …?" questions where the user then picked a topic. */
  'choicePicked',
  'personal',
  'channel',
  'groupChat',
  'helpful',
  'notHelpful',
  'calls',
] as const;
export type CounterName = (typeof COUNTERS)[number];
export type CategoryCounts = Record<CounterName, number>;

/**
 * Contacts other than questions to the bot, by log entry kind: each counts once under its
 * category. Access requests, when they land, are a line here, a name in COUNTERS and a figure.
 */
export const CONTACT_COUNTERS: Record<string, CounterName> = { call: 'calls' };

const COUNTER_NAMES = new Set<string>(COUNTERS);
export const isCounterName = (s: string): s is CounterName => COUNTER_NAMES.has(s);

export const emptyCounts = (): CategoryCounts =>
  Object.fromEntries(COUNTERS.map((c) => [c, 0])) as CategoryCounts;

/** Questions without a category (no answer, out of scope) are counted under this key. */
export const NO_CATEGORY = '';

/** What statistics remember of an answered question, so that a later 👍/👎 or pick finds it. */
export interface QuestionMemo {
  quarter: QuarterKey;
  category: string;
  text: string;
  helpful?: boolean;
  picked?: boolean;
}

/**
 * Where counting writes to: the in-memory counters (lowdb) or one transaction's changes
 * (PostgreSQL). `question` reads a remembered question; `remember` stores a new or changed one.
 */
export interface TallySink {
  count(quarter: QuarterKey, category: string, counter: CounterName, delta: number): void;
  gap(change: GapChange): void;
  question(id: string): QuestionMemo | undefined;
  remember(id: string, memo: QuestionMemo): void;
}

const OUTCOME_COUNTER = {
  answered: 'answered',
  choices: 'choices',
  'no-answer': 'noAnswer',
  'out-of-scope': 'outOfScope',
} as const satisfies Partial<Record<QuestionLogEntry['outcome'], CounterName>>;

const example = (text: string) => maskPersonnummer(text.trim().slice(0, 200));

/** Any entry the counting understands: a question-log line or a registered call. */
export type CountedEntry = LogEntry | CallEntry;

/**
 * What one log entry counts for. The same function feeds both stores, so a figure means the same
 * on lowdb and on PostgreSQL, and after a restart as while running.
 */
export function tally(
  entry: CountedEntry,
  sink: TallySink,
  categoryOfTopic: (topicId: string) => string | null,
): void {
  // The log is read back from disk: an entry edited by hand or from an older version must not
  // stop the start or count under a "NaN" quarter.
  if (
    !entry ||
    typeof entry !== 'object' ||
    typeof entry.at !== 'string' ||
    Number.isNaN(Date.parse(entry.at))
  )
    return;
  if (entry.kind === 'question') tallyQuestion(entry, sink);
  else if (entry.kind === 'feedback' || entry.kind === 'choice')
    tallyFeedback(entry, sink, categoryOfTopic);
  else if (Object.hasOwn(CONTACT_COUNTERS, entry.kind)) {
    const { category } = entry as { category?: unknown };
    if (typeof category === 'string')
      sink.count(quarterOf(entry.at), category, CONTACT_COUNTERS[entry.kind], 1);
  }
}

function tallyQuestion(e: QuestionLogEntry, sink: TallySink): void {
  const counter = OUTCOME_COUNTER[e.outcome as keyof typeof OUTCOME_COUNTER];
  if (!counter) return; // 'empty' is never logged; anything else is not a question we count
  const q = quarterOf(e.at);
  const category = typeof e.category === 'string' ? e.category : NO_CATEGORY;
  sink.count(q, category, 'questions', 1);
  sink.count(q, category, counter, 1);
  const channel =
    e.conversationType === 'channel'
      ? 'channel'
      : e.conversationType === 'groupChat'
        ? 'groupChat'
        : 'personal';
  sink.count(q, category, channel, 1);
  const text = typeof e.text === 'string' ? e.text : '';
  if (e.outcome === 'no-answer') {
    const key = gapKey(text);
    // Nothing but filler words: nothing an author could write a topic for.
    if (key) sink.gap({ quarter: q, key, kind: 'noAnswer', delta: 1, example: example(text) });
  }
  if ((e.outcome === 'answered' || e.outcome === 'choices') && e.id != null)
    sink.remember(String(e.id), { quarter: q, category, text });
}

function tallyFeedback(
  e: FeedbackLogEntry,
  sink: TallySink,
  categoryOfTopic: (topicId: string) => string | null,
): void {
  const question = typeof e.questionId === 'string' ? sink.question(e.questionId) : undefined;
  const q = question?.quarter ?? quarterOf(e.at);
  if (e.kind === 'choice') {
    // Counted where its question was, so a category's answered share never passes 100 %.
    if (question?.picked) return;
    const category = question?.category ?? categoryOfTopic(e.topicId) ?? NO_CATEGORY;
    sink.count(q, category, 'choicePicked', 1);
    if (question) sink.remember(e.questionId, { ...question, picked: true });
    return;
  }
  if (typeof e.helpful !== 'boolean') return;
  // The answer's topic decides the category of a 👍/👎: after "Menade du …?" that is the topic picked.
  const category = categoryOfTopic(e.topicId) ?? question?.category ?? NO_CATEGORY;
  const key = question ? gapKey(question.text) : '';
  if (question?.helpful !== undefined) {
    // A second click on the same answer (an old client re-showing the buttons): the last one counts.
    if (question.helpful === e.helpful) return;
    if (question.helpful) sink.count(q, category, 'helpful', -1);
    else {
      sink.count(q, category, 'notHelpful', -1);
      if (key) sink.gap({ quarter: q, key, kind: 'notHelpful', delta: -1 });
    }
  }
  if (e.helpful) sink.count(q, category, 'helpful', 1);
  else {
    sink.count(q, category, 'notHelpful', 1);
    if (question && key)
      sink.gap({
        quarter: q,
        key,
        kind: 'notHelpful',
        delta: 1,
        example: example(question.text),
        topicId: e.topicId,
      });
  }
  if (question) sink.remember(e.questionId, { ...question, helpful: e.helpful });
}
