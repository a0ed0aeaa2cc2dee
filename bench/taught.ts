/**
 * "Lär boten" in figures.
 *
 *   npx tsx bench/taught.ts            # all three parts
 *   npx tsx bench/taught.ts --pairs    # only the threshold measurement
 *   npx tsx bench/taught.ts --search   # only the search time with 3,000 taught phrases
 *   npx tsx bench/taught.ts --reach    # only the teach loop's reach on a running bot
 *
 * 1. Threshold: how often a question that reaches a taught phrase's similarity has that phrase's
 *    topic. Within the dev set and within the validation set (each written to differ from itself,
 *    so a near neighbour is usually another topic), and the validation set against the dev set
 *    taught whole.
 * 2. Search: the time to answer a question (the knowledge base behind 3,000 taught phrases) for
 *    the dev and validation questions, against the knowledge base alone; and the time to rebuild
 *    the index when a phrase is taught (every instance does it once per change).
 * 3. Reach: a bot process on loopback; score the dev set, teach its misses through the API (the
 *    expected topic, or out-of-scope), then score the validation set and the dev set again on the
 *    same running bot, with ../shared/eval/score.mjs.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createKnowledge } from '../src/knowledge/knowledge.js';
import { createLiveKnowledge } from '../src/knowledge/live-knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';
import {
  createTaughtIndex,
  OUT_OF_SCOPE,
  type TaughtEntry,
} from '../src/knowledge/taught-index.js';
import { contentWords } from '../src/knowledge/text.js';
import { tempDir } from '../test/support/bot.js';

const run = promisify(execFile);
const args = process.argv.slice(2);
const all = !args.some((a) => ['--pairs', '--search', '--reach'].includes(a));
// ../shared/eval beside the project (main checkout) or two up (a worktree under /work/wt).
const EVAL = [
  path.join(PROJECT_ROOT, '..', 'shared', 'eval'),
  path.join(PROJECT_ROOT, '..', '..', 'shared', 'eval'),
].find((d) => fs.existsSync(path.join(d, 'score.mjs')))!;
const DEV = path.join(EVAL, 'dev.jsonl');
const VALIDATION = path.join(PROJECT_ROOT, 'test', 'fixtures', 'validation.jsonl');
const SCORER = path.join(EVAL, 'score.mjs');

interface Labelled {
  q: string;
  topic?: string;
}
const readSet = (file: string): Labelled[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
const label = (x: Labelled) => x.topic ?? OUT_OF_SCOPE;
const dev = readSet(DEV);
const validation = readSet(VALIDATION);
const config = loadConfig({});
const topics = await loadTopics(config.KNOWLEDGE_DIR);
const thresholds = {
  answer: config.MATCH_ANSWER_THRESHOLD,
  suggest: config.MATCH_SUGGEST_THRESHOLD,
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};
const ms = (x: number) => `${x.toFixed(3)} ms`;

if (all || args.includes('--pairs')) {
  console.log('\n## 1. Threshold: captured questions that have the taught topic');
  const steps = [0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
  const entries = (set: Labelled[]): TaughtEntry[] =>
    set.map((x, i) => ({ id: String(i), question: x.q, topicId: label(x) }));
  const measure = (name: string, taught: Labelled[], asked: Labelled[], leaveOneOut: boolean) => {
    const whole = createTaughtIndex(entries(taught), topics, 0);
    const hits: { similarity: number; right: boolean }[] = [];
    asked.forEach((q, i) => {
      const index = leaveOneOut
        ? createTaughtIndex(
            entries(taught).filter((_, j) => j !== i),
            topics,
            0,
          )
        : whole;
      const hit = index.match(q.q);
      if (hit) hits.push({ similarity: hit.similarity, right: hit.entry.topicId === label(q) });
    });
    console.log(
      `${name.padEnd(34)} ${steps
        .map((t) => {
          const at = hits.filter((h) => h.similarity >= t);
          return `≥${t}: ${at.filter((h) => h.right).length}/${at.length}`;
        })
        .join('  ')}   (of ${asked.length})`,
    );
  };
  measure('dev, each against the rest', dev, dev, true);
  measure('validation, each against the rest', validation, validation, true);
  measure('validation against dev taught', dev, validation, false);
  console.log(
    `(right/captured; the bot uses TAUGHT_MATCH_THRESHOLD=${config.TAUGHT_MATCH_THRESHOLD})`,
  );
}

if (all || args.includes('--search')) {
  console.log('\n## 2. Search time with 3,000 taught phrases');
  // Phrases as staff would teach them: topic phrases and questions with words swapped in from the
  // knowledge base's vocabulary, so they share words with real questions (long candidate lists).
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const vocabulary = [
    ...new Set(topics.flatMap((t) => contentWords([t.title, t.answer, ...t.steps].join(' ')))),
  ];
  const bases = topics.flatMap((t) => t.phrases);
  const answerable = topics.filter((t) => t.kind === 'answer').map((t) => t.id);
  const taught: TaughtEntry[] = [];
  const keys = new Set<string>();
  while (taught.length < 3000) {
    const words = pick(bases).split(' ');
    for (let k = 0; k < 2; k++)
      words.splice(Math.floor(random() * words.length), 1, pick(vocabulary));
    words.push(pick(vocabulary));
    const question = words.join(' ');
    if (keys.has(question)) continue;
    keys.add(question);
    taught.push({
      id: String(taught.length),
      question,
      topicId: random() < 0.1 ? OUT_OF_SCOPE : pick(answerable),
    });
  }
  const plain = createKnowledge(topics, thresholds);
  const live = await createLiveKnowledge({
    build: async () => ({ topics, knowledge: createKnowledge(topics, thresholds) }),
    outOfScopeReason: '-',
    taughtThreshold: config.TAUGHT_MATCH_THRESHOLD,
    now: () => new Date(),
  });
  live.setTaught(taught);
  const questions = [...dev, ...validation].map((x) => x.q);
  // Wall time, and CPU time (user + system) of this process: on a shared machine the wall time's
  // tail is mostly time the process waited for a core, which CPU time leaves out.
  const cpuTimes = new Map<unknown, number[]>();
  const time = (ask: (q: string) => unknown) => {
    for (const q of questions) ask(q); // warm up
    const times: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < 10; round++)
      for (const q of questions) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        ask(q);
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
    cpuTimes.set(times, cpu);
    return times;
  };
  const cpuOf = (times: number[]) => cpuTimes.get(times)!;
  const base = time((q) => plain.ask(q));
  const withTaught = time((q) => live.ask(q));
  const index = createTaughtIndex(taught, topics, config.TAUGHT_MATCH_THRESHOLD);
  const indexOnly = time((q) => index.match(q));
  const rebuilds: number[] = [];
  const rebuildCpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    live.setTaught(taught);
    rebuilds.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    rebuildCpu.push((c.user + c.system) / 1000);
  }

  console.log(`questions: ${questions.length} (dev + validation) × 10 rounds`);
  console.log(
    `knowledge base alone        p50 ${ms(pct(base, 0.5))}  p95 ${ms(pct(base, 0.95))}  (CPU p50 ${ms(pct(cpuOf(base), 0.5))}  p95 ${ms(pct(cpuOf(base), 0.95))})`,
  );
  console.log(
    `taught index alone (3,000)  p50 ${ms(pct(indexOnly, 0.5))}  p95 ${ms(pct(indexOnly, 0.95))}  (CPU p50 ${ms(pct(cpuOf(indexOnly), 0.5))}  p95 ${ms(pct(cpuOf(indexOnly), 0.95))})`,
  );
  console.log(
    `with 3,000 taught phrases   p50 ${ms(pct(withTaught, 0.5))}  p95 ${ms(pct(withTaught, 0.95))}  (CPU p50 ${ms(pct(cpuOf(withTaught), 0.5))}  p95 ${ms(pct(cpuOf(withTaught), 0.95))})`,
  );
  console.log(
    `index rebuild (3,000)       p50 ${ms(pct(rebuilds, 0.5))}  max ${ms(Math.max(...rebuilds))}  (CPU p50 ${ms(pct(rebuildCpu, 0.5))}  max ${ms(Math.max(...rebuildCpu))})`,
  );
}

if (all || args.includes('--reach')) {
  console.log("\n## 3. Reach: teach the dev set's misses through the API, on a running bot");
  const dataDir = await tempDir('wsh-bench-taught-');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/main.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        MicrosoftAppId: '',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
        RATE_LIMIT_BURST: '100000',
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve(m[1]);
      if (out.length > 100_000) out = out.slice(-10_000);
    });
    child.once('exit', (code) => reject(new Error(`bot exited (${code})`)));
  });
  try {
    const score = async (set: string, name: string) => {
      const json = path.join(dataDir, `${name}.json`);
      await run(
        process.execPath,
        [SCORER, '--url', `${url}/api/messages`, '--set', set, '--json', json],
        {
          cwd: PROJECT_ROOT,
          maxBuffer: 10 * 1024 * 1024,
        },
      );
      return JSON.parse(fs.readFileSync(json, 'utf8')) as {
        summary: Record<string, number | string>;
        results: { q: string; topic?: string; expect?: string; got?: string }[];
      };
    };
    const show = (name: string, s: Record<string, number | string>) =>
      console.log(
        `${name.padEnd(30)} accuracy ${Number(s.accuracy).toFixed(3)}  wrong ${Number(s.wrong).toFixed(3)}  in-suggestions ${Number(s.inSuggestions).toFixed(3)}  held ${Number(s.outOfScopeHeld).toFixed(3)}`,
      );
    const devBefore = await score(DEV, 'dev-before');
    const valBefore = await score(VALIDATION, 'validation-before');
    show('dev, before teaching', devBefore.summary);
    show('validation, before teaching', valBefore.summary);
    const misses = devBefore.results.filter((r) => (r.topic ? r.got !== r.topic : r.got));
    let taught = 0;
    for (const r of misses) {
      const res = await fetch(`${url}/api/knowledge/taught`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: r.q, topicId: r.topic ?? OUT_OF_SCOPE }),
      });
      if (res.status === 201) taught++;
      else console.log(`not taught (${res.status}): ${r.q}`);
    }
    console.log(
      `taught ${taught} of ${misses.length} dev misses through POST /api/knowledge/taught`,
    );
    const valAfter = await score(VALIDATION, 'validation-after');
    const devAfter = await score(DEV, 'dev-after');
    show('validation, after teaching', valAfter.summary);
    show('dev, after teaching', devAfter.summary);
    const changed = valAfter.results.filter((r, i) => r.got !== valBefore.results[i].got);
    console.log(`validation questions whose answer changed: ${changed.length}`);
    for (const r of changed) {
      const before = valBefore.results.find((b) => b.q === r.q)!;
      const expected = r.topic ?? 'escalate';
      const ok = r.topic ? r.got === r.topic : !r.got;
      console.log(
        `  ${ok ? 'better' : 'worse '} expected ${expected}: ${before.got ?? '-'} → ${r.got ?? '-'} :: ${r.q}`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
