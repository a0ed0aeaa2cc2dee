import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { RunningApp } from '../../src/app.js';
import {
  cardAction,
  cardsOf,
  findAll,
  personalMessage,
  postActivity,
} from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import { launchChromium } from './browser.js';

/** Everything the tab shows as figures: the headlines, the trend and every table, as text. */
const readPage = (page: Page) =>
  page.evaluate(() => ({
    headlines: [...document.querySelectorAll('[data-headline]')].map((c) =>
      [...c.querySelectorAll('.value, .change')].map((p) => p.textContent),
    ),
    tables: [...document.querySelectorAll('main table')].map((t) =>
      [...t.querySelectorAll('tr')].map((tr) =>
        [...tr.querySelectorAll('th, td')].map((c) => c.textContent),
      ),
    ),
  }));

describe('statistics tab in Chromium, two instances on one PostgreSQL', function () {
  let pg: TestPostgres;
  let connector: FakeConnector;
  let a: RunningApp;
  let b: RunningApp;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const clock = new Date('2025-05-12T08:00:00Z');

  before(async function () {
    pg = await postgresForSuite(this);
    const url = await pg.freshDatabase();
    connector = await startFakeConnector();
    const config = async () =>
      testConfig({ DATA_DIR: await tempDir(), DATABASE_URL: url, SUPPORT_STAFF_IDS: 'aad-staff' });
    a = await startBot(await config(), { now: () => clock });
    b = await startBot(await config(), { now: () => clock });
    chromium = await launchChromium();
  });

  after(async () => {
    await chromium?.close();
    await a?.stop();
    await b?.stop();
    await connector?.stop();
    await pg?.stop();
  });

  const say = async (bot: RunningApp, text: string, user: string) => {
    const before = connector.sent.length;
    const res = await postActivity(bot.url, personalMessage(connector.serviceUrl, text, { user }));
    assert.equal(res.status, 200);
    return connector.sent.slice(before).map((s) => s.activity);
  };

  // The figures, and the taught list the tab fetches after them.
  const ready = async (page: Page) => {
    await page.waitForSelector('body[data-state="ready"]');
    await page.waitForSelector('#taught[data-state="ready"]', { state: 'attached' });
  };
  const open = async (bot: RunningApp) => {
    const page = await chromium.context.newPage();
    await page.goto(`${bot.url}/tab?quarter=2025-Q2`);
    await ready(page);
    return page;
  };

  it('shows the same figures from either instance, whichever took the questions', async () => {
    // Questions and a 👎 split over both instances, as a load balancer would.
    const replies = await say(a, 'hur skriver jag en hämtorder', 'user-1');
    await say(b, 'hur loggar jag in', 'user-2');
    await say(b, 'vad blir det för middag på fredag', 'user-3');
    await say(a, 'vad blir det till middag på fredag', 'user-4');
    const answer = replies
      .flatMap(cardsOf)
      .find((c) => findAll(c, 'verb').includes('feedback.give'));
    assert.ok(answer);
    // The 👎 reaches the other instance: it must still find the question, in the database.
    const res = await postActivity(
      b.url,
      cardAction(
        connector.serviceUrl,
        'feedback.give',
        {
          topicId: findAll(answer, 'topicId')[0],
          questionId: findAll(answer, 'questionId')[0],
          helpful: false,
        },
        { user: 'user-1' },
      ),
    );
    assert.equal(res.status, 200);

    // A call registered on B's tab.
    const onB = await open(b);
    await onB.selectOption('#call-category', 'Övrigt');
    await onB.click('#call-form button[type="submit"]');
    await onB.waitForFunction(() =>
      /Samtal registrerat/.test(document.querySelector('#call-result')?.textContent ?? ''),
    );
    await ready(onB);

    const onA = await open(a);
    const fromA = await readPage(onA);
    const fromB = await readPage(onB);
    assert.deepEqual(fromA, fromB);
    const headline = (id: string) => onA.locator(`[data-headline="${id}"] .value`).textContent();
    assert.equal(await headline('questions'), '4');
    assert.equal(await headline('calls'), '1');
    // 2 answered of 4 questions and 1 call.
    assert.equal(await headline('selfService'), '40 %');
    const gaps = fromA.tables.find((t) => t[0]?.[0] === 'Fråga')!;
    assert.equal(gaps.length, 3, JSON.stringify(gaps)); // the middag pair, and the 👎 answer
    assert.deepEqual(gaps[1].slice(1, 4), ['2', '2', '0']);

    // One more question on A: B's next page load has it, with nothing to wait for.
    await say(a, 'hur returnerar jag ett hjälpmedel', 'user-5');
    await onB.reload();
    await ready(onB);
    assert.equal(await onB.locator('[data-headline="questions"] .value').textContent(), '5');
    assert.deepEqual(await readPage(onB), await readPage(await open(a)));
  });
});
