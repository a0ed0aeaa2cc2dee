/**
 * Statistics at scale: `npx tsx bench/stats.ts` (500,000 questions, lowdb and PostgreSQL);
 * `SIZES=500000,5000000 STORES=lowdb,postgres npx tsx bench/stats.ts` for the whole note.
 *
 * For each store and size: writes a question log as the bot would (questions, 👍/👎, "Menade du
 * …?" picks, calls; BENCH_QUARTER gets 500,000 questions, the rest go to earlier quarters),
 * streamed JSON Lines for lowdb and multi-row inserts for PostgreSQL. Then:
 *  - the first start (no snapshot / no counter rows yet: the whole log is counted once);
 *  - START_RUNS starts after that, each timed from startApp() to GET /healthz answering;
 *  - GET /api/stats?quarter=BENCH_QUARTER over HTTP, REQUESTS times: median and p95;
 *  - PostgreSQL only: two instances on one database, a question asked on one, and how long until
 *    the other's /api/stats counts it (polled every 10 ms), PROPAGATION times.
 * PostgreSQL is a throwaway cluster with fsync on (DATABASE_URL_TEST to use another server).
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startApp, type RunningApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { LogEntry } from '../src/conversation/question-log.js';
import { loadTopics } from '../src/knowledge/load.js';
import { createLog } from '../src/log.js';
import type { CallEntry } from '../src/stats/calls.js';
import { previousQuarter, quarterBounds, type QuarterKey } from '../src/stats/quarter.js';
import { SNAPSHOT_FILE } from '../src/storage/lowdb/stats.js';
import { openPostgres } from '../src/storage/postgres/open.js';
import { personalMessage, postActivity } from '../test/support/activities.js';
import { startFakeConnector } from '../test/support/fake-connector.js';
import { startTestPostgres, type TestPostgres } from '../test/support/postgres.js';

const SIZES = (process.env.SIZES ?? '500000').split(',').map(Number);
const STORES = (process.env.STORES ?? 'lowdb,postgres').split(',') as ('lowdb' | 'postgres')[];
const BENCH_QUARTER: QuarterKey = '2025-Q2';
const IN_QUARTER = 500_000;
const START_RUNS = Number(process.env.START_RUNS ?? 3);
const REQUESTS = Number(process.env.REQUESTS ?? 50);
const PROPAGATION = Number(process.env.PROPAGATION ?? 20);
// The bot's clock: inside the bench quarter, as when the coordinator looks at the current quarter.
const NOW = new Date('2025-06-16T08:00:00Z');

const topics = (await loadTopics(loadConfig({}).KNOWLEDGE_DIR)).filter((t) => t.category);
const syllables = ['ka', 'lo', 'ber', 'sti', 'mu', 'ran', 'pe', 'tor', 'vi', 'sla', 'gen', 'dul'];
const openers = [
  'hur gör jag med',
  'var hittar jag',
  'varför fungerar inte',
  'kan man ändra',
  'vem ansvarar för',
];

/** The log's lines in order, deterministic (two runs write the same log). */
function* entries(size: number): Generator<LogEntry | CallEntry> {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  // Unanswered questions vary a lot in real life: a vocabulary of made-up words gives tens of
  // thousands of distinct gap groups a quarter, the expensive case for Kunskapsluckor.
  const vocabulary = Array.from({ length: 3000 }, () =>
    Array.from({ length: 3 }, () => pick(syllables)).join(''),
  );
  // Oldest quarters first, BENCH_QUARTER last with IN_QUARTER questions.
  const quarters: { q: QuarterKey; n: number }[] = [];
  let rest = size - Math.min(size, IN_QUARTER);
  let q = previousQuarter(BENCH_QUARTER);
  while (rest > 0) {
    const n = Math.min(rest, IN_QUARTER);
    quarters.unshift({ q, n });
    rest -= n;
    q = previousQuarter(q);
  }
  quarters.push({ q: BENCH_QUARTER, n: Math.min(size, IN_QUARTER) });
  let i = 0;
  for (const { q, n } of quarters) {
    const { from, to } = quarterBounds(q);
    const span = to.getTime() - from.getTime();
    for (let k = 0; k < n; k++, i++) {
      const at = new Date(from.getTime() + Math.floor((k / n) * span)).toISOString();
      const r = random();
      const topic = pick(topics);
      const outcome =
        r < 0.62 ? 'answered' : r < 0.8 ? 'choices' : r < 0.95 ? 'no-answer' : 'out-of-scope';
      const id = `q-${i}`;
      yield {
        kind: 'question',
        id,
        at,
        userId: `aad-user-${Math.floor(random() * 5000)}`,
        conversationType: random() < 0.9 ? 'personal' : 'channel',
        text:
          outcome === 'no-answer'
            ? `${pick(openers)} ${pick(vocabulary)} ${pick(vocabulary)}`
            : `${pick(openers)} ${topic.title.toLowerCase()}`,
        outcome,
        topicId: outcome === 'answered' ? topic.id : null,
        category: outcome === 'answered' || outcome === 'choices' ? topic.category : null,
        confidence: 0.5,
        suggestions: outcome === 'choices' ? [topic.id] : [],
      };
      if (outcome === 'choices' && random() < 0.6)
        yield { kind: 'choice', questionId: id, at, userId: 'u', topicId: topic.id };
      if (outcome === 'answered' && random() < 0.15)
        yield {
          kind: 'feedback',
          questionId: id,
          at,
          userId: 'u',
          topicId: topic.id,
          helpful: random() < 0.8,
        };
      if (k % 50 === 0)
        yield {
          kind: 'call',
          id: `c-${i}`,
          at,
          category: topic.category!,
          registeredBy: 'aad-staff',
          via: 'command',
        };
    }
  }
}

