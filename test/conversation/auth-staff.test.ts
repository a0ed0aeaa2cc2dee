import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { cardAction, findAll, postActivity, teamsActivity } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { changedRecords, snapshotRecords } from '../support/fuzz-activities.js';
import { SUPPORT_CHANNEL, ticketFlow } from '../tickets/ticket-flow.js';

/**
 * The whole bot, end to end: someone who is not staff tries every staff action through
 * /api/messages. Each domain decides (isStaff); this checks that nothing any of them stores moved.
 */
describe('staff actions are refused to everyone else, end to end', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );

  before(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    bot = await startBot(testConfig({ DATA_DIR: dataDir, SUPPORT_STAFF_IDS: 'aad-staff-1' }));
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('tickets, outage notices and call registration: nothing changes for a non-staff user', async () => {
    await flow.openTicket('user-1', 'vad blir det för middag på fredag', {
      description: 'Hämtordern gick inte att spara',
    });
    // The staff card in the support channel carries the real id; the outbox posts it.
    assert.ok(
      await connector.waitFor(() => connector.created.length === 1),
      'the ticket reached the support channel',
    );
    const ticketId = findAll(connector.created[0].params.activity, 'ticketId')[0] as string;
    assert.ok(ticketId, 'a ticket exists to be forged against');

    const files = async () =>
      Object.fromEntries(
        await Promise.all(
          (await fs.readdir(dataDir)).map(
            async (f) => [f, await fs.readFile(path.join(dataDir, f), 'utf8')] as const,
          ),
        ),
      );
    const records = await snapshotRecords(dataDir);
    const before = await files();
    const sentBefore = connector.sent.length;

    const inChannel = {
      user: 'mallory',
      conversationType: 'channel' as const,
      conversationId: SUPPORT_CHANNEL,
      teamId: 'team-1',
    };
    for (const text of [
      'nytt driftmeddelande',
      'registrera driftkanal',
      'registrera som supportkanal',
      'samtal beställning',
    ]) {
      const res = await postActivity(
        bot.url,
        teamsActivity(connector.serviceUrl, {
          ...inChannel,
          text: `<at>webSesam-hjälpen</at> ${text}`,
        }),
      );
      assert.equal(res.status, 200, text);
    }
    for (const version of [1, 2, 3])
      for (const verb of [
        'ticket.take',
        'ticket.assign',
        'ticket.answer',
        'ticket.escalate',
        'ticket.resolve',
        'ticket.reopen',
      ]) {
        const data = {
          ticketId,
          version,
          assignee: 'aad-mallory',
          answer: 'klart',
          reason: 'x',
          text: 'x',
        };
        for (const o of [inChannel, { user: 'mallory' }]) {
          const res = await postActivity(bot.url, cardAction(connector.serviceUrl, verb, data, o));
          assert.ok(res.status < 500, `${verb}: ${res.status}`);
        }
      }
    const outage = {
      draftId: 'd-1',
      kind: 'unplanned',
      affected: 'alla',
      message: 'Allt är nere',
      startDate: '',
      startTime: '',
      endDate: '',
      endTime: '',
    };
    for (const verb of ['outage.send', 'outage.update', 'outage.end']) {
      const res = await postActivity(
        bot.url,
        cardAction(connector.serviceUrl, verb, outage, inChannel),
      );
      assert.ok(res.status < 500, `${verb}: ${res.status}`);
    }

    assert.deepEqual(await changedRecords(dataDir, records), [], 'no stored record changed');
    const after = await files();
    // Append-only logs may gain the questions mallory typed, never a call, a send or a ticket step.
    for (const log of ['calls.jsonl', 'outbox.jsonl'].filter((f) => f in before))
      assert.equal(after[log], before[log], `${log} unchanged`);
    for (const f of Object.keys(after).filter((f) => /ticket|outage/i.test(f)))
      assert.equal(after[f], before[f], `${f} unchanged`);
    const toOthers = connector.sent
      .slice(sentBefore)
      .filter((s) => !/mallory|thread|support/.test(s.conversationId));
    assert.deepEqual(
      toOthers.map((s) => s.conversationId),
      [],
      'nobody else was written to',
    );
  });
});
