import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createAccess } from '../../src/access/access.js';
import { loadAccessForm } from '../../src/access/form.js';
import { createAccessNotifier } from '../../src/access/notifications.js';
import type { Actor } from '../../src/access/request.js';
import { createAccessUpkeep } from '../../src/access/upkeep.js';
import { PROJECT_ROOT } from '../../src/config.js';
import type { DeliveryState, Outbox, OutgoingMessage } from '../../src/outbox/outbox.js';
import { openAccessRequests } from '../../src/storage/lowdb/access-requests.js';
import { createSupportHours } from '../../src/support-hours/support-hours.js';
import { tempDir } from '../support/bot.js';

/** An outbox that keeps what it is given, once per key, as the real one promises. */
function memoryOutbox() {
  const messages: OutgoingMessage[] = [];
  const states = new Map<string, DeliveryState>();
  const outbox: Outbox = {
    async enqueue(ms) {
      for (const m of ms) if (!messages.some((x) => x.key === m.key)) messages.push(m);
    },
    status: async (key) => {
      const state = states.get(key);
      return state ? { key, state, attempts: 1 } : undefined;
    },
    start() {},
    stop: async () => {},
  };
  return { outbox, messages, states };
}

const applicant: Actor = { id: 'aad-user-1', name: 'Anna Andersson', tenantId: 'tenant-1' };
const manager: Actor = { id: 'aad-mgr-1', name: 'Maria Chef', tenantId: 'tenant-1' };
const staff: Actor = { id: 'aad-staff-1', name: 'Sara Support', tenantId: 'tenant-1' };
const draft = (draftId: string) => ({
  draftId,
  kind: 'ny',
  subjectName: 'Nils Nyanställd',
  subjectContact: 'nils@example.se',
  unit: 'Rehab Mölndal',
  organisation: 'Västra Götalandsregionen',
  role: 'Förskrivare',
  fromDate: '2025-02-01',
  managerId: manager.id,
  managerEmail: '',
});

async function setup(clock: { now: Date }, retentionMonths = 24) {
  const repo = await openAccessRequests(await tempDir());
  const { outbox, messages, states } = memoryOutbox();
  const form = await loadAccessForm(path.join(PROJECT_ROOT, 'config/access-form.json'));
  const notify = createAccessNotifier({ outbox, cards: { form, timeZone: 'Europe/Stockholm' } });
  let channel: string | null = 'channel:19:support@thread.tacv2';
  const supportChannel = async () => channel;
  let n = 0;
  const access = createAccess({
    repo,
    directory: {
      find: async ({ id }) => (id ? { id, name: 'Maria Chef', reachable: true } : undefined),
    },
    form,
    isStaff: (a) => a.id === staff.id,
    notify,
    supportChannel,
    now: () => clock.now,
    newId: () => `access-${++n}`,
  });
  const upkeep = createAccessUpkeep({
    access,
    repo,
    notify,
    hours: createSupportHours({
      opensAt: 480,
      closesAt: 720,
      timeZone: 'Europe/Stockholm',
      country: 'SE',
    }),
    supportChannel,
    now: () => clock.now,
    reminderAfterHours: 8,
    retentionMonths,
  });
  return {
    access,
    upkeep,
    repo,
    messages,
    states,
    setChannel: (c: string | null) => (channel = c),
  };
}

