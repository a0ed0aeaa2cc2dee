/**
 * Answer figures: accuracy, wrong and out-of-scope held on every question set (dev and each
 * `test/fixtures/*.jsonl`), search time per question p50/p95 (Knowledge.ask: scope, lexicon and
 * ranking, in-process, over all the sets' questions), the slowest of 20 asks for four pathological
 * 2,000-character messages; then reply latency p50/p95 through the
 * HTTP endpoint with 50 concurrent conversations, messages per second, RSS; then the same with
 * 200,000 questions already logged (statistics rebuild from the log at start).
 *   npx tsx bench/answers.ts     (CONVERSATIONS, MESSAGES_EACH, PREFILL override;
 *                                 QUALITY_ONLY=1: sets and search time only, no HTTP)
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { scoreQuestionSet, type LabelledQuestion } from '../src/knowledge/evaluation.js';
import { createKnowledge, type Knowledge } from '../src/knowledge/knowledge.js';
import { loadTopics } from '../src/knowledge/load.js';
import { maskPersonnummer } from '../src/privacy/mask.js';
import { findAll, personalMessage, postActivity } from '../test/support/activities.js';
import { tempDir } from '../test/support/bot.js';
import { startFakeConnector } from '../test/support/fake-connector.js';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 50);
const MESSAGES_EACH = Number(process.env.MESSAGES_EACH ?? 20);
const PREFILL = Number(process.env.PREFILL ?? 200_000);
const QUESTIONS = [
  'hur skriver jag en hämtorder',
  'hur loggar jag in',
  'makulera kundordern',
  'rullatorn som levererades var trasig',
  'hur beställer jag till vårt förråd',
  'felrapport',
  'vad blir det för middag på fredag',
  'hamtoder',
];

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** The labelled sets: the shared dev set (when beside the project) and every fixture set. */
async function questionSets(): Promise<{ name: string; questions: LabelledQuestion[] }[]> {
  // The shared folder sits beside the project (../shared), or beside a git worktree's parent.
  const dev = [
    path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'),
    path.join(PROJECT_ROOT, '..', '..', 'shared', 'eval', 'dev.jsonl'),
  ];
  const files = [
    (
      await Promise.all(
        dev.map((f) =>
          fs.stat(f).then(
            () => f,
            () => '',
          ),
        ),
      )
    ).find(Boolean) ?? dev[0],
  ];
  const fixtures = path.join(PROJECT_ROOT, 'test', 'fixtures');
  for (const f of (await fs.readdir(fixtures)).sort())
    if (f.endsWith('.jsonl')) files.push(path.join(fixtures, f));
  const sets = [];
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const questions = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as LabelledQuestion);
    sets.push({ name: path.basename(file), questions });
  }
  return sets;
}

async function createBenchKnowledge(): Promise<Knowledge> {
  const config = loadConfig({});
  return createKnowledge(await loadTopics(config.KNOWLEDGE_DIR), {
    answer: config.MATCH_ANSWER_THRESHOLD,
    suggest: config.MATCH_SUGGEST_THRESHOLD,
  });
}

async function quality(knowledge: Knowledge) {
  return (await questionSets()).map(({ name, questions }) => {
    const s = scoreQuestionSet(knowledge, questions);
    return {
      set: name,
      questions: questions.length,
      accuracy: round(s.accuracy, 3),
      wrong: round(s.wrong, 3),
      inSuggestions: round(s.inSuggestions, 3),
      outOfScopeHeld: round(s.held, 3),
    };
  });
}

async function searchTime(knowledge: Knowledge) {
  const questions = [
    ...QUESTIONS,
    ...(await questionSets()).flatMap((s) => s.questions.map((q) => q.q)),
  ].map(maskPersonnummer);
  for (const q of questions) knowledge.ask(q); // warm up
  // Wall time, and the CPU time of this process: on a shared machine the wall time's tail is
  // mostly time the process waited for a core, not time spent searching.
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < Math.max(2_000, questions.length * 3); i++) {
    const q = questions[i % questions.length];
    const c = process.cpuUsage();
    const t = performance.now();
    knowledge.ask(q);
    times.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return {
    queries: times.length,
    distinctQuestions: questions.length,
    p50Ms: round(percentile(times, 50), 3),
    p95Ms: round(percentile(times, 95), 3),
    cpuP50Ms: round(percentile(cpu, 50), 3),
    cpuP95Ms: round(percentile(cpu, 95), 3),
  };
}

