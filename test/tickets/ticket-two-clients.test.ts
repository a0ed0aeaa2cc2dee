import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import {
  cardAction,
  cardsOf,
  findAll,
  postActivity,
  teamsActivity,
  textOf,
} from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';

/**
 * npm run playground opens two local Teams clients, each with its own mock connector: a prescriber
 * in one, support staff in the other. The bot must answer each person on their own connector.
 */
describe('two people on two local Teams clients (npm run playground)', () => {
  let prescriberClient: FakeConnector;
  let supportClient: FakeConnector;
  let bot: RunningApp;
  const CHANNEL = 'channel-support-id';

  beforeEach(async () => {
    prescriberClient = await startFakeConnector();
    supportClient = await startFakeConnector();
    bot = await startBot(testConfig({ DATA_DIR: await tempDir(), SUPPORT_STAFF_IDS: 'aad-sara' }), {
      now: () => new Date('2025-01-15T08:30:00Z'),
    });
  });
  afterEach(async () => {
    await bot.stop();
    await prescriberClient.stop();
    await supportClient.stop();
  });

  const anna = (o: Parameters<typeof teamsActivity>[1]) =>
    teamsActivity(prescriberClient.serviceUrl, {
      user: 'anna',
      userName: 'Anna Förskrivare',
      ...o,
    });
  const sara = (o: Parameters<typeof teamsActivity>[1]) =>
    teamsActivity(supportClient.serviceUrl, {
      user: 'sara',
      userName: 'Sara Support',
      conversationType: 'channel',
      conversationId: CHANNEL,
      teamId: 'team-websesam-support',
      ...o,
    });

  it("a ticket Anna opens lands in Sara's channel; Sara's answer lands in Anna's chat", async () => {
    await postActivity(
      bot.url,
      sara({ text: '<at>webSesam-hjälpen</at> registrera supportkanal' }),
    );
    await postActivity(bot.url, anna({ text: 'skapa ärende' }));
    const form = cardsOf(prescriberClient.sent.at(-1)!.activity)[0];
    const review = await postActivity(
      bot.url,
      anna({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'ticket.review',
            data: {
              ...(findAll(form, 'data')[0] as object),
              description: 'Ordern syns inte',
              urgency: 'normal',
            },
          },
        },
      }),
    );
    const submit = (review.body.value.actions as any[]).find((a) => a.verb === 'ticket.submit');
    await postActivity(
      bot.url,
      cardAction(prescriberClient.serviceUrl, 'ticket.submit', submit.data, { user: 'anna' }),
    );

    assert.ok(
      await supportClient.waitFor(() => supportClient.created.length === 1),
      "thread on Sara's client",
    );
    assert.equal(prescriberClient.created.length, 0);
    const card = cardsOf(supportClient.created[0].params.activity)[0];
    const ticketId = findAll(card, 'ticketId')[0];
    const version = findAll(card, 'version').find((v) => typeof v === 'number');
    const answered = await postActivity(
      bot.url,
      sara({
        conversationId: `${supportClient.created[0].id}`,
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'ticket.answer',
            data: { ticketId, version, answerText: 'Prova att logga in igen.' },
          },
        },
      }),
    );
    assert.equal(answered.status, 200);
    assert.ok(
      await prescriberClient.waitFor(() =>
        /Prova att logga in igen/.test(textOf(prescriberClient.sent.map((s) => s.activity))),
      ),
      'the answer reaches Anna on her own client',
    );
    assert.doesNotMatch(textOf(supportClient.sent.map((s) => s.activity)), /Svar på ditt ärende/);
  });
});
