import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { channelCard, SUPPORT_CHANNEL, ticketFlow, ticketIdOf, versionOf } from './ticket-flow.js';

// Wednesday 15 January 2025, 09:30 in Stockholm: support is open.
const OPEN_HOURS_NOW = new Date('2025-01-15T08:30:00Z');

describe('a ticket from "I don\'t know" to solved and reopened, through HTTP', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let now = OPEN_HOURS_NOW;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );
  const userChat = 'a:personal-user-1';
  const toUser = () =>
    connector
      .to(userChat)
      .map((s) => textOf(s.activity))
      .join('\n');
  const puts = () => connector.sent.filter((s) => s.method === 'PUT').length;

  beforeEach(async () => {
    now = OPEN_HOURS_NOW;
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), SUPPORT_STAFF_IDS: 'aad-staff-1,aad-staff-2' }),
      { now: () => now },
    );
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.say('user-1', 'hej');
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('runs the whole lifecycle: form, confirmation, channel card, take, nivå 2, nivå 3, resolve, Nej reopens', async () => {
    assert.match(
      textOf(connector.to(SUPPORT_CHANNEL).map((s) => s.activity)),
      /Nya webSesam-ärenden läggs i den här kanalen/,
    );

    const { confirmation, formCard, summary } = await flow.openTicket(
      'user-1',
      'vad blir det för middag på fredag',
      {
        description: 'Kan inte se ordern för patient 19121212-1212',
        reference: 'Order 4711',
        urgency: 'urgent',
      },
    );
    assert.equal(
      findAll(formCard, 'value')[0],
      'vad blir det för middag på fredag',
      'the form is pre-filled with the question',
    );
    assert.match(textOf(summary), /Stämmer det här\?/);
    assert.match(textOf(confirmation), /Tack! Ditt ärende har nummer 1/);
    assert.doesNotMatch(textOf(confirmation), /stängt/, 'support is open now');

    // The card in the support channel, as a new thread.
    assert.ok(
      await connector.waitFor(() => connector.created.length === 1),
      'a thread was started',
    );
    const created = connector.created[0];
    assert.equal(created.params.channelData.channel.id, SUPPORT_CHANNEL);
    let card = channelCard(connector);
    const facts = Object.fromEntries(
      (findAll(card, 'facts')[0] as { title: string; value: string }[]).map((f) => [
        f.title,
        f.value,
      ]),
    );
    assert.deepEqual(facts, {
      Status: 'Öppet',
      Nivå: 'Nivå 1: HMC support',
      Kategori: 'Inget ämne',
      Användare: 'Anna Andersson',
      Brådskande: 'Akut: jag kan inte arbeta',
      Skapat: '2025-01-15 09:30',
      'Patient/order': 'Order 4711',
    });
    const text = textOf(card);
    assert.match(text, /Ärende 1/);
    assert.match(text, /Kan inte se ordern för patient \\\[personnummer\\\]/);
    assert.match(text, /Inget svar: boten hittade inget i webSesam-guiden/);
    assert.match(text, /2025-01-15 09:30 Anna Andersson: Skapade ärendet/);
    for (const title of ['Ta ärendet', 'Svara användaren', 'Eskalera', 'Lös'])
      assert.ok(findAll(card, 'title').includes(title), title);
    assert.doesNotMatch(JSON.stringify(connector.sent), /121212-?1212/);
    const ticketId = ticketIdOf(card);

    // Someone who is not staff clicks: refused, nothing changes.
    const refused = await flow.staffClick('intruder', 'ticket.take', { ticketId, version: 1 });
    assert.match(String(refused.value), /Bara webSesam-supporten/);

    // Take.
    now = new Date('2025-01-15T08:40:00Z');
    const taken = await flow.staffClick('staff-1', 'ticket.take', {
      ticketId,
      version: versionOf(card),
    });
    assert.equal(taken.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(textOf(taken.value), /Handläggs/);
    assert.ok(await connector.waitFor(() => /har tagit ditt ärende 1/.test(toUser())), toUser());
    assert.ok(
      await connector.waitFor(() => /Handläggs/.test(textOf(channelCard(connector)))),
      'the channel card is updated in place',
    );
    assert.equal(connector.created.length, 1);

    // A double click on the old card: the current card back, nothing done twice.
    const putsBefore = puts();
    const again = await flow.staffClick('staff-1', 'ticket.take', { ticketId, version: 1 });
    assert.match(textOf(again.value), /Handläggs/);
    assert.equal(versionOf(again.value), 2);

    // Escalate to nivå 2, then nivå 3.
    card = taken.value;
    const level2 = await flow.staffClick('staff-1', 'ticket.escalate', {
      ticketId,
      version: versionOf(card),
      escalateReason: 'Behöver funktionskoordinatorn',
    });
    assert.match(textOf(level2.value), /Nivå 2: Funktionskoordinator/);
    assert.ok(
      await connector.waitFor(() => /funktionskoordinatorn, som tar hand om frågor/.test(toUser())),
      toUser(),
    );
    const level3 = await flow.staffClick('staff-2', 'ticket.escalate', {
      ticketId,
      version: versionOf(level2.value),
      escalateReason: 'Fel hos leverantören',
    });
    assert.match(textOf(level3.value), /Nivå 3: Leverantör \/ VGR IT \/ Inera/);
    assert.ok(!findAll(level3.value, 'verb').includes('ticket.escalate'), 'no level above nivå 3');
    assert.ok(await connector.waitFor(() => /VGR IT eller Inera/.test(toUser())), toUser());

    // Answer the user, then resolve.
    const answered = await flow.staffClick('staff-1', 'ticket.answer', {
      ticketId,
      version: versionOf(level3.value),
      answerText: 'Leverantören tittar på det.',
    });
    assert.ok(
      await connector.waitFor(() => /Leverantören tittar på det\./.test(toUser())),
      toUser(),
    );
    const resolved = await flow.staffClick('staff-1', 'ticket.resolve', {
      ticketId,
      version: versionOf(answered.value),
      solution: 'Ordern syns nu igen.',
    });
    assert.match(textOf(resolved.value), /Löst, väntar på användarens svar/);
    assert.ok(findAll(resolved.value, 'verb').includes('ticket.reopen'));
    assert.ok(await connector.waitFor(() => /Löste det ditt problem\?/.test(toUser())), toUser());
    const solvedCard = connector
      .to(userChat)
      .map((s) => s.activity)
      .find((a) => /Löste det ditt problem/.test(textOf(a)))!;
    assert.match(textOf(solvedCard), /Ordern syns nu igen\\\./);

    // The user answers Nej: reopened, told, and the channel hears it.
    const no = (findAll(solvedCard, 'data') as Record<string, unknown>[]).find(
      (d) => d.solved === false,
    )!;
    const answer = await flow.click('user-1', 'ticket.feedback', no);
    assert.match(textOf(answer.body.value), /Ärendet är öppnat igen/);
    assert.ok(
      await connector.waitFor(() =>
        /svarade att lösningen inte hjälpte/.test(
          textOf(connector.to(connector.created[0].id).map((s) => s.activity)),
        ),
      ),
    );
    assert.ok(await connector.waitFor(() => /Återöppnat/.test(textOf(channelCard(connector)))));
    // Nej twice: stale, nothing twice.
    const twice = await flow.click('user-1', 'ticket.feedback', no);
    assert.match(textOf(twice.body.value), /Ärendet har ändrats sedan kortet visades/);
    assert.ok(putsBefore < puts());

    // "mina ärenden" lists it with its status, and opens its card.
    const list = await flow.say('user-1', 'mina ärenden');
    assert.match(textOf(list), /Ärende 1: Återöppnat/);
    const shown = await flow.click('user-1', 'ticket.show', { ticketId });
    assert.match(JSON.stringify(shown.sent), /Order 4711/);
  });

  it('opens from 👎 on an answer and from words; outside support hours it says when support opens', async () => {
    now = new Date('2025-06-06T09:00:00Z'); // nationaldagen, a Friday
    const feedback = await flow.click('user-1', 'feedback.give', {
      topicId: 'hamtorder',
      helpful: false,
      questionId: 'q-1',
    });
    assert.ok(
      findAll(feedback.body.value, 'verb').includes('ticket.start'),
      'the 👎 card offers a ticket',
    );
    const words = await flow.say('user-1', 'jag vill prata med nagon');
    assert.match(textOf(words), /Skapa ärende till webSesam-supporten/);
    const { confirmation } = await flow.openTicket('user-1', 'skapa ärende', {
      description: 'Hämtordern gick inte att spara',
    });
    assert.match(textOf(confirmation), /öppnar igen måndag 9 juni kl\. 08\.00/);
    // Asked for in words: the card says so, and no category says the bot found nothing.
    assert.ok(await connector.waitFor(() => connector.created.length === 1), 'a thread');
    const card = channelCard(connector);
    assert.match(textOf(card), /Ingen fråga till boten: användaren bad om ett ärende/);
    assert.doesNotMatch(JSON.stringify(card), /hittade inget/);
    // The contact question still reaches the knowledge base.
    const contact = await flow.say('user-1', 'telefonnummer till supporten');
    assert.equal(findAll(contact, 'topicId')[0], 'kontakt-support');
  });
});
