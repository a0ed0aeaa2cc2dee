import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { cardsOf, textOf } from '../support/activities.js';
import { tempDir } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startBotProcess, type BotProcess } from '../tickets/ticket-process.js';
import {
  accessFlow,
  APPLICANT,
  filledForm,
  MANAGER,
  personalChat,
  requestIdOf,
  STAFF,
  versionOf,
} from './access-flow.js';

describe('access requests survive kill -9 between the approval and support’s card', function () {
  this.timeout(400_000);
  let connector: FakeConnector;
  let bot: BotProcess | undefined;
  let dataDir: string;
  const flow = accessFlow(
    () => bot!.url,
    () => connector,
  );
  const start = async () => {
    bot = await startBotProcess({
      DATA_DIR: dataDir,
      SUPPORT_STAFF_IDS: `aad-${STAFF}`,
      RATE_LIMIT_BURST: '1000',
      // Seconds between retries: the test kills the bot once a held-back message's 503 is on disk,
      // and no retry may be in flight then (one interrupted mid-send is, by design, not sent again).
      OUTBOX_BACKOFF_BASE_MS: '3000',
      OUTBOX_BACKOFF_MAX_MS: '3000',
    });
  };
  /** Support cards in the channel, by request number. */
  const threads = () => {
    const count = new Map<number, number>();
    for (const c of connector.created) {
      const n = Number(/Behörighetsansökan (\d+)/.exec(textOf(c.params.activity))?.[1]);
      if (n) count.set(n, (count.get(n) ?? 0) + 1);
    }
    return count;
  };
  const approvedNotices = (n: number) =>
    connector
      .to(personalChat(APPLICANT))
      .filter((s) =>
        new RegExp(`har godkänt din behörighetsansökan ${n}\\b`).test(textOf(s.activity)),
      ).length;

  /** Messages the outbox has recorded in a state, from its journal on disk. */
  const inJournal = (key: RegExp, state: string) =>
    // Read while the bot appends: a line cut short simply does not match yet.
    fs
      .readFileSync(path.join(dataDir, 'outbox.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => {
        const m = /^\{"t":"state","key":"([^"]+)","state":"([a-z]+)",.*\}$/.exec(l);
        return !!m && m[2] === state && key.test(m[1]);
      }).length;

  async function applyAndApprove(n: number, holdBack = false) {
    await flow.apply(APPLICANT, filledForm({ subjectName: `Person ${n}` }));
    const card = cardsOf(
      await flow.waitInChat(MANAGER, new RegExp(`Godkänn behörighetsansökan ${n}\\b`)),
    )[0];
    // What follows the approval (support's card, the applicant's notice) is held back with 503s,
    // so that a kill right after the manager's answer falls before any of it is out.
    if (holdBack)
      connector.setFault((req) =>
        req.method === 'POST' &&
        (req.path === '/v3/conversations' || req.conversationId === personalChat(APPLICANT))
          ? { status: 503 }
          : undefined,
      );
    const approved = await flow.click(MANAGER, 'access.approve', {
      requestId: requestIdOf(card),
      version: versionOf(card),
      comment: `ok ${n}`,
    });
    assert.match(textOf(approved.value), /Du har godkänt ansökan/);
    // Kill only once both held-back messages have met their 503 and wait for a retry.
    if (holdBack)
      assert.ok(
        await connector.waitFor(
          () =>
            inJournal(
              new RegExp(`^access:${requestIdOf(card)}:(thread|v\\d+:applicant)$`),
              'pending',
            ) >= 2,
          30_000,
        ),
      );
  }

  before(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir('wsh-access-crash-');
  });
  after(async () => {
    await bot?.kill9();
    await connector.stop();
  });

  it('kills the bot right after each approval; after a restart each card reaches support once, and the applicant hears once', async () => {
    await start();
    await flow.inChannel(STAFF, 'registrera supportkanal');
    await flow.say(MANAGER, 'hej');
    for (const n of [1, 2]) {
      await applyAndApprove(n, true);
      await bot!.kill9(); // no graceful stop: what the manager was told must already be on disk
      connector.setFault(undefined);
      await start();
      // This round's messages go out before the next round holds messages back and kills again.
      assert.ok(
        await connector.waitFor(
          () => inJournal(/^access:.*:(thread|v\d+:applicant)$/, 'sent') >= 2 * n,
          90_000,
        ),
      );
    }
    assert.ok(
      await connector.waitFor(() => threads().size === 2, 90_000),
      `threads: ${JSON.stringify([...threads()])}`,
    );
    // A kill after the cards are out, and recorded as sent (a kill between the connector's answer
    // and that record is the outbox's own at-least-once window): the restart must not post again.
    assert.ok(
      await connector.waitFor(
        () => inJournal(/^access:.*:(thread|v\d+:applicant)$/, 'sent') >= 4,
        90_000,
      ),
    );
    await bot!.kill9();
    await start();
    await applyAndApprove(3);
    assert.ok(
      await connector.waitFor(() => threads().size === 3 && approvedNotices(3) === 1, 90_000),
    );

    assert.deepEqual(
      [...threads()].sort(),
      [
        [1, 1],
        [2, 1],
        [3, 1],
      ],
      'one card per request',
    );
    for (const n of [1, 2, 3])
      assert.equal(approvedNotices(n), 1, `applicant told once about ${n}`);
    const mine = textOf(await flow.say(APPLICANT, 'mina ansökningar'));
    for (const n of [1, 2, 3])
      assert.match(mine, new RegExp(`Ansökan ${n}: Hos webSesam-supporten`));
  });
});
