import path from 'node:path';
import { Lexicon, lexiconDir, loadLexicon } from './lexicon.js';
import { TIE_MARGIN, TopicMatcher, type MatcherTuning } from './matcher.js';
import { rankMessage } from './message.js';
import { scopeOfMessage } from './scope.js';
import { withoutSignature } from './signature.js';
import { words } from './text.js';
import type { Topic, TopicId } from './topic.js';

export interface Thresholds {
  /** At or above: answer with the best topic. */
  answer: number;
  /** At or above (and below `answer`): ask back with the best few topics. */
  suggest: number;
}

export type AskResult =
  | { outcome: 'answered'; topic: Topic; confidence: number }
  | { outcome: 'choices'; topics: Topic[]; confidence: number }
  | { outcome: 'out-of-scope'; topic: Topic; confidence: number }
  | { outcome: 'no-answer'; confidence: number }
  | { outcome: 'empty' };

const MAX_CHOICES = 3;
/** A choice must explain at least this share of what the best one does to be offered. */
const CHOICE_RELATIVE_SCORE = 0.35;

export interface Knowledge {
  ask(question: string): AskResult;
  topic(id: TopicId): Topic | undefined;
  /** Answerable topics, in file order. */
  topics(): Topic[];
  categories(): string[];
}

/** The knowledge base: finds the topic for a (masked) question, or says it has none. */
export function createKnowledge(
  allTopics: Topic[],
  thresholds: Thresholds,
  tuning: Partial<MatcherTuning> = {},
  lexicon: Lexicon = lexiconBeside(allTopics),
): Knowledge {
  const matcher = new TopicMatcher(allTopics, tuning, lexicon);
  const byId = new Map(allTopics.map((t) => [t.id, t]));
  const answerable = allTopics.filter((t) => t.kind === 'answer');

  // "inte kommit", "not delivered": a negation the lexicon knows says what happened.
  const isNegatedForm = (negation: string) => lexicon.read(words(negation)).inner[0] ?? false;

  function ask(message: string): AskResult {
    // A pasted e-mail's closing and signature are not the question.
    const question = withoutSignature(message);
    const ranking = rankMessage(matcher, question, isNegatedForm);
    if (ranking.terms.length === 0) return { outcome: 'empty' };
    const { matches, confidence } = ranking;
    // Out of scope whatever topic shares its words: a product's fit, a thing that is no
    // hjälpmedel, another authority or system, one order's status.
    const scope = scopeOfMessage(question, lexicon);
    const scopeTopic = scope && byId.get(scope.topicId);
    if (scopeTopic) return { outcome: 'out-of-scope', topic: scopeTopic, confidence };
    const best = matches[0] && byId.get(matches[0].topicId);
    if (!best || confidence < thresholds.suggest) return { outcome: 'no-answer', confidence };
    // An out-of-scope topic only just ahead of an answerable one ("hur gör jag beställningen"
    // against "när kommer beställningen") is a tie like any other (the matcher's margin): ask back.
    const oosTie = best.kind === 'out-of-scope' && (ranking.margin ?? 1) < TIE_MARGIN;
    if (best.kind === 'out-of-scope' && !oosTie)
      return { outcome: 'out-of-scope', topic: best, confidence };
    if (confidence >= thresholds.answer && !oosTie)
      return { outcome: 'answered', topic: best, confidence };
    const choices = matches
      .filter((m) => m.score >= matches[0].score * CHOICE_RELATIVE_SCORE)
      .map((m) => byId.get(m.topicId)!)
      .filter((t) => t.kind === 'answer')
      .slice(0, MAX_CHOICES);
    return { outcome: 'choices', topics: choices, confidence };
  }

  return {
    ask,
    topic: (id) => {
      const t = byId.get(id);
      return t?.kind === 'answer' ? t : undefined;
    },
    topics: () => answerable,
    categories: () => [...new Set(answerable.map((t) => t.category))],
  };
}

/** The lexicon in `lexikon/` beside the topic files (none for topics made in memory). */
export function lexiconBeside(topics: readonly Topic[]): Lexicon {
  const file = topics.find((t) => path.isAbsolute(t.file))?.file;
  if (!file) return Lexicon.empty();
  return loadLexicon(
    lexiconDir(path.dirname(file)),
    new Set(topics.filter((t) => t.kind === 'out-of-scope').map((t) => t.id)),
  );
}