async function writeLowdb(dir: string, size: number) {
  const questions = fs.createWriteStream(path.join(dir, 'questions.jsonl'));
  const calls = fs.createWriteStream(path.join(dir, 'calls.jsonl'));
  for (const e of entries(size)) {
    const out = e.kind === 'call' ? calls : questions;
    if (!out.write(`${JSON.stringify(e)}\n`)) await new Promise<void>((r) => out.once('drain', r));
  }
  await Promise.all([questions, calls].map((s) => new Promise<void>((r) => s.end(r))));
}

async function writePostgres(url: string, size: number) {
  // The schema first (as a start would), then the log in multi-row inserts, uncounted: the
  // first start counts them, as after an upgrade from a version without counter rows.
  const pool = await openPostgres({ url, poolSize: 2 });
  const batch = { question_log: [] as string[], call_log: [] as string[] };
  const flush = async (table: keyof typeof batch) => {
    if (!batch[table].length) return;
    await pool.query(`INSERT INTO ${table} (entry) SELECT unnest($1::json[])`, [batch[table]]);
    batch[table] = [];
  };
  for (const e of entries(size)) {
    const table = e.kind === 'call' ? 'call_log' : 'question_log';
    batch[table].push(JSON.stringify(e));
    if (batch[table].length === 10_000) await flush(table);
  }
  await flush('question_log');
  await flush('call_log');
  await pool.query('VACUUM ANALYZE question_log');
  await pool.end();
}

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const s = (x: number) => `${(x / 1000).toFixed(2)} s`;

async function start(env: Record<string, string>) {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const t0 = performance.now();
  const app = await startApp(config, { log: createLog('silent'), now: () => NOW });
  const res = await fetch(`${app.url}/healthz`);
  if (res.status !== 200) throw new Error(`/healthz ${res.status}`);
  return { app, ms: performance.now() - t0 };
}

async function apiTimes(app: RunningApp) {
  const url = `${app.url}/api/stats?quarter=${BENCH_QUARTER}`;
  const one = async () => {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.json();
    if (res.status !== 200 || !body.figures) throw new Error(`status ${res.status}`);
    return { ms: performance.now() - t, body };
  };
  const first = await one();
  for (let i = 0; i < 5; i++) await one(); // warm-up: JIT, connections
  const times: number[] = [];
  let last = first.body;
  for (let i = 0; i < REQUESTS; i++) {
    const r = await one();
    times.push(r.ms);
    last = r.body;
  }
  // The floor on this machine right now: the same HTTP round trip to a route that does nothing.
  const floor: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await (await fetch(`${app.url}/healthz`)).text();
    floor.push(performance.now() - t);
  }
  const total = last.figures.find((f: { id: string }) => f.id === 'questions').rows.at(-1).current;
  return { first: first.ms, times, floor, total, gaps: last.gaps.length };
}

