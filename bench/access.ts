/**
 * Access request figures for the note: `npx tsx bench/access.ts`.
 *  1. Through HTTP (lowdb, in process): REQUESTS applications from different users, each approved
 *     by the manager and registered by support; p50/p95 of each click and the rate of whole flows.
 *  2. The scheduler tick (reminders, undeliverable approval cards, retention) over OPEN requests
 *     waiting for a manager, on the lowdb repository: how long one tick takes.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createAccess } from '../src/access/access.js';
import { loadAccessForm } from '../src/access/form.js';
import { createAccessNotifier } from '../src/access/notifications.js';
import { createAccessUpkeep } from '../src/access/upkeep.js';
import { startApp } from '../src/app.js';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { createLog } from '../src/log.js';
import type { Outbox } from '../src/outbox/outbox.js';
import { openAccessRequests } from '../src/storage/lowdb/access-requests.js';
import { createSupportHours } from '../src/support-hours/support-hours.js';
import {
  cardAction,
  findAll,
  personalMessage,
  postActivity,
  teamsActivity,
} from '../test/support/activities.js';
import { tempDir } from '../test/support/bot.js';
import { startFakeConnector } from '../test/support/fake-connector.js';

const REQUESTS = Number(process.env.REQUESTS ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const OPEN = Number(process.env.OPEN ?? 5000);
const MANAGERS = Number(process.env.MANAGERS ?? 20);
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function throughput() {
  const connector = await startFakeConnector();
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: await tempDir('wsh-bench-access-'),
    SUPPORT_STAFF_IDS: 'aad-staff-1',
    RATE_LIMIT_BURST: '100000',
    RATE_LIMIT_PER_MINUTE: '100000',
  });
  const app = await startApp(config, { log: createLog('silent') });
  const s = connector.serviceUrl;
  await postActivity(
    app.url,
    teamsActivity(s, {
      user: 'staff-1',
      text: 'registrera supportkanal',
      conversationType: 'channel',
      conversationId: '19:support@thread.tacv2',
      teamId: 'team-1',
    }),
  );
  // Managers spread over 20 chats: one chat is paced at Teams' per-conversation limit (60/30 s).
  for (let m = 0; m < MANAGERS; m++)
    await postActivity(app.url, personalMessage(s, 'hej', { user: `mgr-${m}` }));
  const times = { submit: [] as number[], approve: [] as number[], register: [] as number[] };
  const click = async (kind: keyof typeof times, verb: string, data: object, o: object) => {
    const t = performance.now();
    const res = await postActivity(
      app.url,
      cardAction(s, verb, data as Record<string, unknown>, o),
    );
    times[kind].push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${verb}: ${res.status}`);
    return res.body;
  };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      const i = next++;
      const body = await click(
        'submit',
        'access.submit',
        {
          draftId: randomUUID(),
          kind: 'ny',
          subjectName: `Person ${i}`,
          subjectContact: `p${i}@example.se`,
          unit: 'Rehab',
          organisation: 'Regionen',
          role: 'Förskrivare',
          fromDate: '2026-12-14',
          managerId: `aad-mgr-${i % MANAGERS}`,
          managerEmail: '',
        },
        { user: `user-${i}` },
      );
      const number = Number(/nummer (\d+)/.exec(JSON.stringify(body))?.[1]);
      // The approval card's ids, as the manager would click them: from the outbox's send.
      let requestId: string | undefined;
      await connector.waitFor(() => {
        const card = connector
          .to(`a:personal-mgr-${i % MANAGERS}`)
          .find((x) => JSON.stringify(x.activity).includes(`behörighetsansökan ${number}?`));
        requestId = card && (findAll(card.activity, 'requestId')[0] as string);
        return !!requestId;
      }, 60_000);
      await click(
        'approve',
        'access.approve',
        { requestId, version: 1, comment: '' },
        { user: `mgr-${i % MANAGERS}` },
      );
      await click(
        'register',
        'access.register',
        { requestId, version: 2, note: '' },
        {
          user: 'staff-1',
          conversationType: 'channel',
          conversationId: '19:support@thread.tacv2',
          teamId: 'team-1',
        },
      );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${REQUESTS} requests, ${CONCURRENCY} at a time, ${MANAGERS} managers: ${(REQUESTS / seconds).toFixed(1)} whole flows/s (apply, approve, register; the approval card waits for the outbox)`,
  );
  for (const [k, xs] of Object.entries(times))
    console.log(`  ${k}: p50 ${ms(percentile(xs, 50))}, p95 ${ms(percentile(xs, 95))}`);
  await app.stop();
  await connector.stop();
}

async function tick() {
  const repo = await openAccessRequests(await tempDir('wsh-bench-tick-'));
  const outbox: Outbox = {
    enqueue: async () => {},
    status: async () => undefined,
    start() {},
    stop: async () => {},
  };
  const form = await loadAccessForm(path.join(PROJECT_ROOT, 'config/access-form.json'));
  const notify = createAccessNotifier({ outbox, cards: { form, timeZone: 'Europe/Stockholm' } });
  const now = () => new Date('2026-12-01T09:00:00Z');
  let id = 0;
  const access = createAccess({
    repo,
    form,
    notify,
    now,
    newId: () => `r${++id}`,
    isStaff: () => false,
    directory: {
      find: async ({ id: m }) => (m ? { id: m, name: 'Chef', reachable: true } : undefined),
    },
    supportChannel: async () => 'channel:x',
  });
  for (let i = 0; i < OPEN; i++)
    await access.apply(
      { id: `u${i}`, name: 'U', tenantId: 't' },
      {
        draftId: `draft-${String(i).padStart(8, '0')}`,
        kind: 'ny',
        subjectName: 'P',
        subjectContact: 'p@example.se',
        unit: 'U',
        organisation: 'O',
        role: 'R',
        fromDate: '2026-12-14',
        managerId: `m${i}`,
        managerEmail: '',
      },
    );
  const upkeep = createAccessUpkeep({
    access,
    repo,
    notify,
    now,
    supportChannel: async () => 'channel:x',
    reminderAfterHours: 8,
    retentionMonths: 24,
    hours: createSupportHours({
      opensAt: 480,
      closesAt: 720,
      timeZone: 'Europe/Stockholm',
      country: 'SE',
    }),
  });
  const t = performance.now();
  await upkeep.tick();
  console.log(
    `one scheduler tick over ${OPEN} requests waiting for a manager (lowdb): ${ms(performance.now() - t)}`,
  );
}

await throughput();
await tick();
