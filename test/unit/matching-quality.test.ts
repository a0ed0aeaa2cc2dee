import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { scoreQuestionSet, type LabelledQuestion } from '../../src/knowledge/evaluation.js';
import { createKnowledge } from '../../src/knowledge/knowledge.js';
import { loadTopics } from '../../src/knowledge/load.js';

// A quality gate, not a tuning target: test/fixtures/validation.jsonl was written from the seeds
// by someone who saw neither the dev set nor knowledge/. An edit to the knowledge base or the
// matcher that makes the bot answer much worse, or guess wrong much more, fails here.
async function score(set: string) {
  const config = loadConfig({});
  const knowledge = createKnowledge(await loadTopics(config.KNOWLEDGE_DIR), {
    answer: config.MATCH_ANSWER_THRESHOLD,
    suggest: config.MATCH_SUGGEST_THRESHOLD,
  });
  const file = path.join(PROJECT_ROOT, 'test', 'fixtures', set);
  const questions = (await fs.readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as LabelledQuestion);
  const s = scoreQuestionSet(knowledge, questions);
  return {
    ...s,
    figures: `accuracy ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} held ${s.held.toFixed(3)}`,
  };
}

describe('matching quality on the independent validation set', () => {
  it('answers most questions right, rarely wrong, and holds out-of-scope questions', async () => {
    const s = await score('validation.jsonl');
    assert.ok(s.accuracy >= 0.88, s.figures);
    assert.ok(s.wrong <= 0.03, s.figures);
    assert.ok(s.held >= 0.9, s.figures);
  });
});

// test/fixtures/tune.jsonl (short, telegraphic, English, a quarter out of scope) was written by
// someone who saw neither knowledge/ nor the other sets; the thresholds were calibrated on it
// with the dev and validation sets, so this guards against a regression, not a first measure.
describe('matching quality on the tuning set', () => {
  it('keeps wrong answers rare and holds out-of-scope questions', async () => {
    const s = await score('tune.jsonl');
    assert.ok(s.accuracy >= 0.75, s.figures);
    assert.ok(s.wrong <= 0.04, s.figures);
    assert.ok(s.held >= 0.9, s.figures);
  });
});

// test/fixtures/fresh.jsonl (long chatty messages, situations, English, product names, a third out
// of scope) was written by someone who saw neither knowledge/ nor the other sets; the second
// matcher round tuned the scope rules and the lexicon on its misses, by class, so this is a
// regression gate on the goals (wrong ≤ 0.03, held ≥ 0.90), not a measure of unseen questions.
describe('matching quality on the fresh set', () => {
  it('answers no more than 3 % wrong and holds out-of-scope questions', async () => {
    const s = await score('fresh.jsonl');
    assert.ok(s.accuracy >= 0.7, s.figures);
    assert.ok(s.wrong <= 0.03, s.figures);
    assert.ok(s.held >= 0.9, s.figures);
  });
});
