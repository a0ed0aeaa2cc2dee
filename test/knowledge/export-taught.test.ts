import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadTopics } from '../../src/knowledge/load.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector } from '../support/fake-connector.js';
import { askTopic, teachApi } from './teach-api.js';

const run = promisify(execFile);

describe('exporting taught phrases into the topic files (npm run knowledge:export-taught)', () => {
  it("adds the phrases in force to their topics' phrases, changes nothing else, and the files then answer them", async function () {
    this.timeout(60_000);
    const dir = await tempDir('wsh-knowledge-');
    await fs.cp(path.join(PROJECT_ROOT, 'knowledge'), dir, { recursive: true });
    const dataDir = await tempDir();
    const before = Object.fromEntries(
      await Promise.all(
        (await fs.readdir(dir))
          .filter((f) => f.endsWith('.md'))
          .map(async (f) => [f, await fs.readFile(path.join(dir, f), 'utf8')] as const),
      ),
    );
    const existing = (await loadTopics(dir)).find((t) => t.id === 'hamtorder')!.phrases[0];

    const connector = await startFakeConnector();
    let bot = await startBot(
      testConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: dir, KNOWLEDGE_WATCH_MS: '0' }),
    );
    const odd = 'grodorna i dammen hoppar över "bäcken": 19121212-1212';
    for (const [question, topicId] of [
      [odd, 'retur'],
      [odd, 'arbetsorder'], // the later wins
      ['hur byter jag färg på skrivaren på avdelningen', 'out-of-scope'],
      [existing, 'hamtorder'], // already in the file
    ])
      assert.equal((await teachApi(bot.url, { question, topicId })).status, 201);
    await bot.stop();

    const env = { ...process.env, DATA_DIR: dataDir, KNOWLEDGE_DIR: dir, DATABASE_URL: '' };
    const dry = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/export-taught.ts', '--dry-run'],
      {
        cwd: PROJECT_ROOT,
        env,
      },
    );
    assert.match(dry.stdout, /2 fraser skulle läggas till/);
    assert.equal(
      await fs.readFile(path.join(dir, 'arbetsorder.md'), 'utf8'),
      before['arbetsorder.md'],
    );

    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'scripts/export-taught.ts'],
      {
        cwd: PROJECT_ROOT,
        env,
      },
    );
    assert.match(stdout, /2 fraser tillagda i 2 filer/);
    assert.match(stdout, /frasen finns redan/);

    const masked = 'grodorna i dammen hoppar över "bäcken": [personnummer]';
    const changed: string[] = [];
    for (const [file, old] of Object.entries(before)) {
      const now = await fs.readFile(path.join(dir, file), 'utf8');
      if (now === old) continue;
      changed.push(file);
      // Only added lines: the rest of the file is as it was.
      const added = now.split('\n').filter((l) => !old.split('\n').includes(l));
      assert.equal(now.split('\n').length - old.split('\n').length, added.length, file);
      assert.equal(added.length, 1, file);
    }
    assert.deepEqual(changed.sort(), ['arbetsorder.md', 'utanfor-ovrigt.md']);
    const topics = await loadTopics(dir);
    assert.ok(topics.find((t) => t.id === 'arbetsorder')!.phrases.includes(masked));
    assert.ok(
      topics
        .find((t) => t.id === 'utanfor-ovrigt')!
        .phrases.includes('hur byter jag färg på skrivaren på avdelningen'),
    );

    // A bot with nothing taught answers the exported phrase from the files.
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), KNOWLEDGE_DIR: dir, KNOWLEDGE_WATCH_MS: '0' }),
    );
    await askTopic(bot, connector, 'hej');
    assert.equal((await askTopic(bot, connector, masked)).topicId, 'arbetsorder');
    await bot.stop();
    await connector.stop();
  });
});
