import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/outbox/clock.js';
import { openRecipients } from '../../src/storage/lowdb/recipients.js';
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

const FAST = {
  OUTBOX_APP_LIMITS: '1000/1',
  OUTBOX_APP_BURST: '1000',
  OUTBOX_CONVERSATION_LIMITS: '1000/1',
  OUTBOX_CONVERSATION_BURST: '1000',
};
const SUPPORT = '19:support@thread.tacv2';
const ANNOUNCE = '19:announce@thread.tacv2';
const USERS = ['u1', 'u2', 'u3'];

async function seedUsers(dataDir: string, serviceUrl: string, users: string[]) {
  const repo = await openRecipients(dataDir);
  for (const u of users)
    await repo.upsert({
      id: `user:aad-${u}`,
      kind: 'user',
      name: u,
      tenantId: 'tenant-1',
      reference: {
        serviceUrl,
        channelId: 'msteams',
        bot: { id: '28:bot-id' },
        user: { id: `29:${u}` },
        conversation: { id: `a:personal-${u}`, conversationType: 'personal', tenantId: 'tenant-1' },
      },
      firstSeenAt: new Date().toISOString(),
    });
}

describe('outage notices', () => {
  let connector: FakeConnector;
  let bot: RunningApp | undefined;
  let dataDir: string;
  // Wednesday 15 January 2025, 09:00 in Sweden.
  let clock: ManualClock;

  const start = (overrides: Record<string, string> = {}) =>
    startBot(
      testConfig({ DATA_DIR: dataDir, SUPPORT_STAFF_IDS: 'aad-staff', ...FAST, ...overrides }),
      { clock, now: () => new Date(clock.now()) },
    );

  const inChannel = (conversationId: string, user = 'staff') => ({
    conversationType: 'channel' as const,
    conversationId: `${conversationId};messageid=1`,
    teamId: 'team-1',
    user,
  });

  /** Moves the clock in steps until the condition holds, giving the bot real time to act between steps. */
  async function drive(condition: () => boolean, stepMs = 1000, maxSteps = 200) {
    for (let i = 0; i < maxSteps && !condition(); i++) {
      await connector.waitFor(condition, 20);
      if (!condition()) clock.advance(stepMs);
    }
    return condition();
  }

  /** Staff write a notice on the card, preview it and press Skicka; returns the notice id. */
  async function postNotice(fields: Record<string, string>, user = 'staff'): Promise<string> {
    const res = await postActivity(
      bot!.url,
      teamsActivity(connector.serviceUrl, {
        ...inChannel(SUPPORT, user),
        text: 'nytt driftmeddelande',
      }),
    );
    assert.equal(res.status, 200);
    const form = cardsOf(connector.sent[connector.sent.length - 1].activity)[0];
    const draftId = findAll(form, 'draftId')[0] as string;
    const preview = await postActivity(
      bot!.url,
      cardAction(
        connector.serviceUrl,
        'outage.preview',
        { draftId, ...fields },
        inChannel(SUPPORT, user),
      ),
    );
    const send = (preview.body.value.actions as any[]).find((a) => a.verb === 'outage.send');
    assert.ok(send, `a Skicka button: ${textOf(preview.body.value)}`);
    const sent = await postActivity(
      bot!.url,
      cardAction(connector.serviceUrl, 'outage.send', send.data, inChannel(SUPPORT, user)),
    );
    assert.equal(sent.status, 200);
    assert.equal(sent.body.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(textOf(sent.body.value), /skickas nu till/);
    assert.ok(
      !findAll(sent.body.value, 'verb').includes('outage.send'),
      'the sent preview has no Skicka',
    );
    return draftId;
  }

  /** The notice cards that arrived in a conversation as new messages (not the report, not edits). */
  const noticesTo = (conversationId: string) =>
    connector
      .to(conversationId)
      .filter(
        (s) =>
          s.method === 'POST' &&
          /(Planerat driftstopp|Driftstörning) i webSesam/.test(textOf(s.activity)) &&
          !/Leveransrapport/.test(textOf(s.activity)),
      );
  const textsTo = (conversationId: string, re: RegExp) =>
    connector
      .to(conversationId)
      .filter((s) => s.method === 'POST' && re.test(String(s.activity.text ?? '')));

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    clock = createManualClock(Date.UTC(2025, 0, 15, 8, 0));
    await seedUsers(dataDir, connector.serviceUrl, USERS);
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await connector.stop();
  });

  it('planned: staff post it → users and channels get it → reminder on time → the end edits every copy', async () => {
    bot = await start({ OUTAGE_REMINDER_MINUTES: '1440,60' });
    const reg = await postActivity(
      bot.url,
      teamsActivity(connector.serviceUrl, {
        ...inChannel(ANNOUNCE),
        text: 'registrera driftkanal',
      }),
    );
    assert.equal(reg.status, 200);
    assert.match(
      String(connector.sent[connector.sent.length - 1].activity.text),
      /får nu driftmeddelanden/,
    );

    // Tomorrow 10:00–12:00 Swedish time; the reminders fall at 10:00 today and 09:00 tomorrow.
    const id = await postNotice({
      kind: 'planned',
      affected: 'alla',
      startDate: '2025-01-16',
      startTime: '10:00',
      endDate: '2025-01-16',
      endTime: '12:00',
      message: 'webSesam uppgraderas.',
      showSelfHelp: 'true',
    });
    assert.ok(
      await drive(
        () =>
          USERS.every((u) => noticesTo(`a:personal-${u}`).length === 1) &&
          connector.created.length === 2,
      ),
      'every user and both channels',
    );
    const card = cardsOf(noticesTo('a:personal-u1')[0].activity)[0];
    assert.match(textOf(card), /Planerat driftstopp i webSesam/);
    assert.match(JSON.stringify(card), /16 januari kl\. 10:00 – 16 januari kl\. 12:00/);
    assert.match(textOf(card), /Starta om datorn/);
    assert.deepEqual(findAll(card, 'verb'), [], 'no "Jag påverkas också" on a planned stop');
    const channelThread = connector.created.find(
      (c) => c.params.channelData.channel.id === ANNOUNCE,
    )!;
    const reportThread = connector.created.find(
      (c) => c.params.channelData.channel.id === SUPPORT,
    )!;
    assert.ok(
      channelThread && reportThread,
      'a thread in the announcement channel and the report in the support channel',
    );
    assert.match(textOf(reportThread.params.activity), /Leveransrapport/);

    // A minute before the first reminder: none yet; then, stepping 10 s at a time, it comes at 09:00 UTC (10:00 in Sweden).
    clock.set(Date.UTC(2025, 0, 15, 8, 59));
    assert.equal(textsTo('a:personal-u1', /Påminnelse/).length, 0);
    assert.ok(
      await drive(
        () => USERS.every((u) => textsTo(`a:personal-${u}`, /Påminnelse/).length === 1),
        10_000,
      ),
    );
    assert.ok(
      clock.now() >= Date.UTC(2025, 0, 15, 9, 0) && clock.now() < Date.UTC(2025, 0, 15, 9, 2),
      new Date(clock.now()).toISOString(),
    );
    assert.ok(
      await drive(() =>
        connector.to(channelThread.id).some((s) => /Påminnelse/.test(String(s.activity.text))),
      ),
      'the reminder in the channel thread',
    );

    // Staff end it early: every copy is edited in place, and a short message follows.
    const end = await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, 'outage.end', { noticeId: id }, inChannel(SUPPORT)),
    );
    assert.equal(end.status, 200);
    assert.match(textOf(end.body.value), /Driften är återställd/);
    const original = noticesTo('a:personal-u1')[0];
    assert.ok(
      await drive(() =>
        USERS.every((u) => textsTo(`a:personal-${u}`, /Driften är återställd/).length === 1),
      ),
    );
    const edit = connector.sent.find((s) => s.method === 'PUT' && s.id === original.id)!;
    assert.ok(edit, 'the notice in the chat was edited');
    assert.match(textOf(edit.activity), /Driften är återställd/);
    assert.ok(
      connector.sent.some(
        (s) =>
          s.method === 'PUT' &&
          s.conversationId === channelThread.id &&
          s.id === channelThread.activityId,
      ),
    );
    // Nobody got anything twice.
    for (const u of USERS) assert.equal(noticesTo(`a:personal-${u}`).length, 1);
  });

  it('unplanned: outage-aware answers, a banner on answers, "Jag påverkas också" counted once per user', async () => {
    bot = await start();
    const id = await postNotice({
      kind: 'unplanned',
      affected: 'inloggning',
      startDate: '',
      startTime: '',
      endDate: '2025-01-15',
      endTime: '11:00',
      message: 'Inloggningen fungerar inte just nu. Vi felsöker.',
    });
    assert.ok(await drive(() => noticesTo('a:personal-u1').length === 1));

    const answer = await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, 'kan inte logga in', { user: 'u1' }),
    );
    assert.equal(answer.status, 200);
    const replies = connector.to('a:personal-u1').filter((s) => s.replyToId);
    assert.match(textOf(replies[replies.length - 1].activity), /Driftstörning i webSesam/);
    assert.ok(findAll(replies[replies.length - 1].activity, 'verb').includes('outage.affected'));

    await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: 'u2' }),
    );
    const hamtorder = connector
      .to('a:personal-u2')
      .filter((s) => s.replyToId)
      .pop()!;
    assert.match(textOf(hamtorder.activity), /Driftstörning i webSesam pågår: Inloggning/);

    for (const u of ['u1', 'u1', 'u2']) {
      const res = await postActivity(
        bot.url,
        cardAction(connector.serviceUrl, 'outage.affected', { noticeId: id }, { user: u }),
      );
      assert.match(textOf(res.body.value), /Tack! Supporten ser/);
    }
    const stored = JSON.parse(await fs.readFile(path.join(dataDir, 'notices.json'), 'utf8'));
    assert.deepEqual(stored.notices[id].affectedUsers, ['aad-u1', 'aad-u2']);
    assert.ok(
      await drive(
        () =>
          connector.sent.some(
            (s) => s.method === 'PUT' && /"2 användare"/.test(JSON.stringify(s.activity)),
          ),
        10_000,
      ),
      'the report card shows 2',
    );

    await postActivity(
      bot.url,
      cardAction(connector.serviceUrl, 'outage.end', { noticeId: id }, inChannel(SUPPORT)),
    );
    await postActivity(
      bot.url,
      personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', { user: 'u2' }),
    );
    assert.doesNotMatch(
      textOf(
        connector
          .to('a:personal-u2')
          .filter((s) => s.replyToId)
          .pop()!.activity,
      ),
      /pågår/,
    );
  });

  it('a connector that answers 429 with Retry-After for a share of sends: everything arrives once', async () => {
    const many = Array.from({ length: 30 }, (_, i) => `m${i}`);
    await seedUsers(dataDir, connector.serviceUrl, many);
    bot = await start();
    // Every third user's chat is refused once with 429 and Retry-After: 2.
    const refused = new Set<string>();
    connector.setFault((req) => {
      if (
        req.method !== 'POST' ||
        !/^a:personal-\w*?[0369]$/.test(req.conversationId) ||
        refused.has(req.conversationId)
      )
        return undefined;
      refused.add(req.conversationId);
      return { status: 429, headers: { 'retry-after': '2' } };
    });
    await postNotice({
      kind: 'unplanned',
      affected: 'alla',
      startDate: '',
      startTime: '',
      endDate: '',
      endTime: '',
      message: 'webSesam går inte att nå.',
    });
    const all = [...USERS, ...many];
    assert.ok(
      await drive(() => all.every((u) => noticesTo(`a:personal-${u}`).length >= 1), 1000),
      'all arrived',
    );
    for (const u of all) assert.equal(noticesTo(`a:personal-${u}`).length, 1, u);
    assert.ok(refused.size >= 10, `${refused.size} refused once`);
  });

  it('a restart mid-broadcast: nobody twice, nobody missed', async () => {
    const many = Array.from({ length: 20 }, (_, i) => `r${i}`);
    await seedUsers(dataDir, connector.serviceUrl, many);
    bot = await start({ OUTBOX_APP_LIMITS: '2/1', OUTBOX_APP_BURST: '1' });
    await postNotice({
      kind: 'unplanned',
      affected: 'bestallning',
      startDate: '',
      startTime: '',
      endDate: '',
      endTime: '',
      message: 'Beställning fungerar inte.',
    });
    clock.advance(1000);
    await connector.waitFor(() => connector.sent.length > 5, 200);
    await bot.stop();
    const all = [...USERS, ...many];
    const before = all.filter((u) => noticesTo(`a:personal-${u}`).length).length;
    assert.ok(before < all.length, `stopped mid-broadcast (${before} of ${all.length})`);
    clock = createManualClock(clock.now());
    bot = await start();
    assert.ok(await drive(() => all.every((u) => noticesTo(`a:personal-${u}`).length >= 1)));
    for (const u of all) assert.equal(noticesTo(`a:personal-${u}`).length, 1, u);
  });

  it('only staff may post; bad values get a clear message on the card', async () => {
    bot = await start();
    const res = await postActivity(
      bot.url,
      teamsActivity(connector.serviceUrl, {
        ...inChannel(SUPPORT, 'u1'),
        text: 'nytt driftmeddelande',
      }),
    );
    assert.equal(res.status, 200);
    assert.match(
      String(connector.sent[connector.sent.length - 1].activity.text),
      /Bara webSesam-supporten/,
    );
    const forged = await postActivity(
      bot.url,
      cardAction(
        connector.serviceUrl,
        'outage.send',
        {
          draftId: 'd-1',
          kind: 'unplanned',
          affected: 'alla',
          message: 'x',
          startDate: '',
          startTime: '',
          endDate: '',
          endTime: '',
        },
        inChannel(SUPPORT, 'u1'),
      ),
    );
    assert.equal(forged.status, 200);
    assert.match(
      textOf(connector.sent[connector.sent.length - 1].activity),
      /Bara webSesam-supporten/,
    );
    const reg = await postActivity(
      bot.url,
      teamsActivity(connector.serviceUrl, {
        ...inChannel(ANNOUNCE, 'u1'),
        text: 'registrera driftkanal',
      }),
    );
    assert.equal(reg.status, 200);
    assert.match(
      String(connector.sent[connector.sent.length - 1].activity.text),
      /Bara webSesam-supporten/,
    );

    const preview = (fields: Record<string, string>) =>
      postActivity(
        bot!.url,
        cardAction(
          connector.serviceUrl,
          'outage.preview',
          { draftId: 'd-2', showSelfHelp: 'true', ...fields },
          inChannel(SUPPORT),
        ),
      );
    const cases: [Record<string, string>, RegExp][] = [
      [
        {
          kind: 'planned',
          affected: 'alla',
          message: 'x',
          startDate: '2025-01-16',
          startTime: '12:00',
          endDate: '2025-01-16',
          endTime: '10:00',
        },
        /Slutet måste vara efter starten/,
      ],
      [
        {
          kind: 'planned',
          affected: 'alla',
          message: 'x',
          startDate: '2025-01-14',
          startTime: '10:00',
          endDate: '2025-01-16',
          endTime: '10:00',
        },
        /kan inte börja i det förflutna/,
      ],
      [
        {
          kind: 'unplanned',
          affected: 'alla',
          message: '   ',
          startDate: '',
          startTime: '',
          endDate: '',
          endTime: '',
        },
        /Skriv ett meddelande/,
      ],
      [
        {
          kind: 'unplanned',
          affected: 'funktion',
          functionName: '',
          message: 'x',
          startDate: '',
          startTime: '',
          endDate: '',
          endTime: '',
        },
        /vilken funktion/,
      ],
      [
        {
          kind: 'x',
          affected: 'alla',
          message: 'x',
          startDate: '2025-02-30',
          startTime: '25:00',
          endDate: '',
          endTime: '',
        },
        /planerat driftstopp eller oplanerad/,
      ],
    ];
    for (const [fields, expected] of cases) {
      const r = await preview(fields);
      assert.equal(r.status, 200);
      assert.match(textOf(r.body.value), expected, JSON.stringify(fields));
      assert.ok(
        findAll(r.body.value, 'verb').includes('outage.preview'),
        'the form again, to correct',
      );
    }
    assert.equal(USERS.flatMap((u) => noticesTo(`a:personal-${u}`)).length, 0, 'nothing was sent');
  });
});
