import assert from 'node:assert/strict';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { channelCard, ticketFlow, ticketIdOf, versionOf } from './ticket-flow.js';

describe('bad input to tickets, and the Kronoberg chain', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );
  const start = async (extra: Record<string, string> = {}) => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SUPPORT_STAFF_IDS: 'aad-staff-1',
        RATE_LIMIT_BURST: '500',
        ...extra,
      }),
      {
        now: () => new Date('2025-01-15T08:30:00Z'),
      },
    );
    await flow.inChannel('staff-1', 'registrera supportkanal');
    await flow.say('user-1', 'hej');
  };
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('refuses forged ids, other tenants, huge texts and actions on resolved tickets, changing nothing', async () => {
    await start();
    // Huge texts: the form comes back with the problem, nothing is opened.
    const huge = await flow.click('user-1', 'ticket.review', {
      draftId: 'draft-huge-0001',
      description: 'x'.repeat(50_000),
      urgency: 'normal',
    });
    assert.match(textOf(huge.body.value), /Vad som hände är för lång \(högst 2000 tecken\)/);
    const forgedUrgency = await flow.click('user-1', 'ticket.submit', {
      draftId: 'draft-bad-00001',
      description: 'hej',
      urgency: 'jättebråttom',
    });
    assert.match(textOf(forgedUrgency.body.value), /Välj hur brådskande det är/);

    await flow.openTicket('user-1', 'skapa ärende', { description: 'Ordern försvann' });
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    const ticketId = ticketIdOf(channelCard(connector));

    for (const forged of ['nope', '__proto__', 'constructor', 'x'.repeat(10_000), 17, null]) {
      const body = await flow.staffClick('staff-1', 'ticket.take', {
        ticketId: forged,
        version: 1,
      });
      assert.equal(body.value, 'Jag hittar inget sådant ärende.', String(forged).slice(0, 20));
    }
    const otherTenant = await flow.staffClick(
      'staff-1',
      'ticket.take',
      { ticketId, version: 1 },
      'tenant-evil',
    );
    assert.match(String(otherTenant.value), /annan organisation/);
    const otherUser = await flow.click('user-2', 'ticket.show', { ticketId });
    assert.match(String(otherUser.body.value), /Jag hittar inget sådant ärende/);
    const bigAnswer = await flow.staffClick('staff-1', 'ticket.answer', {
      ticketId,
      version: 1,
      answerText: 'y'.repeat(100_000),
    });
    assert.match(String(bigAnswer.value), /Texten är för lång \(högst 4000 tecken\)/);
    assert.equal(versionOf(channelCard(connector)), 1, 'nothing changed');

    const resolved = await flow.staffClick('staff-1', 'ticket.resolve', {
      ticketId,
      version: 1,
      solution: 'Klart',
    });
    for (const verb of ['ticket.take', 'ticket.answer', 'ticket.escalate', 'ticket.resolve']) {
      const body = await flow.staffClick('staff-1', verb, {
        ticketId,
        version: versionOf(resolved.value),
        answerText: 'a',
        escalateReason: 'b',
        solution: 'c',
      });
      assert.match(String(body.value), /redan löst eller avslutat/, verb);
    }
    // Double click on Lös with the old version: the current card back, nothing twice.
    const twice = await flow.staffClick('staff-1', 'ticket.resolve', {
      ticketId,
      version: 1,
      solution: 'Klart',
    });
    assert.equal(versionOf(twice.value), versionOf(resolved.value));
    assert.ok(findAll(twice.value, 'verb').includes('ticket.reopen'));
  });

  it('loads Region Kronoberg’s chain from config and climbs it to the vendor', async () => {
    await start({ TICKET_CHAIN: path.join(PROJECT_ROOT, 'config/chains/region-kronoberg.json') });
    await flow.openTicket('user-1', 'skapa ärende', { description: 'Avtalet syns inte' });
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    let card = channelCard(connector);
    assert.match(textOf(card), /Nivå 1: Expertanvändare/);
    const ticketId = ticketIdOf(card);
    for (const level of [
      'Nivå 2: Nationell kundservice \\\\\\(NKS\\\\\\)',
      'Nivå 3: VGR, 2:a linjen',
      'Nivå 4: Leverantör',
    ]) {
      const body = await flow.staffClick('staff-1', 'ticket.escalate', {
        ticketId,
        version: versionOf(card),
        escalateReason: 'vidare',
      });
      card = body.value;
      assert.match(textOf(card), new RegExp(level));
    }
    const user = () =>
      connector
        .to('a:personal-user-1')
        .map((s) => textOf(s.activity))
        .join('\n');
    assert.ok(await connector.waitFor(() => /Visuera/.test(user())), user());
    assert.match(user(), /Svar går alltid tillbaka samma väg i kedjan/);
  });
});
