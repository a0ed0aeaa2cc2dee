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
describe('matching quality on the independent validation set', () => {
  it('answers most questions right, rarely wrong, and holds out-of-scope questions', async () => {
    const config = loadConfig({});
    const knowledge = createKnowledge(await loadTopics(config.KNOWLEDGE_DIR), {
      answer: config.MATCH_ANSWER_THRESHOLD,
      suggest: config.MATCH_SUGGEST_THRESHOLD,
    });
    const file = path.join(PROJECT_ROOT, 'test', 'fixtures', 'validation.jsonl');
    const questions = (await fs.readFile(file, 'utf8'))
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LabelledQuestion);
    const s = scoreQuestionSet(knowledge, questions);
    const figures = `accuracy ${s.accuracy.toFixed(3)} wrong ${s.wrong.toFixed(3)} held ${s.held.toFixed(3)}`;
    assert.ok(s.accuracy >= 0.85, figures);
    assert.ok(s.wrong <= 0.06, figures);
    assert.ok(s.held >= 0.8, figures);
  });
});
