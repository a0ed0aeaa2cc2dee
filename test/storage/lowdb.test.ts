import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { openDocument } from '../../src/storage/lowdb/open.js';
import { DurableJsonFile } from '../../src/storage/lowdb/durable-json-file.js';
import { JsonlQuestionLog } from '../../src/storage/lowdb/question-log.js';
import { openRecipients } from '../../src/storage/lowdb/recipients.js';
import type { LogEntry } from '../../src/conversation/question-log.js';
import { tempDir } from '../support/bot.js';

describe('lowdb storage on real files', () => {
  it('a durable write leaves the whole new content and no temp files behind', async () => {
    const dir = await tempDir();
    const db = await openDocument(dir, 'things', { items: [] as number[] });
    db.data.items.push(1, 2, 3);
    await db.write();
    assert.deepEqual(JSON.parse(await fs.readFile(path.join(dir, 'things.json'), 'utf8')), {
      items: [1, 2, 3],
    });
    assert.deepEqual(
      (await fs.readdir(dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
    const again = await openDocument(dir, 'things', { items: [] as number[] });
    assert.deepEqual(again.data.items, [1, 2, 3]);
  });

  it('writes asked for at once are coalesced, and each resolves only after the data is on disk', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'n.json');
    const adapter = new DurableJsonFile<{ n: number }>(file);
    const writes = Array.from({ length: 50 }, (_, i) =>
      adapter
        .write({ n: i })
        .then(async () => JSON.parse(await fs.readFile(file, 'utf8')).n as number),
    );
    const seenAfter = await Promise.all(writes);
    seenAfter.forEach((n, i) =>
      assert.ok(n >= i, `write ${i} resolved before it was on disk (saw ${n})`),
    );
    assert.equal(JSON.parse(await fs.readFile(file, 'utf8')).n, 49);
  });

  it('a broken data file is a clear error naming it, not an empty store', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'recipients.json'), '{"recipients": {');
    await assert.rejects(openRecipients(dir), /recipients\.json/);
  });

  it('recipients: new ones are written, known ones with the same reference are not rewritten', async () => {
    const dir = await tempDir();
    const repo = await openRecipients(dir);
    const anna = {
      id: 'user:aad-anna',
      kind: 'user' as const,
      name: 'Anna',
      tenantId: 't',
      reference: { conversation: { id: 'a:1' } },
      firstSeenAt: '2026-01-01T00:00:00Z',
    };
    assert.equal(await repo.upsert(anna), true);
    const file = path.join(dir, 'recipients.json');
    const before = (await fs.stat(file)).mtimeMs;
    assert.equal(await repo.upsert({ ...anna, firstSeenAt: '2026-02-01T00:00:00Z' }), false);
    assert.equal((await fs.stat(file)).mtimeMs, before);
    await repo.markGone(anna.id, new Date('2026-03-01T00:00:00Z'));
    const reopened = await openRecipients(dir);
    assert.equal((await reopened.get(anna.id))?.goneAt, '2026-03-01T00:00:00.000Z');
    assert.equal((await reopened.get(anna.id))?.firstSeenAt, '2026-01-01T00:00:00Z');
  });

  it('a reference read back from disk equals the same one fresh from an activity: no rewrite after a restart', async () => {
    const { recipientFromActivity } = await import('../../src/teams/conversations.js');
    const { teamsActivity } = await import('../support/activities.js');
    const dir = await tempDir();
    const activity = teamsActivity('http://127.0.0.1:9/', { text: 'hej', user: 'restart' }) as any;
    assert.equal(
      await (await openRecipients(dir)).upsert(recipientFromActivity(activity, new Date())!),
      true,
    );
    const file = path.join(dir, 'recipients.json');
    const before = (await fs.stat(file)).mtimeMs;
    const reopened = await openRecipients(dir);
    assert.equal(
      await reopened.upsert(
        recipientFromActivity({ ...activity, id: 'another-message' }, new Date())!,
      ),
      false,
    );
    assert.equal((await fs.stat(file)).mtimeMs, before);
  });

  it('the question log appends, reads back in order, and skips a line cut short by a crash', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'questions.jsonl');
    const log = new JsonlQuestionLog(file);
    const entry = (i: number): LogEntry => ({
      kind: 'question',
      id: `q${i}`,
      at: '2026-11-23T09:00:00Z',
      userId: 'u',
      conversationType: 'personal',
      text: `fråga ${i}`,
      outcome: 'answered',
      topicId: 'retur',
      category: 'x',
      confidence: 0.9,
      suggestions: [],
    });
    for (let i = 0; i < 3; i++) await log.append(entry(i));
    await log.close();
    await fs.appendFile(file, '{"kind":"question","id":"q3","te');
    const again = new JsonlQuestionLog(file);
    const ids: string[] = [];
    for await (const e of again.readAll()) ids.push((e as { id: string }).id);
    assert.deepEqual(ids, ['q0', 'q1', 'q2']);
    await again.close();
  });
});
