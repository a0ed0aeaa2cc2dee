import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { findAll, textOf } from '../support/activities.js';
import { tempDir } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { ticketFlow } from './ticket-flow.js';
import { startBotProcess, type BotProcess } from './ticket-process.js';

describe('confirmed tickets survive kill -9', function () {
  this.timeout(120_000);
  let connector: FakeConnector;
  let bot: BotProcess | undefined;
  let dataDir: string;
  const flow = ticketFlow(
    () => ({ url: bot!.url }) as RunningApp,
    () => connector,
  );
  const start = async () => {
    bot = await startBotProcess({
      DATA_DIR: dataDir,
      SUPPORT_STAFF_IDS: 'aad-staff-1',
      RATE_LIMIT_BURST: '1000',
    });
  };

  before(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir('wsh-crash-');
  });
  after(async () => {
    await bot?.kill9();
    await connector.stop();
  });

  it('kills the bot right after each confirmation; after a restart every confirmed ticket is there and posted', async () => {
    await start();
    await flow.inChannel('staff-1', 'registrera supportkanal');
    await flow.say('user-1', 'hej');
    const confirmed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { confirmation } = await flow.openTicket('user-1', 'skapa ärende', {
        description: `Problem nummer ${i + 1}`,
      });
      const m = /Ditt ärende har nummer (\d+)/.exec(textOf(confirmation));
      assert.ok(m, textOf(confirmation));
      confirmed.push(Number(m[1]));
      await bot!.kill9(); // no graceful stop: whatever was confirmed must already be on disk
      await start();
    }
    assert.deepEqual(confirmed, [1, 2, 3, 4, 5], 'numbers never repeat');
    const list = textOf(await flow.say('user-1', 'mina ärenden'));
    for (const n of confirmed) assert.match(list, new RegExp(`Ärende ${n}:`));
    // Each ticket's thread is started, even if the kill came before the outbox sent it. (A kill
    // between the connector's answer and the outbox's record of it can still post one twice: the
    // outbox's at-least-once window, measured by bench/tickets.ts.)
    const numbers = () =>
      new Set(connector.created.map((c) => /Ärende (\d+)/.exec(textOf(c.params.activity))?.[1]));
    assert.ok(
      await connector.waitFor(() => numbers().size === 5, 20_000),
      `threads: ${[...numbers()]}`,
    );
    assert.ok(findAll(connector.created, 'verb').includes('ticket.take'));
  });
});
