/**
 * Sweeps the matcher's global weights (MatcherTuning) and the answer threshold over one or more
 * labelled question sets at once, and prints the best combinations. Used to choose
 * DEFAULT_TUNING; prints only, changes nothing.
 *
 *   npx tsx scripts/sweep-tuning.ts ../shared/eval/dev.jsonl test/fixtures/validation.jsonl
 */
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { createKnowledge, type Knowledge } from '../src/knowledge/knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';
import { maskPersonnummer } from '../src/privacy/mask.js';

interface Labelled { q: string; topic?: string }
const files = process.argv.slice(2);
if (!files.length) throw new Error('name one or more .jsonl question sets');
const sets = files.map((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Labelled));
const topics = await loadTopics(loadConfig({}).KNOWLEDGE_DIR);

function score(questions: Labelled[], knowledge: Knowledge) {
  let correct = 0, wrong = 0, answerable = 0, outOfScope = 0, held = 0;
  for (const q of questions) {
    const r = knowledge.ask(maskPersonnummer(q.q));
    const answered = r.outcome === 'answered' ? r.topic.id : null;
    if (q.topic) {
      answerable++;
      if (answered === q.topic) correct++;
      else if (answered) wrong++;
    } else {
      outOfScope++;
      if (!answered) held++;
    }
  }
  return { accuracy: correct / answerable, wrong: wrong / answerable, held: held / (outOfScope || 1) };
}

// A wrong answer costs three right ones; holding out-of-scope questions counts too.
const objective = (s: ReturnType<typeof score>) => s.accuracy - 3 * s.wrong + 0.5 * s.held;
const rows = [];
for (const unknownWeight of [0.6, 0.8, 1.0])
  for (const phraseWeight of [0.3, 0.6, 0.9])
    for (const marginDiscount of [0.2, 0.3, 0.5])
      for (const answer of [0.3, 0.34, 0.38, 0.42]) {
        const knowledge = createKnowledge(topics, { answer, suggest: 0.15 }, { unknownWeight, phraseWeight, marginDiscount });
        const scores = sets.map((s) => score(s, knowledge));
        rows.push({ unknownWeight, phraseWeight, marginDiscount, answer, scores, total: scores.reduce((t, s) => t + objective(s), 0) });
      }
rows.sort((a, b) => b.total - a.total);
const fmt = (s: ReturnType<typeof score>) => `acc ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} held ${s.held.toFixed(3)}`;
for (const r of rows.slice(0, 12))
  console.log(`unknown ${r.unknownWeight} phrase ${r.phraseWeight} margin ${r.marginDiscount} answer ≥ ${r.answer} | ${r.scores.map(fmt).join(' | ')}`);
