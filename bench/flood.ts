/**
 * One user floods the bot while others ask questions: the others' reply latency (p50/p95) during
 * the flood, against the same users alone, and whether every one of their answers was right.
 *   npx tsx bench/flood.ts      (FLOOD_MESSAGES, OTHERS, QUESTIONS override)
 */
import { findAll, personalMessage, postActivity } from '../test/support/activities.js';
import { startBot, tempDir, testConfig } from '../test/support/bot.js';
import { startFakeConnector } from '../test/support/fake-connector.js';

const FLOOD = Number(process.env.FLOOD_MESSAGES ?? 5_000);
const FLOOD_CONCURRENCY = 32;
const OTHERS = Number(process.env.OTHERS ?? 10);
const QUESTIONS = Number(process.env.QUESTIONS ?? 20);
const ASKED: [string, string][] = [
  ['hur loggar jag in', 'inloggning'],
  ['hur skriver jag en hämtorder', 'hamtorder'],
  ['makulera kundordern', 'makulera-kundorder'],
];

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const round = (n: number) => Math.round(n * 10) / 10;

const connector = await startFakeConnector();
const bot = await startBot(testConfig({ DATA_DIR: await tempDir('wsh-flood-') }));

/** The other users, each asking QUESTIONS in turn; latency per answer, and how many were wrong. */
async function others(tag: string) {
  const latencies: number[] = [];
  let wrong = 0;
  await Promise.all(
    Array.from({ length: OTHERS }, async (_, u) => {
      const user = `${tag}-${u}`;
      await postActivity(bot.url, personalMessage(connector.serviceUrl, 'hej', { user })); // past the welcome
      for (let q = 0; q < QUESTIONS; q++) {
        const [question, topic] = ASKED[(u + q) % ASKED.length];
        const before = connector.sent.length;
        const t = performance.now();
        const res = await postActivity(
          bot.url,
          personalMessage(connector.serviceUrl, question, { user }),
        );
        latencies.push(performance.now() - t);
        const mine = connector.sent
          .slice(before)
          .filter((s) => s.conversationId === `a:personal-${user}`);
        if (
          res.status !== 200 ||
          findAll(
            mine.map((s) => s.activity),
            'topicId',
          )[0] !== topic
        )
          wrong++;
      }
    }),
  );
  return {
    answers: latencies.length,
    wrong,
    p50Ms: round(percentile(latencies, 50)),
    p95Ms: round(percentile(latencies, 95)),
  };
}

const alone = await others('calm');

let floodDone = false;
const statuses: Record<number, number> = {};
const flood = (async () => {
  let sent = 0;
  await Promise.all(
    Array.from({ length: FLOOD_CONCURRENCY }, async () => {
      while (sent < FLOOD && !floodDone) {
        sent++;
        const res = await postActivity(
          bot.url,
          personalMessage(connector.serviceUrl, 'hur skriver jag en hämtorder', {
            user: 'flooder',
          }),
        );
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    }),
  );
  return sent;
})();
const during = await others('busy');
floodDone = true;
const floodSent = await flood;
const notices = connector
  .to('a:personal-flooder')
  .filter((s) => /många meddelanden/.test(s.activity.text ?? '')).length;

await bot.stop();
await connector.stop();

process.stdout.write(
  `${JSON.stringify({ bench: 'flood', others: OTHERS, questionsEach: QUESTIONS, alone, duringFlood: during, flood: { sent: floodSent, statuses, noticesToFlooder: notices } }, null, 2)}\n`,
);
process.exitCode = alone.wrong + during.wrong === 0 ? 0 : 1;
