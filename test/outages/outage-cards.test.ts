import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/outbox/clock.js';
import { cardTime } from '../../src/outages/notice.js';
import { openRecipients } from '../../src/storage/lowdb/recipients.js';
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

const FAST = {
  OUTBOX_APP_LIMITS: '1000/1',
  OUTBOX_APP_BURST: '1000',
  OUTBOX_CONVERSATION_LIMITS: '1000/1',
  OUTBOX_CONVERSATION_BURST: '1000',
};
const STAFF_CHAT = 'a:personal-staff';

describe("outage cards: the sent preview, the report's zeros, dates and times whatever the locale", () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let clock: ManualClock;

  beforeEach(async () => {
    connector = await startFakeConnector();
    const dataDir = await tempDir();
    // Wednesday 15 January 2025, 09:00 in Sweden.
    clock = createManualClock(Date.UTC(2025, 0, 15, 8, 0));
    const repo = await openRecipients(dataDir);
    for (const u of ['u1', 'u2'])
      await repo.upsert({
        id: `user:aad-${u}`,
        kind: 'user',
        name: u,
        tenantId: 'tenant-1',
        reference: {
          serviceUrl: connector.serviceUrl,
          channelId: 'msteams',
          bot: { id: '28:bot-id' },
          user: { id: `29:${u}` },
          conversation: {
            id: `a:personal-${u}`,
            conversationType: 'personal',
            tenantId: 'tenant-1',
          },
        },
        firstSeenAt: new Date().toISOString(),
      });
    bot = await startBot(
      testConfig({ DATA_DIR: dataDir, SUPPORT_STAFF_IDS: 'aad-staff', ...FAST }),
      { clock, now: () => new Date(clock.now()) },
    );
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  async function click(verb: string, data: Record<string, unknown>, user = 'staff') {
    const res = await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, verb, data, { user, conversationId: `a:personal-${user}` }),
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  async function newDraftId() {
    const res = await postActivity(
      bot.url,
      teamsActivity(connector.serviceUrl, { user: 'staff', text: 'nytt driftmeddelande' }),
    );
    assert.equal(res.status, 200);
    const form = cardsOf(connector.to(STAFF_CHAT).at(-1)!.activity)[0];
    return findAll(form, 'draftId')[0] as string;
  }

  const unplanned = {
    kind: 'unplanned',
    affected: 'alla',
    startDate: '2025-01-15',
    startTime: '08:30',
    endDate: '',
    endTime: '',
    message: 'webSesam svarar inte.',
    showSelfHelp: 'false',
  };

  const facts = (card: unknown) =>
    Object.fromEntries(
      (findAll(card, 'facts')[0] as { title: string; value: unknown }[]).map((f) => [
        f.title,
        f.value,
      ]),
    );

  it('turns the preview into its sent state; a repeated or forged Skicka changes nothing and says so', async () => {
    const draftId = await newDraftId();
    const preview = await click('outage.preview', { draftId, ...unplanned });
    const send = (preview.value.actions as any[]).find((a) => a.verb === 'outage.send');
    const sent = await click('outage.send', send.data);
    assert.equal(sent.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(textOf(sent.value), /Skickat/);
    assert.match(textOf(sent.value), /skickas nu till 3 mottagare/);
    assert.deepEqual(findAll(sent.value, 'verb'), [], 'no Skicka, no Ändra');
    assert.ok(await connector.waitFor(() => connector.to('a:personal-u2').length === 1));
    const toUsers = () =>
      connector.sent.filter((s) => /^a:personal-u/.test(s.conversationId)).length;
    const before = toUsers();

    // Skicka again on the old preview, and a forged one with another message under the same id.
    const again = await click('outage.send', send.data);
    const forged = await click('outage.send', {
      ...send.data,
      message: 'Allt är nere, ring alla!',
    });
    for (const body of [again, forged]) {
      assert.equal(body.type, 'application/vnd.microsoft.card.adaptive');
      assert.match(textOf(body.value), /redan skickat\. Inget skickades igen/);
      assert.match(
        textOf(body.value),
        /webSesam svarar inte\./,
        'the stored notice, not the forged text',
      );
      assert.doesNotMatch(textOf(body.value), /ring alla/);
      assert.deepEqual(findAll(body.value, 'verb'), []);
    }
    // Even a day later, when its start is long past, a repeat is "already sent", not a form error.
    clock.advance(24 * 3600_000);
    assert.match(textOf((await click('outage.send', send.data)).value), /redan skickat/);
    // Someone who is not staff gets a refusal, never the card.
    const intruder = await click('outage.send', send.data, 'intruder');
    assert.equal(intruder.type, 'application/vnd.microsoft.activity.message');
    assert.match(intruder.value, /Bara webSesam-supporten/);
    await connector.waitFor(() => false, 200);
    assert.equal(toUsers(), before, 'nobody got the notice twice');
  });

  it('shows 0, not blank, for waiting, failed and unreachable in the delivery report', async () => {
    const draftId = await newDraftId();
    const preview = await click('outage.preview', { draftId, ...unplanned });
    const send = (preview.value.actions as any[]).find((a) => a.verb === 'outage.send');
    await click('outage.send', send.data);
    const reportCard = () =>
      cardsOf(
        [...connector.to(STAFF_CHAT)]
          .reverse()
          .find((s) => /Leveransrapport/.test(textOf(s.activity)))!.activity,
      )[0];
    assert.ok(await connector.waitFor(() => connector.to('a:personal-u2').length === 1));
    // The report is brought up to date on the next tick.
    for (let i = 0; i < 20 && facts(reportCard())['Skickade'] !== '3 av 3'; i++) {
      clock.advance(10_000);
      await connector.waitFor(() => facts(reportCard())['Skickade'] === '3 av 3', 100);
    }
    const f = facts(reportCard());
    assert.equal(f['Skickade'], '3 av 3');
    assert.equal(f['Väntar'], '0');
    assert.equal(f['Misslyckade'], '0');
    assert.equal(f['Nås inte längre'], '0');
    for (const v of Object.values(f))
      assert.equal(typeof v, 'string', 'FactSet values are strings');
    // Without a placeholder the client shows its own English "Select a date...".
    const inputs: Array<{ type: string; placeholder?: string }> = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as { type?: unknown; placeholder?: string };
        if (o.type === 'Input.Date' || o.type === 'Input.Time') inputs.push(o as never);
        Object.values(n).forEach(walk);
      }
    };
    walk(reportCard());
    assert.deepEqual(
      inputs.map((i) => [i.type, i.placeholder]),
      [
        ['Input.Date', 'åååå-mm-dd'],
        ['Input.Time', 'tt:mm'],
      ],
    );
  });

  it("reads the pickers' values right whatever the client shows, and shows them the Swedish way", async () => {
    const planned = {
      kind: 'planned',
      affected: 'bestallning',
      message: 'Beställning stängs för uppgradering.',
      showSelfHelp: 'false',
    };
    // What Input.Date/Input.Time send (YYYY-MM-DD, HH:mm), and what people type into Teams' time field.
    for (const [startTime, endTime] of [
      ['22:30', '23:45'],
      ['10:30 PM', '11:45 PM'],
      ['22.30', '23.45'],
      ['22:30:00', '23:45:00'],
    ]) {
      const draftId = await newDraftId();
      const preview = await click('outage.preview', {
        draftId,
        ...planned,
        startDate: '2026-12-01',
        startTime,
        endDate: '2026-12-01T00:00:00Z',
        endTime,
      });
      assert.equal(
        preview.type,
        'application/vnd.microsoft.card.adaptive',
        JSON.stringify(preview),
      );
      const shown = JSON.stringify(preview.value);
      assert.match(
        shown,
        /1 december kl\. 22:30 – 1 december kl\. 23:45/,
        `${startTime}: ${shown}`,
      );
      const send = (preview.value.actions as any[]).find((a) => a.verb === 'outage.send');
      assert.ok(send, textOf(preview.value));
      assert.deepEqual(
        [send.data.startDate, send.data.startTime, send.data.endDate, send.data.endTime],
        ['2026-12-01', '22:30', '2026-12-01', '23:45'],
        "the preview carries the values in the pickers' own format",
      );
    }
    // Nonsense is refused on the form, with the reason.
    const draftId = await newDraftId();
    const bad = await click('outage.preview', {
      draftId,
      ...planned,
      startDate: '1 december 2026',
      startTime: '25:00',
      endDate: '2026-12-01',
      endTime: '13:00 PM',
    });
    assert.match(textOf(bad.value), /Ange start med datum och tid/);
    assert.match(textOf(bad.value), /Slutet är inte ett giltigt datum/);
  });

  it('reads 12-hour and typed times into 24-hour time', () => {
    const cases: [string, string | undefined][] = [
      ['08:05', '08:05'],
      ['8:05', '08:05'],
      ['12:00 AM', '00:00'],
      ['12:30 pm', '12:30'],
      ['1:15 p.m.', '13:15'],
      ['10.30 em', '22:30'],
      ['10.30 fm', '10:30'],
      ['23:59:59', '23:59'],
      ['24:00', undefined],
      ['13:00 PM', undefined],
      ['7', undefined],
      ['', undefined],
    ];
    for (const [input, expected] of cases) assert.equal(cardTime(input), expected, input);
  });
});
