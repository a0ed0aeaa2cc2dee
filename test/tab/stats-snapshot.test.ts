import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { SNAPSHOT_FILE } from '../../src/storage/lowdb/stats.js';
import { tempDir } from '../support/bot.js';
import { openStore } from './snapshot-writer.js';

const TEMP = /^\.stats-snapshot\.json\..+\.tmp$/;

/**
 * Runs the writer until it has written one snapshot, then kills it with SIGKILL as soon as the
 * next snapshot's temp file appears. Resolves whether a temp file was left behind, i.e. whether the
 * kill landed in the middle of the write (rather than just after its rename).
 */
async function killWhileWriting(dataDir: string, run: number): Promise<boolean> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(PROJECT_ROOT, 'test/tab/snapshot-writer.ts'),
      dataDir,
      String(run * 1000),
    ],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let written = false;
  const watcher = fs.watch(dataDir, (_event, name) => {
    if (written && name && TEMP.test(name)) child.kill('SIGKILL');
  });
  child.stdout!.on('data', () => (written = true));
  await exited;
  watcher.close();
  return (await fsp.readdir(dataDir)).some((f) => TEMP.test(f));
}

describe('statistics on lowdb: the counter snapshot and kill -9', function () {
  this.timeout(120_000);

  it('leaves the old snapshot or the new one, and a restart counts every logged question', async () => {
    const dataDir = await tempDir();
    let midWrite = false;
    // A kill can land just after a write instead of inside one; each run tries once more.
    for (let run = 1; run <= 10 && !midWrite; run++)
      midWrite = await killWhileWriting(dataDir, run);
    assert.ok(
      midWrite,
      'in ten runs, at least one SIGKILL landed in the middle of a snapshot write',
    );

    const snapshot = JSON.parse(await fsp.readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8'));
    assert.equal(snapshot.version, 2, 'a whole snapshot, not a torn one');

    const logged = (await fsp.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim()).length;
    const store = await openStore(dataDir);
    try {
      assert.equal(store.started.fromSnapshot, true);
      // The tail is what the snapshot on disk had not yet counted: the question of the torn write.
      assert.ok(
        store.started.tailEntries >= 1 && store.started.tailEntries < 100,
        JSON.stringify(store.started),
      );
      const counts = (await store.counts(['2025-Q2'])).get('2025-Q2')!;
      assert.equal(counts.get('')?.questions, logged, 'every logged question counted once');
      assert.equal(counts.get('')?.noAnswer, logged);
      const gaps = await store.topGaps('2025-Q2', 5);
      assert.equal(gaps.length, 5);
      assert.ok(gaps.every((g) => g.noAnswer === 1));
      assert.deepEqual(
        (await fsp.readdir(dataDir)).filter((f) => TEMP.test(f)),
        [],
        'the torn temp file is cleared at start',
      );
    } finally {
      await store.close();
    }
  });
});
