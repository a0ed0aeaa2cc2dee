/**
 * Calibrates the matcher's two confidence thresholds on several labelled question sets together
 * (by default the dev set and the tuned-on sets of test/fixtures; a set written to measure unseen
 * questions joins only once it has been measured and its misses read: see test/fixtures/README.md),
 * in-process: for each pair it scores every set and picks the pair that keeps wrong answers
 * ≤ 0.03 and out-of-scope held ≥ 0.90 on every set where any pair can, then maximises the mean of
 * accuracy − 3 × wrong + 0.2 × in-suggestions (a wrong answer costs more than a question back).
 *
 *   npm run calibrate [-- --set FILE [--set FILE …]] [-- --misses] [-- --grid]
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import {
  scoreQuestionSet,
  type LabelledQuestion,
  type SetScore,
} from '../src/knowledge/evaluation.js';
import { createKnowledge } from '../src/knowledge/knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';

const args = process.argv.slice(2);
const named = args.flatMap((a, i) => (a === '--set' ? [args[i + 1]] : []));
// The shared folder sits beside the project, or beside a git worktree's parent.
const dev = [
  path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'),
  path.join(PROJECT_ROOT, '..', '..', 'shared', 'eval', 'dev.jsonl'),
].find((f) => fs.existsSync(f));
const files = named.length
  ? named
  : [
      ...(dev ? [dev] : []),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'validation.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'tune.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'fresh.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'holdout.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'everyday.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'stories.jsonl'),
      // Held out in round 3, tuned on in round 4.
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'month.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'other-org.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'busy.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'situations.jsonl'),
      // Written in round 4, scored once, then tuned on.
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'first-weeks.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'evenings.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'ward.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'keywords.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'second-language.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'experienced.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'many-things.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'boundary.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'emails.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'details.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'primary-care.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'on-screen.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'rarer-tasks.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'managers.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'tangled.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'mixed-day.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'on-the-move.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'edges.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'week.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'on-behalf.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'chatty.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'typing.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'angles.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'home-care-stories.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'order-return-report.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'passed-on.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'informal.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'thing-first.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'non-prescribers.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'already-tried.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'ruled-out.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'long-situations.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'english-at-work.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'what-it-means.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'several-things.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'home-care-life.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'rural-busy.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'hospital-busy.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'long-greeting.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'lay-situations.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'told-to-a-colleague.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'discharge-stories.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'short-and-long.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'long-lay.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'tried-first.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'not-this-but-that.jsonl'),
      // Written in round 6, scored once, then tuned on.
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'everyday-wishes.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'long-and-hard.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'care-stories.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'busy-day-screens.jsonl'),
      path.join(PROJECT_ROOT, 'test', 'fixtures', 'everyday-wishes-2.jsonl'),
      // The held-out sets (test/fixtures/README.md) stay out: they measure questions nobody
      // tuned on.
    ].filter((f) => fs.existsSync(f));
const showMisses = args.includes('--misses');

const sets = files.map((file) => ({
  name: path.basename(file),
  questions: fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledQuestion),
}));
const config = loadConfig({});
const topics = await loadTopics(config.KNOWLEDGE_DIR);

interface Point {
  answer: number;
  suggest: number;
  scores: SetScore[];
}
const evaluate = (answer: number, suggest: number): Point => {
  const knowledge = createKnowledge(topics, { answer, suggest });
  return { answer, suggest, scores: sets.map((s) => scoreQuestionSet(knowledge, s.questions)) };
};

const grid: Point[] = [];
for (let a = 0.2; a <= 0.6001; a += 0.02)
  for (let s = 0.1; s <= Math.min(a, 0.3) + 1e-9; s += 0.05)
    grid.push(evaluate(+a.toFixed(2), +s.toFixed(2)));
const objective = (p: Point) =>
  p.scores.reduce((t, s) => t + s.accuracy - 3 * s.wrong + 0.2 * s.inSuggestions, 0) /
  p.scores.length;
// The goals per set, where some pair reaches them on that set.
// Sets written to provoke wrong answers (what it is not, a story told to a colleague, discharges
// in lay words): their gates allow more than 0.03 wrong, and holding them to it would push the
// answer line so high that every other set lost a third of its answers. They still count in the
// objective.
const PROBING = new Set([
  'not-this-but-that.jsonl',
  'told-to-a-colleague.jsonl',
  'discharge-stories.jsonl',
]);
const reachable = sets.map((set, i) => ({
  wrong: !PROBING.has(set.name) && grid.some((p) => p.scores[i].wrong <= 0.03),
  held: grid.some((p) => p.scores[i].held >= 0.9),
}));
const meetsGoals = (p: Point) =>
  p.scores.every(
    (s, i) => (!reachable[i].wrong || s.wrong <= 0.03) && (!reachable[i].held || s.held >= 0.9),
  );
const viable = grid.filter(meetsGoals);
const best = (viable.length ? viable : grid).sort((x, y) => objective(y) - objective(x))[0];
const current = evaluate(config.MATCH_ANSWER_THRESHOLD, config.MATCH_SUGGEST_THRESHOLD);
const line = (p: Point) =>
  `answer ≥ ${p.answer.toFixed(2)} suggest ≥ ${p.suggest.toFixed(2)}: ${p.scores
    .map(
      (s, i) =>
        `${sets[i].name} accuracy ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} in-suggestions ${s.inSuggestions.toFixed(3)} held ${s.held.toFixed(3)}`,
    )
    .join(' | ')}`;
console.log(`sets ${sets.map((s) => `${s.name} (${s.questions.length})`).join(', ')}`);
console.log(`topics ${topics.length}`);
console.log(`configured  ${line(current)}`);
console.log(`best        ${line(best)}${viable.length ? '' : ' (no pair meets the goals)'}`);
if (showMisses) {
  current.scores.forEach((score, i) => {
    for (const o of score.outcomes) {
      const q = o.question;
      const ok = q.topic ? o.answered === q.topic : !o.answered;
      if (!ok)
        console.log(
          `MISS ${sets[i].name} ${(q.topic ?? 'escalate').padEnd(22)} got ${(o.answered ?? (o.suggested.length ? `?[${o.suggested}]` : o.outOfScope ? 'out-of-scope' : 'none')).padEnd(40)} c=${o.confidence.toFixed(2)} :: ${q.q}`,
        );
    }
  });
}
if (args.includes('--grid'))
  for (const p of grid.filter((p) => p.suggest === 0.15)) console.log(line(p));
