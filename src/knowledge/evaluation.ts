import { maskPersonnummer } from '../privacy/mask.js';
import type { Knowledge } from './knowledge.js';

/** A question labelled with the topic a careful support person would answer, or none (out of scope). */
export interface LabelledQuestion {
  q: string;
  topic?: string;
}

export interface QuestionOutcome {
  question: LabelledQuestion;
  answered?: string;
  suggested: string[];
  outOfScope: boolean;
  confidence: number;
}

export interface SetScore {
  /** Answered with the expected topic, of the answerable questions. */
  accuracy: number;
  /** Answered with another topic: the costly mistake. */
  wrong: number;
  /** Expected topic answered or among the choices. */
  inSuggestions: number;
  /** Out-of-scope questions that got no answer. */
  held: number;
  outcomes: QuestionOutcome[];
}

/** Scores the knowledge base on a labelled set the way the evaluation's scorer does, in-process. */
export function scoreQuestionSet(knowledge: Knowledge, questions: LabelledQuestion[]): SetScore {
  const outcomes = questions.map((question): QuestionOutcome => {
    const r = knowledge.ask(maskPersonnummer(question.q));
    return {
      question,
      answered: r.outcome === 'answered' ? r.topic.id : undefined,
      suggested: r.outcome === 'choices' ? r.topics.map((t) => t.id) : [],
      outOfScope: r.outcome === 'out-of-scope',
      confidence: 'confidence' in r ? r.confidence : 0,
    };
  });
  const answerable = outcomes.filter((o) => o.question.topic);
  const outOfScope = outcomes.filter((o) => !o.question.topic);
  const share = (n: number, of: number) => (of ? n / of : 0);
  return {
    accuracy: share(
      answerable.filter((o) => o.answered === o.question.topic).length,
      answerable.length,
    ),
    wrong: share(
      answerable.filter((o) => o.answered && o.answered !== o.question.topic).length,
      answerable.length,
    ),
    inSuggestions: share(
      answerable.filter(
        (o) => o.answered === o.question.topic || o.suggested.includes(o.question.topic!),
      ).length,
      answerable.length,
    ),
    held: share(outOfScope.filter((o) => !o.answered).length, outOfScope.length),
    outcomes,
  };
}
