/**
 * The fuzz run at full size: 10,000 generated activities against the real endpoint, in this
 * process, with the counts and memory the issue asks for. `FUZZ_RUNS`, `FUZZ_SEED` override.
 *   npx tsx bench/fuzz.ts
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { findAll, personalMessage, postActivity } from '../test/support/activities.js';
import { startBot, tempDir, testConfig } from '../test/support/bot.js';
import { startFakeConnector } from '../test/support/fake-connector.js';
import { changedRecords, runFuzz, snapshotRecords } from '../test/support/fuzz-activities.js';

const runs = Number(process.env.FUZZ_RUNS ?? 10_000);
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const mb = (n: number) => Math.round(n / 1024 / 1024);
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed) };
};

const connector = await startFakeConnector();
const dataDir = await tempDir('wsh-fuzz-');
const bot = await startBot(testConfig({ DATA_DIR: dataDir, ALLOWED_TENANTS: 'tenant-1,tenant-2' }));
for (const text of ['hej', 'hur skriver jag en hämtorder'])
  await postActivity(bot.url, personalMessage(connector.serviceUrl, text, { user: 'seed-user' }));
const records = await snapshotRecords(dataDir);

const before = memory();
const started = performance.now();
const counts = await runFuzz(
  bot.url,
  { serviceUrl: connector.serviceUrl, knownIds: ['hamtorder', 'T-1'] },
  runs,
  seed,
);
const seconds = (performance.now() - started) / 1000;
const after = memory();

const changed = await changedRecords(dataDir, records);
const check = await postActivity(
  bot.url,
  personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: 'seed-user' }),
);
const stillRight =
  check.status === 200 && findAll(connector.sent.at(-1)!.activity, 'topicId')[0] === 'hamtorder';
const logLines = (await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8'))
  .split('\n')
  .filter(Boolean).length;

await bot.stop();
await connector.stop();

const report = {
  bench: 'fuzz',
  seed,
  sent: counts.sent,
  '2xx': counts.byClass['2xx'],
  '4xx': counts.byClass['4xx'],
  '5xx': counts.byClass['5xx'],
  noAnswer: counts.byClass.network,
  crashes: counts.crashes,
  byStatus: counts.byStatus,
  refusedFields: counts.refusedFields,
  seconds: Math.round(seconds * 10) / 10,
  perSecond: Math.round(counts.sent / seconds),
  memoryBefore: before,
  memoryAfter: after,
  storedRecordsChanged: changed,
  questionsLogged: logLines,
  repliesSentToConnector: connector.sent.length,
  stillAnswersRight: stillRight,
  firstFailure: counts.firstFailure,
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
process.exitCode = counts.firstFailure || changed.length || !stillRight ? 1 : 0;
