import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import {
  cardAction,
  findAll,
  personalMessage,
  postActivity,
  teamsActivity,
  textOf,
} from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';

describe('bad input to the bot', () => {
  let connector: FakeConnector;
  let bot: RunningApp;

  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(testConfig({ DATA_DIR: await tempDir() }));
    await postActivity(bot.url, personalMessage(connector.serviceUrl, 'hej')); // past the welcome
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  const replyTo = async (activity: unknown) => {
    const before = connector.sent.length;
    const res = await postActivity(bot.url, activity);
    return { res, replies: connector.sent.slice(before).map((s) => s.activity) };
  };

  it('a body that is not JSON gets 400', async () => {
    const res = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message",',
    });
    assert.equal(res.status, 400);
  });

  it('an activity without conversation, sender or serviceUrl gets 400 and no turn', async () => {
    for (const broken of [
      { type: 'message' },
      { ...teamsActivity(connector.serviceUrl), conversation: undefined },
      { ...teamsActivity(connector.serviceUrl), serviceUrl: 'inte en url' },
      { ...teamsActivity(connector.serviceUrl), from: { id: 42 } },
      [],
      'text',
      null,
    ]) {
      const { res, replies } = await replyTo(broken);
      assert.equal(res.status, 400, JSON.stringify(broken));
      assert.equal(replies.length, 0);
    }
  });

  it('empty text, only emoji, or only filler gets a friendly nudge in Swedish', async () => {
    for (const text of ['', '   ', '👍😀🎉', '???', 'hmm ok']) {
      const { res, replies } = await replyTo(personalMessage(connector.serviceUrl, text));
      assert.equal(res.status, 200, text);
      assert.equal(replies.length, 1, text);
      assert.deepEqual(findAll(replies, 'topicId'), [], text);
      assert.match(textOf(replies) + (replies[0].text ?? ''), /fråga|svara|supporten/i, text);
    }
  });

  it('a 10 kB question gets a clear message, not a crash', async () => {
    const { res, replies } = await replyTo(
      personalMessage(connector.serviceUrl, 'hämtorder '.repeat(1000)),
    );
    assert.equal(res.status, 200);
    assert.match(replies[0].text, /för lång/);
  });

  it('markup and HTML in the text are never rendered back as card markup', async () => {
    const evil =
      '<script>alert(1)</script> [klicka](http://evil.example) **fet** ${topicId} hämtorder';
    const { res, replies } = await replyTo(personalMessage(connector.serviceUrl, evil));
    assert.equal(res.status, 200);
    const json = JSON.stringify(replies);
    assert.doesNotMatch(json, /evil\.example|<script>|alert\(1\)/);
  });

  it('unknown activity types are acknowledged and ignored', async () => {
    for (const type of ['typing', 'event', 'messageReaction', 'whatever']) {
      const { res, replies } = await replyTo(teamsActivity(connector.serviceUrl, { type }));
      assert.ok(res.status >= 200 && res.status < 300, `${type}: ${res.status}`);
      assert.equal(replies.length, 0, type);
    }
  });

  it('a click with a forged topicId or verb changes nothing and says so in Swedish', async () => {
    for (const [verb, data] of [
      ['feedback.give', { topicId: '../../etc/passwd', helpful: true }],
      ['feedback.give', { topicId: 'retur', helpful: 'yes' }],
      ['topic.show', { suggestedTopicId: 'finns-inte' }],
      ['no.such.verb', {}],
    ] as const) {
      const { res, replies } = await replyTo(
        cardAction(connector.serviceUrl, verb, data as Record<string, unknown>),
      );
      assert.equal(res.status, 200, verb);
      assert.match(
        replies.map((r) => r.text).join(' '),
        /fungerar inte längre|finns inte längre/,
        verb,
      );
    }
  });

  it('an invoke that is not an Action.Execute gets 400', async () => {
    const bad = teamsActivity(connector.serviceUrl, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Submit' } },
    });
    const { res } = await replyTo(bad);
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
  });
});
