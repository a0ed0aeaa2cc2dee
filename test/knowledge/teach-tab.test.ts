import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../src/app.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { launchChromium } from '../tab/browser.js';
import { askTopic, listTaught } from './teach-api.js';

describe('Lär boten on the statistics tab, in Chromium', function () {
  let connector: FakeConnector;
  let bot: RunningApp;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  const pageErrors: string[] = [];
  const question = 'grodorna i dammen hoppar över bäcken';

  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(testConfig({ DATA_DIR: await tempDir(), KNOWLEDGE_WATCH_MS: '0' }));
    await askTopic(bot, connector, 'hej');
    // A knowledge gap: a question the bot has no answer for.
    assert.equal((await askTopic(bot, connector, question)).topicId, undefined);
    chromium = await launchChromium();
    page = await chromium.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // The 400 the last step provokes is logged by the browser; anything else is a fault.
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && pageErrors.push(m.text()),
    );
    await page.goto(`${bot.url}/tab`);
    await page.waitForSelector('body[data-state="ready"]');
  });
  after(async () => {
    await chromium?.close();
    await bot?.stop();
    await connector?.stop();
  });

  it('teaches a gap row a topic; the bot answers it; Ångra in the list takes it back', async () => {
    const row = page.locator('#gaps tbody tr', { hasText: 'grodorna' });
    await row.getByRole('button', { name: 'Lär boten' }).click();
    // Saving without a topic says what is missing and stores nothing.
    await row.getByRole('button', { name: 'Spara' }).click();
    await row.getByText('Välj ett ämne.').waitFor();
    await row.getByLabel('Ämne').selectOption({ label: 'Skapa en arbetsorder' });
    await row.getByRole('button', { name: 'Spara' }).click();
    await row.getByText('Inlärd: Skapa en arbetsorder').waitFor();

    assert.equal((await askTopic(bot, connector, question)).topicId, 'arbetsorder');
    const [item] = await listTaught(bot.url);
    assert.equal(item.question, question);

    const taughtRow = page.locator('#taught tbody tr', { hasText: question });
    await taughtRow.getByText('Gäller').waitFor();
    await taughtRow.getByRole('button', { name: 'Ångra' }).click();
    await taughtRow.getByText('Ångrad').waitFor();
    assert.notEqual((await askTopic(bot, connector, question)).topicId, 'arbetsorder');

    // "Utanför webSesam" is a choice too; a bad answer from the server is shown on the row.
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    await row.getByRole('button', { name: 'Lär boten' }).click();
    await row.getByRole('textbox', { name: 'Frågan' }).fill('hur gör jag');
    await row.getByLabel('Ämne').selectOption({ label: 'Utanför webSesam' });
    await row.getByRole('button', { name: 'Spara' }).click();
    await row.getByText(/inga ord som boten kan lära sig/).waitFor();
    assert.deepEqual(pageErrors, []);
  });
});