async function propagation(url: string) {
  const connector = await startFakeConnector();
  const dirs = [
    await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-bench-a-')),
    await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-bench-b-')),
  ];
  const env = (dir: string) => ({
    DATA_DIR: dir,
    DATABASE_URL: url,
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const a = (await start(env(dirs[0]))).app;
  const b = (await start(env(dirs[1]))).app;
  const questionsOn = async (app: RunningApp) => {
    const body = await (await fetch(`${app.url}/api/stats?quarter=${BENCH_QUARTER}`)).json();
    return body.overview.headlines.find((h: { id: string }) => h.id === 'questions')
      .current as number;
  };
  const delays: number[] = [];
  for (let i = 0; i < PROPAGATION; i++) {
    const before = await questionsOn(b);
    const t0 = performance.now();
    const res = await postActivity(
      a.url,
      personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: `bench-${i}` }),
    );
    if (res.status !== 200) throw new Error(`ask ${res.status}`);
    while ((await questionsOn(b)) === before) {
      if (performance.now() - t0 > 10_000)
        throw new Error('not seen on the other instance in 10 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    delays.push(performance.now() - t0);
  }
  await a.stop();
  await b.stop();
  await connector.stop();
  for (const d of dirs) await fsp.rm(d, { recursive: true, force: true });
  return delays;
}

let server: TestPostgres | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(
    signal,
    () => void (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130)),
  );

const report: string[] = [];
const say = (line: string) => {
  report.push(line);
  console.log(line);
};
say(
  `machine: ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the start (shared with other sessions)`,
);

for (const store of STORES) {
  if (store === 'postgres') server = await startTestPostgres({ fsync: true });
  for (const size of SIZES) {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'wsh-bench-stats-'));
    const url = store === 'postgres' ? await server!.freshDatabase() : '';
    const env = { DATA_DIR: dir, ...(url ? { DATABASE_URL: url } : {}) };
    const label = `${store}, ${size.toLocaleString('en')} questions`;
    let t = performance.now();
    if (store === 'lowdb') await writeLowdb(dir, size);
    else await writePostgres(url, size);
    console.log(`${label}: written in ${s(performance.now() - t)}`);

    t = performance.now();
    const first = await start(env);
    await first.app.stop(); // lowdb: writes the snapshot
    say(
      `${label}: first start (counts the whole log once, then never again): ${s(first.ms)}; stopped after ${s(performance.now() - t - first.ms)}`,
    );

    const starts: number[] = [];
    let app: RunningApp | undefined;
    for (let i = 0; i < START_RUNS; i++) {
      const r = await start(env);
      starts.push(r.ms);
      if (i < START_RUNS - 1) await r.app.stop();
      else app = r.app;
    }
    const snapshot = store === 'lowdb' ? fs.statSync(path.join(dir, SNAPSHOT_FILE)).size : 0;
    say(
      `${label}: start to /healthz, ${START_RUNS} runs: ${starts.map(s).join(', ')} (load ${os.loadavg()[0].toFixed(1)})${snapshot ? `; snapshot ${(snapshot / 1024 / 1024).toFixed(1)} MiB` : ''}`,
    );

    const api = await apiTimes(app!);
    say(
      `${label}: GET /api/stats?quarter=${BENCH_QUARTER} (${api.total.toLocaleString('en')} questions in it, ${api.gaps} gaps shown): first ${ms(api.first)}, ${REQUESTS} requests median ${ms(percentile(api.times, 0.5))}, p95 ${ms(percentile(api.times, 0.95))}, max ${ms(Math.max(...api.times))}; GET /healthz on the same server median ${ms(percentile(api.floor, 0.5))}, p95 ${ms(percentile(api.floor, 0.95))} (load ${os.loadavg()[0].toFixed(1)})`,
    );
    await app!.stop();
    if (api.total !== Math.min(size, IN_QUARTER)) throw new Error(`counted ${api.total}`);

    if (store === 'postgres' && size === SIZES[0]) {
      const delays = await propagation(url);
      say(
        `${label}: two instances, question asked on A until B's /api/stats counts it, ${PROPAGATION} times: median ${ms(percentile(delays, 0.5))}, max ${ms(Math.max(...delays))}`,
      );
    }
    await fsp.rm(dir, { recursive: true, force: true });
  }
  if (store === 'postgres') {
    await server!.stop();
    server = undefined;
  }
}
console.log(`\n${report.join('\n')}`);
