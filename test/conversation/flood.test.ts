import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import type { RunningApp } from '../../src/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { cardAction, findAll, personalMessage, postActivity } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { texts } from '../../src/texts.js';

describe('one user flooding the bot', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let clock: number;

  beforeEach(async () => {
    connector = await startFakeConnector();
    clock = Date.parse('2026-03-02T09:00:00Z');
    // The clock stands still unless the test moves it, so no bucket refills by chance.
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), RATE_LIMIT_BURST: '5', RATE_LIMIT_PER_MINUTE: '6' }),
      {
        now: () => new Date(clock),
      },
    );
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const notices = (conversationId: string) =>
    connector.to(conversationId).filter((s) => s.activity.text === texts.slowDown);

  it('leaves another user answered, every answer right, while the flooder gets one notice and is dropped', async () => {
    const flood = Array.from({ length: 60 }, () =>
      postActivity(
        bot.url,
        personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: 'flooder' }),
      ),
    );
    const questions: [string, string][] = [
      ['hur loggar jag in', 'inloggning'],
      ['hur skriver jag en hämtorder', 'hamtorder'],
      ['makulera kundordern', 'makulera-kundorder'],
      ['hur loggar jag in', 'inloggning'],
      ['hur skriver jag en hämtorder', 'hamtorder'],
    ];
    const answers = questions.map(([q]) =>
      postActivity(bot.url, personalMessage(connector.serviceUrl, q, { user: 'other' })),
    );
    const [flooded, answered] = await Promise.all([Promise.all(flood), Promise.all(answers)]);

    assert.deepEqual(
      answered.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    const otherTopics = connector
      .to('a:personal-other')
      .flatMap((s) => findAll(s.activity, 'topicId').slice(0, 1));
    assert.deepEqual([...otherTopics].sort(), questions.map(([, t]) => t).sort());
    assert.equal(notices('a:personal-other').length, 0);

    assert.equal(flooded.filter((r) => r.status === 200).length, 5, 'the burst');
    assert.equal(flooded.filter((r) => r.status === 202).length, 55, 'acknowledged and dropped');
    assert.equal(notices('a:personal-flooder').length, 1, 'told once');
  });

  it('tells a steady flooder once, however often the bucket lets one message through', async () => {
    const send = () =>
      postActivity(bot.url, personalMessage(connector.serviceUrl, 'hej', { user: 'steady' }));
    for (let i = 0; i < 8; i++) await send();
    for (let minute = 0; minute < 5; minute++) {
      clock += 10_000; // one token
      assert.equal((await send()).status, 200);
      assert.equal((await send()).status, 202);
    }
    assert.equal(notices('a:personal-steady').length, 1);
  });

  it('answers a throttled card click with 429, and lets the user back in once the bucket refills', async () => {
    for (let i = 0; i < 6; i++)
      await postActivity(
        bot.url,
        personalMessage(connector.serviceUrl, 'hej', { user: 'clicker' }),
      );
    const click = await postActivity(
      bot.url,
      cardAction(
        connector.serviceUrl,
        'help.category',
        { category: 'Felrapport' },
        { user: 'clicker' },
      ),
    );
    assert.equal(click.status, 429);
    assert.equal(notices('a:personal-clicker').length, 1);

    clock += 60_000; // 6 a minute: six new tokens
    const again = await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, 'hur loggar jag in', { user: 'clicker' }),
    );
    assert.equal(again.status, 200);
    const last = connector.to('a:personal-clicker').at(-1)!;
    assert.equal(findAll(last.activity, 'topicId')[0], 'inloggning');
  });
});

describe('request size', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(testConfig({ DATA_DIR: await tempDir(), MAX_BODY_BYTES: '4096' }));
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('refuses a body over MAX_BODY_BYTES with 413 and runs no turn, and still answers the next one', async () => {
    const big = personalMessage(connector.serviceUrl, 'hämtorder '.repeat(1000));
    assert.equal((await postActivity(bot.url, big)).status, 413);
    assert.equal(connector.requests, 0);
    assert.equal(
      (await postActivity(bot.url, personalMessage(connector.serviceUrl, 'hej'))).status,
      200,
    );
  });
});

/** A Bot Connector that holds every reply until released, so a turn is surely in flight. */
async function startGatedConnector() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let arrived!: () => void;
  const firstArrived = new Promise<void>((r) => (arrived = r));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived();
      void released.then(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'act-1' }));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    firstArrived,
    release,
    stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

describe('stopping while a turn is in flight', () => {
  it('app.stop() refuses new requests, lets the turn finish its send and its write, then closes', async () => {
    const gate = await startGatedConnector();
    const dataDir = await tempDir();
    const bot = await startBot(testConfig({ DATA_DIR: dataDir }));
    try {
      const inFlight = postActivity(bot.url, personalMessage(gate.serviceUrl, 'hur loggar jag in'));
      await gate.firstArrived;
      const stopped = bot.stop();
      const late = await fetch(`${bot.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      assert.ok(late === 503 || late === 'refused', String(late));
      gate.release();
      assert.equal((await inFlight).status, 200);
      await stopped;
      const log = await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8');
      assert.match(log, /hur loggar jag in/);
    } finally {
      gate.release();
      await gate.stop();
    }
  });

  it('SIGTERM to the real process does the same and exits 0', async function () {
    // A cold start of src/main.ts through tsx, on 2 shared cores, can take most of a minute.
    this.timeout(120_000);
    const gate = await startGatedConnector();
    const dataDir = await tempDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'src/main.ts')],
      {
        cwd: PROJECT_ROOT,
        env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c)); // first, so that `look` below sees each chunk
      const logged = (pattern: RegExp) =>
        new Promise<RegExpExecArray>((resolve, reject) => {
          const look = () => {
            const m = pattern.exec(out);
            if (m) resolve(m);
            return m;
          };
          if (look()) return;
          child.stdout.on('data', look);
          child.once('exit', () =>
            reject(new Error(`bot exited before logging ${pattern}:\n${out}`)),
          );
        });
      const url = (await logged(/"url":"(http:[^"]+)"/))[1];
      const inFlight = postActivity(url, personalMessage(gate.serviceUrl, 'hur loggar jag in'));
      await gate.firstArrived;
      child.kill('SIGTERM');
      await logged(/stopping: finishing what is in flight/); // the stop has begun with the turn still open
      gate.release();
      assert.equal((await inFlight).status, 200);
      assert.equal(await exited, 0);
      assert.match(
        await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8'),
        /hur loggar jag in/,
      );
    } finally {
      gate.release();
      child.kill('SIGKILL');
      await gate.stop();
    }
  });
});
