/**
 * Statistics at scale: `npx tsx bench/stats.ts [questions]` (default 500,000, all in one quarter;
 * `node --expose-gc --import tsx bench/stats.ts` for a real heap figure).
 *
 * Writes a question log as the bot would (questions, 👍/👎, "Menade du …?" picks, and calls), starts
 * the real app on it, and times GET /api/stats for that quarter over HTTP. Prints the start-up
 * rebuild time, API latency and storage per 100,000 questions.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { LogEntry } from '../src/conversation/question-log.js';
import { loadTopics } from '../src/knowledge/load.js';
import { createLog } from '../src/log.js';
import type { CallEntry } from '../src/stats/calls.js';
import { quarterBounds } from '../src/stats/quarter.js';

const QUESTIONS = Number(process.argv[2] ?? 500_000);
const QUARTER = '2025-Q2';
const REQUESTS = 50;

// Deterministic, so two runs write the same log.
let seed = 42;
const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];

const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-bench-stats-'));
const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
const topics = (await loadTopics(config.KNOWLEDGE_DIR)).filter((t) => t.category);

// Unanswered questions vary a lot in real life: a vocabulary of made-up words gives tens of
// thousands of distinct gap groups, the expensive case for Kunskapsluckor.
const syllables = ['ka', 'lo', 'ber', 'sti', 'mu', 'ran', 'pe', 'tor', 'vi', 'sla', 'gen', 'dul'];
const vocabulary = Array.from({ length: 3000 }, () =>
  Array.from({ length: 3 }, () => pick(syllables)).join(''),
);
const openers = [
  'hur gör jag med',
  'var hittar jag',
  'varför fungerar inte',
  'kan man ändra',
  'vem ansvarar för',
];

const { from, to } = quarterBounds(QUARTER);
const span = to.getTime() - from.getTime();
const at = () => new Date(from.getTime() + Math.floor(random() * span)).toISOString();

console.log(
  `writing ${QUESTIONS.toLocaleString('sv-SE')} questions for ${QUARTER} to ${dataDir} …`,
);
const questionFile = path.join(dataDir, 'questions.jsonl');
const out = fs.createWriteStream(questionFile);
let questionBytes = 0;
let otherBytes = 0;
const write = (e: LogEntry | CallEntry, isQuestion: boolean) => {
  const line = `${JSON.stringify(e)}\n`;
  if (isQuestion) questionBytes += Buffer.byteLength(line);
  else otherBytes += Buffer.byteLength(line);
  if (!out.write(line)) return new Promise<void>((r) => out.once('drain', r));
};
for (let i = 0; i < QUESTIONS; i++) {
  const r = random();
  const topic = pick(topics);
  const outcome =
    r < 0.62 ? 'answered' : r < 0.8 ? 'choices' : r < 0.95 ? 'no-answer' : 'out-of-scope';
  const id = `q-${i}`;
  const when = at();
  const text =
    outcome === 'no-answer'
      ? `${pick(openers)} ${pick(vocabulary)} ${pick(vocabulary)}`
      : `${pick(openers)} ${topic.title.toLowerCase()}`;
  await write(
    {
      kind: 'question',
      id,
      at: when,
      userId: `aad-user-${Math.floor(random() * 5000)}`,
      conversationType: random() < 0.9 ? 'personal' : 'channel',
      text,
      outcome,
      topicId: outcome === 'answered' ? topic.id : null,
      category: outcome === 'answered' || outcome === 'choices' ? topic.category : null,
      confidence: 0.5,
      suggestions: outcome === 'choices' ? [topic.id] : [],
    },
    true,
  );
  if (outcome === 'choices' && random() < 0.6)
    await write(
      { kind: 'choice', questionId: id, at: when, userId: 'u', topicId: topic.id },
      false,
    );
  if (outcome === 'answered' && random() < 0.15)
    await write(
      {
        kind: 'feedback',
        questionId: id,
        at: when,
        userId: 'u',
        topicId: topic.id,
        helpful: random() < 0.8,
      },
      false,
    );
}
await new Promise<void>((r) => out.end(r));
const calls = fs.createWriteStream(path.join(dataDir, 'calls.jsonl'));
for (let i = 0; i < Math.round(QUESTIONS / 50); i++)
  calls.write(
    `${JSON.stringify({ kind: 'call', id: `c-${i}`, at: at(), category: pick(topics).category, registeredBy: 'aad-staff', via: 'command' })}\n`,
  );
await new Promise<void>((r) => calls.end(r));

const logSize = fs.statSync(questionFile).size;
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
const app = await startApp(config, { log: createLog('silent') });
const startMs = performance.now() - t0;
global.gc?.();
const heapAfter = process.memoryUsage().heapUsed;

const url = `${app.url}/api/stats?quarter=${QUARTER}`;
const timeOne = async (target = url) => {
  const t = performance.now();
  const res = await fetch(target);
  if (target !== url) {
    await res.text();
    return { ms: performance.now() - t, body: undefined };
  }
  const body = await res.json();
  if (res.status !== 200 || !body.figures) throw new Error(`status ${res.status}`);
  return { ms: performance.now() - t, body };
};
// The first request after start is cold (JIT, connection); the quarter's gap list was worked out
// at start, and is reused until new questions change it (then at most once a minute).
const first = (await timeOne()).ms;
for (let i = 0; i < 5; i++) await timeOne(); // warm-up: JIT, connection
const times: number[] = [];
let last;
for (let i = 0; i < REQUESTS; i++) {
  const r = await timeOne();
  times.push(r.ms);
  last = r.body;
}
// The floor on this machine right now: the same HTTP round trip to a route that does nothing.
const floor: number[] = [];
for (let i = 0; i < REQUESTS; i++) floor.push((await timeOne(`${app.url}/healthz`)).ms);
floor.sort((a, b) => a - b);
await app.stop();
await fsp.rm(dataDir, { recursive: true, force: true });

times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
const total = last.figures.find((f: { id: string }) => f.id === 'questions').rows.at(-1).current;
const per100k = (bytes: number) =>
  `${(((bytes / QUESTIONS) * 100_000) / 1024 / 1024).toFixed(1)} MiB`;
console.log(`
questions in ${QUARTER} (as the API counts them): ${total.toLocaleString('sv-SE')}
start-up incl. rebuilding the counters from the log: ${(startMs / 1000).toFixed(2)} s
heap held after start (the whole app: counters, gap groups, recent questions, knowledge): ~${((heapAfter - heapBefore) / 1024 / 1024).toFixed(0)} MiB${global.gc ? '' : ' (run with node --expose-gc --import tsx for a real figure)'}
GET /api/stats?quarter=${QUARTER}, first request after start (cold): ${first.toFixed(1)} ms
GET /api/stats?quarter=${QUARTER}, ${REQUESTS} requests over HTTP: median ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${times.at(-1)!.toFixed(1)} ms
GET /healthz on the same server (the floor; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores): median ${floor[floor.length >> 1].toFixed(1)} ms, max ${floor.at(-1)!.toFixed(1)} ms
storage per 100,000 questions: ${per100k(questionBytes)} of question lines, ${per100k(questionBytes + otherBytes)} with their 👍/👎 and choice lines (log ${(logSize / 1024 / 1024).toFixed(0)} MiB in all); the counters themselves are memory only, rebuilt at start
knowledge gaps shown: ${last.gaps.length} (of the quarter's no-answer questions, grouped)`);
if (total !== QUESTIONS) throw new Error(`counted ${total}, wrote ${QUESTIONS}`);