describe('access requests without a click: reminders, retention, late channels', () => {
  it('reminds the manager once an approval has waited N support hours, counting only open hours', async () => {
    const clock = { now: new Date('2025-01-16T10:00:00Z') }; // Thursday 11:00 in Stockholm
    const { access, upkeep, messages } = await setup(clock);
    const { request } = await access.apply(applicant, draft('draft-remind-1'));
    const reminders = () => messages.filter((m) => m.key.includes(':reminder:'));

    clock.now = new Date('2025-01-16T16:00:00Z'); // 1 support hour so far (11–12)
    assert.equal(await upkeep.remindManagers(), 0);
    clock.now = new Date('2025-01-20T08:30:00Z'); // Monday 9:30: 1 + 4 (Friday) + 1.5 = 6.5 hours
    assert.equal(await upkeep.remindManagers(), 0);
    clock.now = new Date('2025-01-20T10:00:00Z'); // Monday 11:00: 8 support hours
    assert.equal(await upkeep.remindManagers(), 1);
    assert.equal(await upkeep.remindManagers(), 0, 'once per stretch');
    const reminder = reminders()[0];
    assert.deepEqual(reminder.op === 'send' ? reminder.to : undefined, {
      recipientId: `user:${manager.id}`,
    });
    assert.match(JSON.stringify(reminder), /väntat på ditt svar i 8 supporttimmar/);
    assert.match(JSON.stringify(reminder), /"template":"access-approval"/, 'the card to act on');

    await access.approve(request.id, manager, request.version, '');
    clock.now = new Date('2025-01-28T10:00:00Z');
    assert.equal(await upkeep.remindManagers(), 0, 'nothing to remind once approved');
    assert.equal(reminders().length, 1);
  });

  it('removes personal details N months after closing; the request is still counted', async () => {
    const clock = { now: new Date('2025-01-16T10:00:00Z') };
    const { access, upkeep, repo, messages } = await setup(clock, 6);
    const { request } = await access.apply(applicant, draft('draft-retention-1'));
    const approved = await access.approve(request.id, manager, 1, 'Ok för Nils');
    const registered = await access.register(approved.id, staff, approved.version, 'Klart');
    const open = await access.apply(applicant, draft('draft-retention-2'));

    clock.now = new Date('2025-07-15T10:00:00Z'); // not yet six months
    assert.equal(await upkeep.redactOld(), 0);
    clock.now = new Date('2025-07-17T10:00:00Z');
    assert.equal(await upkeep.redactOld(), 1);
    assert.equal(await upkeep.redactOld(), 0, 'once');

    const kept = (await repo.get(registered.id))!;
    assert.equal(kept.status, 'registered');
    assert.equal(kept.kind, 'ny');
    assert.equal(kept.subject.organisation, 'Västra Götalandsregionen');
    assert.ok(kept.redactedAt);
    const stored = JSON.stringify(kept);
    for (const personal of ['Nils', 'nils@example.se', 'Anna', 'Maria', 'Sara', 'Ok för', 'Klart'])
      assert.ok(!stored.includes(personal), `${personal} is gone`);
    assert.deepEqual(
      kept.history.map((e) => e.kind),
      ['applied', 'approved', 'registered', 'redacted'],
    );
    assert.equal((await repo.search('Nils', 10)).length, 1, 'only the open one is still found');
    assert.equal((await repo.search('Nils', 10))[0].id, open.request.id);
    const quarter = await repo.listCreatedBetween(
      new Date('2025-01-01T00:00:00Z'),
      new Date('2025-04-01T00:00:00Z'),
    );
    assert.equal(quarter.length, 2, 'the count stays');
    assert.ok(
      !messages.some((m) => m.key.endsWith(`:v${kept.version}:applicant`)),
      'nobody is told',
    );
  });

  it('posts a request that reached support before any channel was registered, once there is one', async () => {
    const clock = { now: new Date('2025-01-16T10:00:00Z') };
    const { access, upkeep, messages, setChannel } = await setup(clock);
    setChannel(null);
    const { request } = await access.apply(applicant, draft('draft-late-1'));
    await access.approve(request.id, manager, 1, '');
    assert.equal(await upkeep.postWaiting(), 0);
    assert.ok(!messages.some((m) => m.op === 'create-thread'));
    setChannel('channel:19:access@thread.tacv2');
    assert.equal(await upkeep.postWaiting(), 1);
    assert.equal(await upkeep.postWaiting(), 0);
    const thread = messages.filter((m) => m.op === 'create-thread');
    assert.equal(thread.length, 1);
    assert.deepEqual(thread[0].op === 'create-thread' && thread[0].to, {
      recipientId: 'channel:19:access@thread.tacv2',
    });
  });

  it('sends the request to support when the approval card was given up (gone or failed)', async () => {
    const clock = { now: new Date('2025-01-16T10:00:00Z') };
    const { access, upkeep, states, messages } = await setup(clock);
    const { request } = await access.apply(applicant, draft('draft-gone-1'));
    assert.equal(await upkeep.routeUndeliverable(), 0, 'pending: wait');
    states.set(`access:${request.id}:approval`, 'gone');
    assert.equal(await upkeep.routeUndeliverable(), 1);
    assert.equal(await upkeep.routeUndeliverable(), 0);
    assert.ok(messages.some((m) => m.op === 'create-thread'));
    await assert.rejects(access.approve(request.id, manager, 1, ''), /changed since/);
  });

  it('hands the outbox, after a restart, what a crash between saving and sending kept from it', async () => {
    const clock = { now: new Date('2025-01-16T10:00:00Z') };
    const first = await setup(clock);
    const { request } = await first.access.apply(applicant, draft('draft-recover-1'));
    // As if the process died after the approval was saved and before its messages were handed over.
    const approved = {
      ...request,
      version: 2,
      status: 'at-support' as const,
      managerApproved: true,
      channel: 'channel:19:support@thread.tacv2',
      history: [
        ...request.history,
        { version: 2, kind: 'approved' as const, at: clock.now.toISOString(), by: manager },
      ],
    };
    await first.repo.save(approved);
    const before = first.messages.length;
    assert.equal(await first.access.recover(), 1);
    const handed = first.messages.slice(before).map((m) => `${m.op} ${m.key}`);
    assert.deepEqual(handed.sort(), [
      `create-thread access:${request.id}:thread`,
      `send access:${request.id}:v2:applicant`,
    ]);
    assert.equal(await first.access.recover(), 0, 'once handed over, not again');
  });

  it('refuses a broken form file at start, naming the file and the key', async () => {
    const file = path.join(await tempDir(), 'access-form.json');
    await fs.writeFile(file, JSON.stringify({ heading: 'x', kinds: { ny: 'Ny' }, fields: {} }));
    await assert.rejects(loadAccessForm(file), (e: Error) => {
      assert.match(e.message, /access-form\.json/);
      assert.match(e.message, /kinds\.andring/);
      return true;
    });
  });
});
