import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { RunningApp } from '../../src/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { findAll, personalMessage, postActivity } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { changedRecords, runFuzz, snapshotRecords } from '../support/fuzz-activities.js';

// The suite runs a share of the 10,000 that `npx tsx bench/fuzz.ts` sends, to stay quick on 2 cores.
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapUsed = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

describe('fuzzing /api/messages with generated activities', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;

  before(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    bot = await startBot(testConfig({ DATA_DIR: dataDir, ALLOWED_TENANTS: 'tenant-1,tenant-2' }));
    // Something the fuzz must leave alone: a known user, their question, its log line.
    for (const text of ['hej', 'hur skriver jag en hämtorder'])
      assert.equal(
        (
          await postActivity(
            bot.url,
            personalMessage(connector.serviceUrl, text, { user: 'seed-user' }),
          )
        ).status,
        200,
      );
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it(`answers ${RUNS} hostile activities with 2xx/4xx only, leaves stored records alone and memory near its start`, async () => {
    const records = await snapshotRecords(dataDir);
    const heapBefore = heapUsed();

    const counts = await runFuzz(
      bot.url,
      { serviceUrl: connector.serviceUrl, knownIds: ['hamtorder', 'T-1'] },
      RUNS,
    );

    assert.equal(counts.firstFailure, undefined, counts.firstFailure);
    assert.equal(counts.crashes, 0);
    assert.equal(counts.sent, RUNS);
    assert.equal(
      counts.byClass['5xx'] + counts.byClass.network + counts.byClass['3xx'],
      0,
      JSON.stringify(counts.byStatus),
    );
    assert.ok(
      counts.byClass['2xx'] > RUNS / 10 && counts.byClass['4xx'] > RUNS / 10,
      `both kinds of answer were reached: ${JSON.stringify(counts.byStatus)}`,
    );

    assert.deepEqual(await changedRecords(dataDir, records), []);
    const grown = heapUsed() - heapBefore;
    assert.ok(grown < 64 * 1024 * 1024, `heap grew by ${Math.round(grown / 1024 / 1024)} MB`);

    // Still answers, and answers right.
    const res = await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: 'seed-user' }),
    );
    assert.equal(res.status, 200);
    assert.equal(findAll(connector.sent.at(-1)!.activity, 'topicId')[0], 'hamtorder');
  });
});
