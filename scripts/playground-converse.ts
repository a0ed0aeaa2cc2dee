/**
 * PLAYGROUND_CONVERSE=messages.txt npm run playground: a conversation check in Anna's playground
 * window. Types each line of the file (one message a line, blank lines skipped) into the chat box
 * as a user would, waits for the bot's reply, saves one screenshot per exchange and prints what
 * the bot answered (a card's title, else the first line of its text). Runs inside the
 * playground's network namespace with the Chromium the tests use, like playground-screenshot.ts.
 *
 *   node --import tsx scripts/playground-converse.ts <messages-file> <port> [prefix]
 *     → <prefix>-01.png, <prefix>-02.png, …
 *
 * Exits 1 if the bot does not answer a message, or if a card cuts a text off ("…" at its end).
 */
import { readFileSync } from 'node:fs';
import { chromium, type Locator, type Page } from 'playwright-core';
import { findChromium } from '../test/tab/browser.js';

const [file, port = '56150', prefix = 'playground-samtal'] = process.argv.slice(2);
if (!file) throw new Error('usage: playground-converse.ts <messages-file> <port> [prefix]');
const messages = readFileSync(file, 'utf8')
  .split(/\r?\n/)
  .map((line) => line.trim())
  .filter((line) => line !== '');

const REPLY_TIMEOUT = 30_000;
// A reply may be several messages; the exchange is over when none has come for this long.
const QUIET_MS = 1_500;

// The playground's chat: every message has a "Message header"; the bot's headers also name an
// author (the user's own messages have none). The message is the header's parent.
const botMessages = (page: Page): Locator =>
  page.getByLabel('Message author', { exact: true }).locator('xpath=../..');

/** Waits until the bot has sent more than `before` messages and then nothing for QUIET_MS. */
async function waitForReply(page: Page, before: number): Promise<number> {
  await botMessages(page).nth(before).waitFor({ timeout: REPLY_TIMEOUT });
  let count = await botMessages(page).count();
  for (;;) {
    await page.waitForTimeout(QUIET_MS);
    const now = await botMessages(page).count();
    if (now === count) return count;
    count = now;
  }
}

/**
 * What one bot message says: a card's first text (its title) and the start of its second (which
 * tells the bot's "can't answer" cards apart), else its text's first line.
 */
async function summary(message: Locator): Promise<string> {
  const card = message.locator('.ac-adaptiveCard');
  if ((await card.count()) > 0) {
    const texts = await card.first().locator('.ac-textBlock').allInnerTexts();
    const [title = '', next = ''] = texts.map((t) => t.trim().split('\n')[0] ?? '');
    return `[kort] ${title}${next ? ` — ${next.slice(0, 70)}` : ''}`;
  }
  // The message's text without its header (author and time).
  const text = await message.evaluate((el) =>
    [...el.children]
      .filter((child) => child.getAttribute('aria-label') !== 'Message header')
      .map((child) => (child as HTMLElement).innerText)
      .join('\n'),
  );
  return `[text] ${text.trim().split('\n')[0] ?? ''}`;
}

/** Card texts the renderer cut off (a TextBlock without wrap that is wider than its box). */
async function cutTexts(message: Locator): Promise<string[]> {
  return message
    .locator('.ac-textBlock')
    .evaluateAll((blocks) =>
      blocks
        .filter((b) => b.scrollWidth > b.clientWidth + 1 || b.scrollHeight > b.clientHeight + 1)
        .map((b) => (b as HTMLElement).innerText),
    );
}

const binary = await findChromium();
const browser = await chromium.launch({
  executablePath: binary.executablePath,
  env: { ...process.env, ...binary.env },
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
let failed = false;
try {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    locale: 'sv-SE',
    timezoneId: 'Europe/Stockholm',
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  // Ready when the window has connected to the bot (its log panel says so) and the bot has
  // greeted; then the log panel is hidden so the chat gets the width.
  await page.getByText('Connected.').first().waitFor({ timeout: REPLY_TIMEOUT });
  let seen = await waitForReply(page, 0);
  await page.getByTitle('Hide log panel').click();

  const box = page.getByRole('textbox');
  for (const [i, text] of messages.entries()) {
    await box.click();
    await box.pressSequentially(text);
    await box.press('Enter');
    const now = await waitForReply(page, seen);
    const replies = botMessages(page);
    console.log(`${String(i + 1).padStart(2, '0')} > ${text}`);
    for (let n = seen; n < now; n++) {
      console.log(`   < ${await summary(replies.nth(n))}`);
      for (const cut of await cutTexts(replies.nth(n))) {
        console.log(`   ! avskuren text: ${cut}`);
        failed = true;
      }
    }
    // Tall enough for the question and the whole reply; the chat keeps its newest end in view.
    const first = await replies.nth(seen).boundingBox();
    const last = await replies.nth(now - 1).boundingBox();
    if (first && last) {
      const needed = Math.ceil(last.y + last.height - first.y) + 260;
      await page.setViewportSize({ width: 1280, height: Math.max(800, needed) });
    }
    const out = `${prefix}-${String(i + 1).padStart(2, '0')}.png`;
    await page.screenshot({ path: out });
    console.log(`   screenshot: ${out}`);
    await page.setViewportSize({ width: 1280, height: 800 });
    seen = now;
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  failed = true;
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