// Pathological messages at the conversation's limit (2,000 characters): one endless word, a wall
// of nonsense words, a compound repeated, contrasts repeated. Each must stay far from blocking.
async function worstCases(knowledge: Knowledge) {
  const nonsense = (n: number) =>
    Array.from({ length: n }, (_, i) => 'abdefghiklmnoprstuvyåäö'[(i * 7919) % 23]).join('');
  const inputs = {
    oneWord: 'a'.repeat(2_000),
    nonsenseWords: Array.from({ length: 180 }, (_, i) => nonsense(10 + (i % 3))).join(' '),
    repeatedCompound: 'rullstolshjulsbyte'.repeat(110),
    repeatedContrast: 'inte till förrådet utan hem, inte laga, bara hämta. '.repeat(38),
  };
  const out: Record<string, number> = {};
  for (const [name, text] of Object.entries(inputs)) {
    knowledge.ask(text);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      knowledge.ask(text);
      times.push(performance.now() - t);
    }
    out[`${name}MaxMs`] = round(Math.max(...times), 2);
  }
  return out;
}

async function prefill(dataDir: string, n: number) {
  const topics = [
    'hamtorder',
    'inloggning',
    'makulera-kundorder',
    'bestalla-till-forrad',
    undefined,
  ];
  const start = Date.parse('2025-01-01T00:00:00Z');
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const topicId = topics[i % topics.length];
    lines.push(
      JSON.stringify({
        kind: 'question',
        id: randomUUID(),
        at: new Date(start + i * 60_000).toISOString(),
        userId: `aad-prefill-${i % 500}`,
        conversationType: 'personal',
        text: QUESTIONS[i % QUESTIONS.length],
        confidence: topicId ? 0.8 : 0.1,
        outcome: topicId ? 'answered' : 'no-answer',
        ...(topicId ? { topicId } : {}),
        suggestions: [],
      }),
    );
  }
  await fs.writeFile(path.join(dataDir, 'questions.jsonl'), `${lines.join('\n')}\n`);
}

/**
 * The bot runs as its own process, built as `npm start` builds it: the load generator and the
 * connector stand-in stay in this process, so they do not eat into the bot's event loop.
 */
async function startBotProcess(
  dataDir: string,
): Promise<{ url: string; child: ChildProcess; rssMB: () => number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'dist', 'main.js')], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // The limit is for people; this bench is many people's worth of questions from few ids.
      RATE_LIMIT_BURST: '100000',
      RATE_LIMIT_PER_MINUTE: '100000',
    },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/"url":"(http:\/\/[^"]+)"/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`bot exited with ${code} before listening`)));
  });
  const rssMB = () => {
    const status = execFileSync('cat', [`/proc/${child.pid}/status`]).toString();
    return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, child, rssMB, stop };
}

async function throughHttp(label: string, logged: number) {
  const dataDir = await tempDir('wsh-answers-');
  if (logged) await prefill(dataDir, logged);
  const connector = await startFakeConnector();
  const t0 = performance.now();
  const bot = await startBotProcess(dataDir);
  const startMs = performance.now() - t0;
  const latencies: number[] = [];
  let wrong = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: CONVERSATIONS }, async (_, c) => {
      const user = `bench-${c}`;
      await postActivity(bot.url, personalMessage(connector.serviceUrl, 'hej', { user }));
      for (let m = 0; m < MESSAGES_EACH; m++) {
        const t = performance.now();
        const res = await postActivity(
          bot.url,
          personalMessage(connector.serviceUrl, QUESTIONS[(c + m) % QUESTIONS.length], { user }),
        );
        latencies.push(performance.now() - t);
        if (res.status !== 200) wrong++;
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  const answered = connector.sent.filter((s) => findAll(s.activity, 'topicId').length).length;
  const rss = bot.rssMB();
  await bot.stop();
  await connector.stop();
  return {
    label,
    questionsAlreadyLogged: logged,
    startMs: Math.round(startMs),
    conversations: CONVERSATIONS,
    messages: latencies.length,
    non200: wrong,
    repliesWithATopic: answered,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
    messagesPerSecond: round(latencies.length / seconds),
    rssMB: rss,
  };
}

const knowledge = await createBenchKnowledge();
const sets = await quality(knowledge);
const search = await searchTime(knowledge);
const worst = await worstCases(knowledge);
if (process.env.QUALITY_ONLY) {
  process.stdout.write(
    `${JSON.stringify({ bench: 'answers', sets, searchPerQuestion: search, worstCases: worst }, null, 2)}\n`,
  );
} else {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  const fresh = await throughHttp('empty log', 0);
  const full = await throughHttp(`${PREFILL} questions logged`, PREFILL);
  process.stdout.write(
    `${JSON.stringify({ bench: 'answers', sets, searchPerQuestion: search, worstCases: worst, http: [fresh, full] }, null, 2)}\n`,
  );
  process.exitCode = fresh.non200 + full.non200 === 0 ? 0 : 1;
}
