import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import {
  cardAction,
  cardsOf,
  findAll,
  personalMessage,
  postActivity,
  textOf,
} from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';

describe('registering phone calls in the chat (samtal <kategori>)', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;
  const config = () =>
    testConfig({
      DATA_DIR: dataDir,
      SUPPORT_STAFF_IDS: 'aad-staff',
      COORDINATOR_IDS: 'aad-coordinator',
    });

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    bot = await startBot(config(), { now: () => new Date('2025-05-12T08:00:00Z') });
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const say = async (text: string, user: string) => {
    const before = connector.sent.length;
    const res = await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, `${text}`, { user }),
    );
    assert.equal(res.status, 200);
    return connector.sent.slice(before).map((s) => s.activity);
  };
  const calls = async () => {
    const res = await fetch(`${bot.url}/api/stats?quarter=2025-Q2`);
    const body = await res.json();
    return Object.fromEntries(
      body.figures.find((f: any) => f.id === 'calls').rows.map((r: any) => [r.label, r.current]),
    );
  };

  it('registers a call from staff or the coordinator, by the start of a category', async () => {
    assert.match(
      textOf(await say('samtal hämtorder', 'staff')),
      /Samtal registrerat: Hämtorder och retur\. K2 2025: 1 samtal/,
    );
    assert.match(
      textOf(await say('Samtal: BESTÄLLNING', 'coordinator')),
      /Samtal registrerat: Beställning/,
    );
    assert.match(textOf(await say('samtal övr', 'staff')), /Samtal registrerat: Övrigt/);
    const counted = await calls();
    assert.equal(counted['Hämtorder och retur'], 1);
    assert.equal(counted['Beställning'], 1);
    assert.equal(counted['Övrigt'], 1);
  });

  it('offers the categories as buttons for an unknown or missing category', async () => {
    for (const text of [
      'samtal',
      'samtal middag',
      'samtal 19121212-1212',
      `samtal ${'x'.repeat(1900)}`,
    ]) {
      const replies = await say(text, 'staff');
      const card = cardsOf(replies[replies.length - 1])[0];
      assert.ok(card, text.slice(0, 30));
      assert.ok(findAll(card, 'category').includes('Övrigt'), text.slice(0, 30));
      assert.doesNotMatch(JSON.stringify(replies), /121212-?1212/);
    }
    assert.equal((await calls())['Totalt'], 0);
  });

  it('treats "samtal …" from anyone else as a question, and refuses their button click', async () => {
    const replies = await say('samtal hämtorder', 'user-1');
    assert.doesNotMatch(textOf(replies), /registrerat/);
    const res = await postActivity(
      bot.url,
      cardAction(
        connector.serviceUrl,
        'call.register',
        { category: 'Beställning' },
        { user: 'user-1' },
      ),
    );
    assert.equal(res.status, 200);
    assert.doesNotMatch(JSON.stringify(res.body) + JSON.stringify(connector.sent), /registrerat/);
    assert.match(textOf(connector.sent.map((s) => s.activity)), /Bara supportpersonal/);
    assert.equal((await calls())['Totalt'], 0);
  });

  it('ignores a forged category on the button', async () => {
    for (const category of ['<script>', '', 42, null, ['Beställning']]) {
      const res = await postActivity(
        bot.url,
        cardAction(connector.serviceUrl, 'call.register', { category }, { user: 'staff' }),
      );
      assert.equal(res.status, 200);
    }
    assert.equal((await calls())['Totalt'], 0);
  });

  it('still counts the calls and questions after a restart, and survives a torn last line', async () => {
    await say('samtal felrapport', 'staff');
    await say('hur skriver jag en hämtorder', 'user-1');
    await bot.stop();
    // A crash mid-append leaves half a line: the rest must still count.
    await fs.appendFile(path.join(dataDir, 'calls.jsonl'), '{"kind":"call","at":"2025-05-');
    await fs.appendFile(path.join(dataDir, 'questions.jsonl'), '{"kind":"question","id":');
    bot = await startBot(config(), { now: () => new Date('2025-05-12T08:00:00Z') });
    assert.equal((await calls())['Felrapport'], 1);
    const body = await (await fetch(`${bot.url}/api/stats?quarter=2025-Q2`)).json();
    assert.equal(body.figures.find((f: any) => f.id === 'questions').rows.at(-1).current, 1);
  });
});
