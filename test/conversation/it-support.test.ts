import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { texts } from '../../src/texts.js';
import { cardsOf, findAll, personalMessage, postActivity, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';

describe("general IT goes to the user's own IT support, through HTTP", () => {
  let connector: FakeConnector;
  let bot: RunningApp | undefined;

  beforeEach(async () => {
    connector = await startFakeConnector();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await connector.stop();
  });

  async function ask(text: string, tenantId = 'tenant-1') {
    const before = connector.sent.length;
    const res = await postActivity(
      bot!.url,
      personalMessage(connector.serviceUrl, text, { user: 'user-it', tenantId }),
    );
    assert.equal(res.status, 200);
    return connector.sent.slice(before).map((s) => s.activity);
  }

  const lastCard = (replies: Record<string, any>[]) => cardsOf(replies[replies.length - 1])[0];

  it('points "skrivaren skriver inte ut" to the own IT support, with no webSesam ticket or contact', async () => {
    bot = await startBot(testConfig({ DATA_DIR: await tempDir() }));
    const card = lastCard(await ask('skrivaren skriver inte ut'));
    const shown = textOf(card);
    assert.match(shown, /Så når du din IT-support/);
    assert.ok(shown.includes(texts.itSupportDefault), shown);
    assert.match(shown, /regionens IT-servicedesk/);
    assert.match(shown, /kommunens IT-support/);
    assert.doesNotMatch(shown, /\d{3}-\d/, 'no phone number is invented');
    assert.doesNotMatch(shown, /info\.hmc@vgregion\.se|Så når du webSesam-supporten/);
    assert.deepEqual(findAll(card, 'verb'), [], 'no "Skapa ärende" on general IT');
    assert.match(shown, /Skriv \*\*skapa ärende\*\*/, 'says how to open one anyway');
  });

  it('still opens a ticket when the user writes "skapa ärende"', async () => {
    bot = await startBot(testConfig({ DATA_DIR: await tempDir() }));
    await ask('outlook startar inte');
    const form = lastCard(await ask('skapa ärende'));
    assert.ok(findAll(form, 'verb').includes('ticket.review'), textOf(form));
  });

  it('shows the configured text, per tenant where one is set, else the configured default', async () => {
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        IT_SUPPORT_CONTACT: 'Ring IT-servicedesk på det nummer som står på din dator.',
        IT_SUPPORT_CONTACTS_BY_TENANT: JSON.stringify({
          'tenant-kommun': 'Kontakta kommunens IT-support via intranätet.',
        }),
      }),
    );
    assert.match(
      textOf(lastCard(await ask('datorn startar inte', 'tenant-kommun'))),
      /via intranätet/,
    );
    const other = textOf(lastCard(await ask('datorn startar inte', 'tenant-other')));
    assert.match(other, /det nummer som står på din dator/);
    assert.doesNotMatch(other, /intranätet/);
  });

  it('offers the ticket button on general IT only when configured to', async () => {
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), IT_SUPPORT_OFFER_TICKET: 'true' }),
    );
    const card = lastCard(await ask('wifi funkar inte på jobbet'));
    assert.deepEqual([...new Set(findAll(card, 'verb'))], ['ticket.start']);
    assert.doesNotMatch(textOf(card), /Skriv \*\*skapa ärende\*\*/);
  });

  it('keeps the webSesam support contact for other out-of-scope and unknown questions', async () => {
    bot = await startBot(testConfig({ DATA_DIR: await tempDir() }));
    const card = lastCard(await ask('vad blir det för middag på fredag'));
    assert.match(textOf(card), /Så når du webSesam-supporten/);
    assert.ok(findAll(card, 'verb').includes('ticket.start'));
  });

  it('refuses per-tenant texts that are not a JSON object of texts, naming the key', () => {
    for (const bad of ['[]', '{"t": 5}', 'tenant=text', '{"t": ""}'])
      assert.throws(
        () => loadConfig({ IT_SUPPORT_CONTACTS_BY_TENANT: bad }),
        (e: Error) => e instanceof ConfigError && /IT_SUPPORT_CONTACTS_BY_TENANT/.test(e.message),
      );
  });
});
