/**
 * A child process for the kill -9 test (stats-snapshot.test.ts): opens the lowdb statistics store
 * on a folder and, forever, logs one question and writes the counter snapshot, saying on stdout
 * how many snapshots are done. The parent kills it with SIGKILL while a snapshot is being written.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { JsonlQuestionLog } from '../../src/storage/lowdb/question-log.js';
import { JsonlCallLog } from '../../src/storage/lowdb/stats-call-log.js';
import { openLowdbStats } from '../../src/storage/lowdb/stats.js';
import type { QuestionLogEntry } from '../../src/conversation/question-log.js';

export const SEED_QUESTIONS = 20_000;
const NOW = new Date('2025-05-12T08:00:00Z');

/** An unanswered question with words of its own: each one a knowledge gap group of its own. */
export const unanswered = (i: number): QuestionLogEntry => ({
  kind: 'question',
  id: `q${i}`,
  at: NOW.toISOString(),
  userId: 'aad-user-1',
  conversationType: 'personal',
  text: `hur gör jag med blankett${i} och rapport${i}`,
  outcome: 'no-answer',
  topicId: null,
  category: null,
  confidence: 0,
  suggestions: [],
});

export const openStore = (dataDir: string) => {
  const questionLog = new JsonlQuestionLog(path.join(dataDir, 'questions.jsonl'));
  const callLog = new JsonlCallLog(path.join(dataDir, 'calls.jsonl'));
  return openLowdbStats({
    dataDir,
    questionLog,
    callLog,
    categoryOfTopic: () => null,
    now: () => NOW,
  });
};

if (process.argv[1] === import.meta.filename) {
  const dataDir = process.argv[2];
  const file = path.join(dataDir, 'questions.jsonl');
  // A few megabytes of counters, so that writing the snapshot takes long enough to be hit.
  if (!(await fs.stat(file).catch(() => undefined)))
    await fs.writeFile(
      file,
      Array.from({ length: SEED_QUESTIONS }, (_, i) => `${JSON.stringify(unanswered(i))}\n`).join(
        '',
      ),
    );
  const store = await openStore(dataDir);
  for (let i = SEED_QUESTIONS + Number(process.argv[3] ?? 0); ; i++) {
    await store.append(unanswered(i));
    await store.snapshot();
    process.stdout.write(`snapshot ${i}\n`);
  }
}
