/**
 * Sweeps the matcher's global weights (MatcherTuning) and the answer threshold over one or more
 * labelled question sets at once, and prints the best combinations. Used to choose
 * DEFAULT_TUNING; prints only, changes nothing.
 *
 *   npx tsx scripts/sweep-tuning.ts ../shared/eval/dev.jsonl test/fixtures/validation.jsonl
 */
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import {
  scoreQuestionSet,
  type LabelledQuestion,
  type SetScore,
} from '../src/knowledge/evaluation.js';
import { createKnowledge } from '../src/knowledge/knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';

const files = process.argv.slice(2);
if (!files.length) throw new Error('name one or more .jsonl question sets');
const sets = files.map((f) =>
  fs
    .readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledQuestion),
);
const topics = await loadTopics(loadConfig({}).KNOWLEDGE_DIR);

// A wrong answer costs three right ones; holding out-of-scope questions counts too.
const objective = (s: SetScore) => s.accuracy - 3 * s.wrong + 0.5 * s.held;
const rows = [];
for (const unknownWeight of [0.6, 0.8, 1.0])
  for (const phraseWeight of [0.3, 0.6, 0.9])
    for (const marginDiscount of [0.2, 0.3, 0.5])
      for (const answer of [0.3, 0.34, 0.38, 0.42]) {
        const knowledge = createKnowledge(
          topics,
          { answer, suggest: 0.15 },
          { unknownWeight, phraseWeight, marginDiscount },
        );
        const scores = sets.map((s) => scoreQuestionSet(knowledge, s));
        rows.push({
          unknownWeight,
          phraseWeight,
          marginDiscount,
          answer,
          scores,
          total: scores.reduce((t, s) => t + objective(s), 0),
        });
      }
rows.sort((a, b) => b.total - a.total);
const fmt = (s: SetScore) =>
  `acc ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} held ${s.held.toFixed(3)}`;
for (const r of rows.slice(0, 12))
  console.log(
    `unknown ${r.unknownWeight} phrase ${r.phraseWeight} margin ${r.marginDiscount} answer ≥ ${r.answer} | ${r.scores.map(fmt).join(' | ')}`,
  );
