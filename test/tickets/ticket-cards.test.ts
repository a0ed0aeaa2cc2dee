import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { channelCard, ticketFlow, ticketIdOf, versionOf } from './ticket-flow.js';

// Wednesday 15 January 2025, 09:30 in Stockholm: support is open.
const NOW = new Date('2025-01-15T08:30:00Z');

/** What Teams can render from an Action.Execute: a card in place, or a message string under it. */
function assertRenderable(body: any, what: string) {
  if (body?.type === 'application/vnd.microsoft.card.adaptive') {
    assert.equal(body.value?.type, 'AdaptiveCard', what);
    return;
  }
  assert.equal(
    body?.type,
    'application/vnd.microsoft.activity.message',
    `${what}: ${JSON.stringify(body)}`,
  );
  assert.equal(typeof body.value, 'string', what);
  assert.ok(body.value.trim().length > 0, `${what}: an empty message leaves Teams' bar blank`);
}

describe('ticket cards: every click answered with something Teams renders, "Ta ärendet" gone once taken', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );

  beforeEach(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), SUPPORT_STAFF_IDS: 'aad-staff-1,aad-staff-2' }),
      { now: () => NOW },
    );
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('answers every Action.Execute with a card or a non-empty message', async () => {
    await flow.say('user-1', 'hej');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    const list = await flow.say('user-1', 'mina ärenden');
    const ticketId = findAll(list, 'ticketId')[0] as string;
    const clicks: [string, Record<string, unknown>][] = [
      ['ticket.show', { ticketId }], // "Visa ärende" from mina ärenden
      ['help.show', {}],
      ['help.category', { category: 'Hämtorder och retur' }],
      ['help.category', { category: 'finns inte' }],
      ['topic.show', { suggestedTopicId: 'hamtorder' }], // a menu click, no question behind it
      ['topic.none', { questionId: 'q-x' }],
      ['ticket.start', {}],
      ['ticket.show', { ticketId: 'finns-inte' }],
      ['feedback.give', { topicId: 'finns-inte', helpful: true }],
      ['outage.form', {}],
      ['outage.send', { draftId: 'abcdefgh-1234' }],
      ['nope.nope', {}],
      ['ticket.take', { ticketId, version: 1 }],
    ];
    for (const [verb, data] of clicks) {
      const { body } = await flow.click('user-1', verb, data);
      assertRenderable(body, verb);
    }
    const shown = await flow.click('user-1', 'ticket.show', { ticketId });
    assert.equal(shown.body.value, 'Se svaret i chatten.');
    assert.match(textOf(shown.sent), /Ärende 1/, 'the ticket card is the reply in the chat');
  });

  it('hides "Ta ärendet" from the one who took it; others are offered "Ta över ärendet"', async () => {
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.say('user-1', 'hej');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    const card = channelCard(connector);
    const ticketId = ticketIdOf(card);
    assert.ok(findAll(card, 'verb').includes('ticket.take'), 'open: "Ta ärendet" for all');
    assert.ok(findAll(card, 'title').includes('Ta ärendet'));

    const taken = await flow.staffClick('staff-1', 'ticket.take', {
      ticketId,
      version: versionOf(card),
    });
    assert.ok(!findAll(taken.value, 'verb').includes('ticket.take'), 'the taker: no take button');
    assert.ok(
      await connector.waitFor(() => /Handläggs/.test(textOf(channelCard(connector)))),
      'the channel card is updated',
    );
    const shared = channelCard(connector);
    assert.ok(!findAll(shared, 'verb').includes('ticket.take'), 'the card everyone sees: none');
    assert.equal(findAll(shared, 'verb')[0], 'ticket.refresh', 'Teams refreshes it per viewer');

    // Teams refreshes the card for each viewer: the taker, another staff member, an outsider.
    const mine = await flow.staffClick('staff-1', 'ticket.refresh', { ticketId });
    assertRenderable(mine, 'refresh');
    assert.ok(!findAll(mine.value, 'verb').includes('ticket.take'));
    const other = await flow.staffClick('staff-2', 'ticket.refresh', { ticketId });
    assert.ok(findAll(other.value, 'title').includes('Ta över ärendet'));
    const outsider = await flow.staffClick('intruder', 'ticket.refresh', { ticketId });
    assertRenderable(outsider, 'refresh by a non-staff member');
    assert.doesNotMatch(JSON.stringify(outsider.value), /middag/, 'no ticket to non-staff');

    // Another staff member takes it over from the refreshed card.
    const over = await flow.staffClick('staff-2', 'ticket.take', {
      ticketId,
      version: versionOf(other.value),
    });
    assert.match(textOf(over.value), /Erik Koordinator/);
    assert.ok(!findAll(over.value, 'verb').includes('ticket.take'));
  });

  it('says "1 ärende som väntade" in the singular when a channel is registered late', async () => {
    await flow.say('user-1', 'hej');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    const said = textOf(connector.sent.map((s) => s.activity));
    assert.match(said, /1 ärende som väntade på en supportkanal läggs in nu\./);
    assert.doesNotMatch(said, /1 ärenden/);
  });

  it('shows dates and times the Swedish way on ticket cards', async () => {
    await flow.say('user-1', 'hej');
    const { confirmation } = await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.match(textOf(confirmation), /2025-01-15 09:30/);
  });
});
