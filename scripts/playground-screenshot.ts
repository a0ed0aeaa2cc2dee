/**
 * PLAYGROUND_BROWSER=1 npm run playground: one screenshot per playground window, taken with the
 * Chromium the tab's browser test uses (the system's, else the one in the npm package
 * @sparticuz/chromium), so it works on a machine with nothing but Node. Runs inside the
 * playground's network namespace; nothing is fetched from outside.
 *
 *   node --import tsx scripts/playground-screenshot.ts <prefix> <port>...   → <prefix>-<port>.png
 */
import { chromium } from 'playwright-core';
import { findChromium } from '../test/tab/browser.js';

const [prefix = 'playground', ...ports] = process.argv.slice(2);
const binary = await findChromium();
const browser = await chromium.launch({
  executablePath: binary.executablePath,
  env: { ...process.env, ...binary.env },
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  for (const port of ports) {
    const page = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    // The window is ready when it has connected to the bot (its log panel says so).
    await page.getByText('Connected.').first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    const out = `${prefix}-${port}.png`;
    await page.screenshot({ path: out });
    console.log(`screenshot: ${out}`);
    await page.close();
  }
} finally {
  await browser.close();
}
