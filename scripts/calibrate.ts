/**
 * Calibrates the matcher's two confidence thresholds on a labelled question set (the dev set by
 * default), in-process: for each pair it prints accuracy, wrong answers and out-of-scope held,
 * and picks the pair that maximises accuracy − 3 × wrong (a wrong answer costs more than a
 * question back) among those that hold out-of-scope ≥ 0.85.
 *
 *   npm run calibrate [-- --set FILE] [-- --misses]
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { scoreQuestionSet, type LabelledQuestion } from '../src/knowledge/evaluation.js';
import { createKnowledge } from '../src/knowledge/knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';

const args = process.argv.slice(2);
const setFile = args.includes('--set')
  ? args[args.indexOf('--set') + 1]
  : path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl');
const showMisses = args.includes('--misses');

const questions: LabelledQuestion[] = fs
  .readFileSync(setFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const config = loadConfig({});
const topics = await loadTopics(config.KNOWLEDGE_DIR);

const evaluate = (answer: number, suggest: number) => ({
  answer,
  suggest,
  ...scoreQuestionSet(createKnowledge(topics, { answer, suggest }), questions),
});

const grid: ReturnType<typeof evaluate>[] = [];
for (let a = 0.2; a <= 0.8001; a += 0.02)
  for (let s = 0.1; s <= a + 1e-9; s += 0.05) grid.push(evaluate(+a.toFixed(2), +s.toFixed(2)));
const objective = (g: (typeof grid)[number]) => g.accuracy - 3 * g.wrong + 0.2 * g.inSuggestions;
const viable = grid.filter((g) => g.held >= 0.85);
const best = (viable.length ? viable : grid).sort((x, y) => objective(y) - objective(x))[0];
const current = evaluate(config.MATCH_ANSWER_THRESHOLD, config.MATCH_SUGGEST_THRESHOLD);
const line = (g: typeof best) =>
  `answer ≥ ${g.answer.toFixed(2)} suggest ≥ ${g.suggest.toFixed(2)}: accuracy ${g.accuracy.toFixed(3)} wrong ${g.wrong.toFixed(3)} in-suggestions ${g.inSuggestions.toFixed(3)} out-of-scope held ${g.held.toFixed(3)}`;
console.log(`questions ${questions.length}, topics ${topics.length}`);
console.log(`configured  ${line(current)}`);
console.log(`best        ${line(best)}`);
if (showMisses) {
  for (const o of current.outcomes) {
    const q = o.question;
    const ok = q.topic ? o.answered === q.topic : !o.answered;
    if (!ok)
      console.log(
        `MISS ${(q.topic ?? 'escalate').padEnd(22)} got ${(o.answered ?? (o.suggested.length ? `?[${o.suggested}]` : o.outOfScope ? 'out-of-scope' : 'none')).padEnd(40)} c=${o.confidence.toFixed(2)} :: ${q.q}`,
      );
  }
}
if (args.includes('--grid')) {
  for (const g of grid.filter(
    (g) => Math.abs(g.suggest - 0.15) < 0.11 && g.answer >= 0.24 && g.answer <= 0.44,
  ))
    console.log(line(g));
}
