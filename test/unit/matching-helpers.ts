import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { createKnowledge, type AskResult, type Knowledge } from '../../src/knowledge/knowledge.js';
import { lexiconDir, loadLexicon } from '../../src/knowledge/lexicon.js';
import { loadTopics } from '../../src/knowledge/load.js';
import { words } from '../../src/knowledge/text.js';

// What the matching-round tests share: the project's knowledge base at the configured
// thresholds, and short ways to read an answer.
export const KNOWLEDGE = path.join(PROJECT_ROOT, 'knowledge');
const config = loadConfig({});
export const THRESHOLDS = {
  answer: config.MATCH_ANSWER_THRESHOLD,
  suggest: config.MATCH_SUGGEST_THRESHOLD,
};

export const lexicon = loadLexicon(lexiconDir(KNOWLEDGE));

export const loadKnowledge = async (): Promise<Knowledge> =>
  createKnowledge(await loadTopics(KNOWLEDGE), THRESHOLDS);

/** The names of the lexicon's concepts a text names. */
export const concepts = (text: string) =>
  lexicon
    .annotate(words(text))
    .flat()
    .map((c) => c.name);

/** The topic answered, or the outcome when none was. */
export const answered = (r: AskResult) => (r.outcome === 'answered' ? r.topic.id : r.outcome);

/** The topics offered: the one answered, or the choices. */
export const offered = (r: AskResult) =>
  r.outcome === 'answered'
    ? [r.topic.id]
    : r.outcome === 'choices'
      ? r.topics.map((t) => t.id)
      : [];

/** The topic answered or offered first, or the outcome. */
export const first = (r: AskResult) => offered(r)[0] ?? r.outcome;
