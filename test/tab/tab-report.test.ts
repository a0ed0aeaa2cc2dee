import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { extractText } from 'unpdf';
import type { RunningApp } from '../../src/app.js';
import { personalMessage, postActivity } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { launchChromium } from './browser.js';

describe('statistics tab as a printed report, in a narrow side panel and in Teams themes', function () {
  let connector: FakeConnector;
  let bot: RunningApp;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let clock = new Date('2025-02-10T09:00:00Z');

  const say = async (text: string, user: string) => {
    const res = await postActivity(bot.url, personalMessage(connector.serviceUrl, text, { user }));
    assert.equal(res.status, 200);
  };
  const open = async (path: string, width = 1440) => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${bot.url}${path}`);
    await page.waitForSelector('body[data-state="ready"]');
    return page;
  };

  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), SUPPORT_STAFF_IDS: 'aad-staff' }),
      { now: () => clock },
    );
    await say('hur skriver jag en hämtorder', 'user-1');
    clock = new Date('2025-05-12T08:00:00Z');
    await say('hur skriver jag en hämtorder', 'user-1');
    await say('hur loggar jag in', 'user-2');
    await say('vad blir det för middag på fredag', 'user-3');
    await say('samtal beställning', 'staff');
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await bot?.stop();
    await connector?.stop();
  });

  it('prints as a report: the quarter at a glance on page one, the figures after, no buttons', async () => {
    // Printed from a dark Teams: the charts are redrawn for paper when the print media applies.
    const page = await open('/tab?quarter=2025-Q2&theme=dark');
    await page.emulateMedia({ media: 'print' });
    // The page redraws its charts from a media-query listener, after emulateMedia has returned.
    await page.waitForFunction(
      () =>
        (window as unknown as { Chart: { defaults: { color: string } } }).Chart.defaults.color ===
        '#000000',
    );
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    const { totalPages, text } = await extractText(new Uint8Array(pdf), { mergePages: false });
    assert.ok(totalPages >= 3, `${totalPages} pages`);
    const first = text[0].replace(/\s+/g, ' ');
    assert.match(first, /Rapport för K2 2025, jämfört med K1 2025 och K2 2024\./);
    assert.match(first, /Kvartalet i korthet/);
    // 2 of 3 questions answered, 1 call: 2 / 4. K1: 1 of 1.
    assert.match(first, /Självbetjäningsgrad 50 % −50 procentenheter mot K1 2025/);
    assert.match(first, /Frågor 3 \+200 % mot K1 2025/);
    assert.doesNotMatch(first, /Per kategori/, 'the detail starts on a page of its own');
    const all = text.join('\n').replace(/\s+/g, ' ');
    assert.match(all, /Per kategori Frågor till boten/);
    assert.match(all, /Totalt 3 1/);
    assert.match(text.at(-1)!.replace(/\s+/g, ' '), /Kunskapsluckor/);
    assert.doesNotMatch(all, /Ladda ner|Skriv ut|Registrera telefonsamtal/, 'no controls on paper');
    await page.close();
  });

  it('fits a 320 px side panel without sideways scrolling', async () => {
    const page = await open('/tab?quarter=2025-Q2', 320);
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      // Wide tables scroll inside their own box; nothing else may stick out.
      overflowing: [...document.querySelectorAll('body *:not(.table-wrap *)')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map((e) => `${e.tagName} ${e.id || e.className} ${e.getBoundingClientRect().right}`),
    }));
    assert.deepEqual(layout.overflowing, []);
    assert.ok(layout.scroll <= layout.client, JSON.stringify(layout));
    assert.equal(await page.locator('[data-headline="questions"] .value').textContent(), '3');
    await page.close();
  });

  it('follows the dark and high-contrast themes, charts included', async () => {
    const colours = async (page: Page) =>
      page.evaluate(() => ({
        background: getComputedStyle(document.body).backgroundColor,
        text: getComputedStyle(document.body).color,
        chartText: (window as unknown as { Chart: { defaults: { color: string } } }).Chart.defaults
          .color,
      }));
    const dark = await open('/tab?quarter=2025-Q2&theme=dark', 320);
    assert.deepEqual(await colours(dark), {
      background: 'rgb(31, 31, 31)',
      text: 'rgb(255, 255, 255)',
      chartText: '#ffffff',
    });
    const contrast = await open('/tab?quarter=2025-Q2&theme=contrast');
    assert.equal((await colours(contrast)).background, 'rgb(0, 0, 0)');
    // Printing from a dark Teams still gives black on white.
    await contrast.emulateMedia({ media: 'print' });
    assert.deepEqual(
      await contrast.evaluate(() => getComputedStyle(document.body).backgroundColor),
      'rgb(255, 255, 255)',
    );
    await dark.close();
    await contrast.close();
  });
});
