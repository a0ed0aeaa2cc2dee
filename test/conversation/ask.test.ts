import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import {
  cardAction,
  cardsOf,
  findAll,
  personalMessage,
  postActivity,
  teamsActivity,
  textOf,
} from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';

describe('asking the bot in a personal chat', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    bot = await startBot(testConfig({ DATA_DIR: dataDir }));
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const ask = async (text: string, user = 'user-1') => {
    const before = connector.sent.length;
    const res = await postActivity(bot.url, personalMessage(connector.serviceUrl, text, { user }));
    assert.equal(res.status, 200);
    // No sleep: CloudAdapter answers the POST only after the turn's sends have been made.
    return connector.sent.slice(before).map((s) => s.activity);
  };
  const lastCard = (activities: Record<string, any>[]) =>
    cardsOf(activities[activities.length - 1])[0];

  it('answers a clear question with the topic card, its steps, video and feedback buttons', async () => {
    await ask('hej'); // first contact gets the welcome, so the next reply is the answer alone
    const replies = await ask('hur skriver jag en hämtorder');
    assert.equal(replies.length, 1);
    const card = lastCard(replies);
    assert.equal(card.version, '1.5');
    assert.deepEqual([...new Set(findAll(card, 'topicId'))], ['hamtorder']);
    assert.match(textOf(card), /Hjälpte svaret\?/);
    assert.match(JSON.stringify(card), /smartass\/765\.guide/);
    const feedback = (card.actions as { type: string; verb?: string }[]).filter(
      (a) => a.type === 'Action.Execute' && a.verb === 'feedback.give',
    );
    assert.equal(feedback.length, 2);
  });

  it('understands typos, missing å/ä/ö and compounds', async () => {
    await ask('hej');
    for (const [question, topic] of [
      ['hamtoder', 'hamtorder'],
      ['makulera kundordern', 'makulera-kundorder'],
      ['hämtorderorsak återlämnat ej avregistrerat', 'hamtorder-aterlamnat'],
    ]) {
      const replies = await ask(question);
      assert.equal(findAll(replies, 'topicId')[0], topic, question);
    }
  });

  it('reads a pasted e-mail line by line: the signature is not the question', async () => {
    await ask('hej');
    // Sent with its line breaks, as Teams keeps them; read as one line it is only a guess.
    const replies = await ask(
      'Hej,\nvilket val ska jag ta när jag loggar in, det finns flera\n/Per\n\nSkickat från min iPhone',
    );
    assert.equal(findAll(replies, 'topicId')[0], 'inloggning');
  });

  it('asks back with at most three choices that carry suggestedTopicId and no topicId', async () => {
    await ask('hej');
    const replies = await ask('felrapport');
    const card = lastCard(replies);
    const suggested = findAll(card, 'suggestedTopicId');
    assert.ok(suggested.length >= 2 && new Set(suggested).size <= 3, JSON.stringify(suggested));
    assert.deepEqual(findAll(card, 'topicId'), []);
    assert.match(textOf(card), /Menade du/);
  });

  it('a click on a choice answers that topic and marks the choice on the card', async () => {
    await ask('hej');
    const res = await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, 'topic.show', {
        suggestedTopicId: 'felrapport-hamtning',
        questionId: 'q-1',
      }),
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(textOf(res.body.value), /Du valde/);
    const answer = connector.sent[connector.sent.length - 1].activity;
    assert.equal(findAll(answer, 'topicId')[0], 'felrapport-hamtning');
  });

  it('says plainly when nothing fits, with the way to support from the routine', async () => {
    await ask('hej');
    const replies = await ask('vad blir det för middag på fredag');
    assert.deepEqual(findAll(replies, 'topicId'), []);
    const text = textOf(replies);
    assert.match(text, /info\.hmc@vgregion\.se/);
    assert.match(text, /010-473 80 80/);
    assert.match(text, /knappval 4/);
  });

  it('welcomes a new user on install with examples, and on first contact', async () => {
    const install = teamsActivity(connector.serviceUrl, {
      type: 'conversationUpdate',
      user: 'new-user',
      extra: { membersAdded: [{ id: '28:bot-id' }] },
    });
    const res = await postActivity(bot.url, install);
    assert.equal(res.status, 200);
    const welcome = connector.to('a:personal-new-user')[0].activity;
    assert.match(textOf(welcome), /webSesam-hjälpen/);
    assert.ok(findAll(welcome, 'value').length >= 3, 'three example questions');

    const first = await ask('hur loggar jag in', 'another-user');
    assert.equal(first.length, 2);
    assert.match(textOf(first[0]), /Hej! Jag är webSesam-hjälpen/);
    assert.equal(findAll(first[1], 'topicId')[0], 'inloggning');
  });

  it('a first "hej" gets the welcome once, not twice', async () => {
    const replies = await ask('hej', 'greeter');
    assert.equal(replies.length, 1);
    assert.match(textOf(replies[0]), /Hej! Jag är webSesam-hjälpen/);
  });

  it('hjälp and meny show the topic areas as buttons, and an area its topics', async () => {
    await ask('hej');
    for (const word of ['hjälp', 'Meny']) {
      const card = lastCard(await ask(word));
      const categories = findAll(card, 'category');
      assert.ok(categories.length >= 5, `${word}: ${categories}`);
    }
    const res = await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, 'help.category', { category: 'Felrapport' }),
    );
    assert.equal(res.status, 200);
    const topics = findAll(connector.sent[connector.sent.length - 1].activity, 'suggestedTopicId');
    assert.ok(topics.includes('felrapport-leverans'), JSON.stringify(topics));
  });

  it('records 👍/👎 and replaces the buttons with a thank-you', async () => {
    const res = await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, 'feedback.give', {
        topicId: 'retur',
        helpful: false,
        questionId: 'q-9',
      }),
    );
    assert.equal(res.status, 200);
    assert.match(textOf(res.body.value), /Tack för ditt svar/);
    assert.deepEqual(
      findAll(res.body.value, 'verb').filter((v) => v === 'feedback.give'),
      [],
    );
    await bot.stop();
    const log = await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8');
    assert.match(log, /"kind":"feedback".*"topicId":"retur".*"helpful":false/);
    bot = await startBot(testConfig({ DATA_DIR: dataDir }));
  });

  it('masks personnummer before storing, and never echoes one back', async () => {
    await ask('bestalla rullator till 19121212-1212');
    await ask('visa hjälpmedel för 191212121212 och 121212-1212');
    await bot.stop();
    const stored = await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8');
    assert.match(stored, /\[personnummer\]/);
    assert.doesNotMatch(stored, /121212-?1212/);
    assert.doesNotMatch(JSON.stringify(connector.sent), /121212-?1212/);
    bot = await startBot(testConfig({ DATA_DIR: dataDir }));
  });
});
