import assert from 'node:assert/strict';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Outbox, OutgoingMessage } from '../../src/outbox/outbox.js';
import { openTickets } from '../../src/storage/lowdb/tickets.js';
import { loadChain, type SupportChain } from '../../src/tickets/chain.js';
import {
  InvalidTransitionError,
  NotAllowedError,
  StaleTicketError,
  TicketNotFoundError,
} from '../../src/tickets/errors.js';
import { createOutboxNotifier } from '../../src/tickets/notifications.js';
import { createSupportHours } from '../../src/support-hours/support-hours.js';
import type { Actor } from '../../src/tickets/ticket.js';
import { createTickets, type Tickets } from '../../src/tickets/tickets.js';
import { tempDir } from '../support/bot.js';

/** An outbox that keeps what it is given, once per key, as the real one promises. */
function memoryOutbox() {
  const messages: OutgoingMessage[] = [];
  const outbox: Outbox = {
    async enqueue(ms) {
      for (const m of ms) if (!messages.some((x) => x.key === m.key)) messages.push(m);
    },
    status: async () => undefined,
    start() {},
    stop: async () => {},
  };
  return { outbox, messages };
}

const staff: Actor = { id: 'aad-staff-1', name: 'Sara Support', tenantId: 'tenant-1' };
const user: Actor = { id: 'aad-user-1', name: 'Anna Andersson', tenantId: 'tenant-1' };
const draft = (draftId: string) => ({
  draftId,
  description: 'Inloggningen fungerar inte för 19121212-1212'.replace(
    /19121212-1212/,
    '[personnummer]',
  ),
  urgency: 'urgent',
  topicId: null,
  category: null,
  botAnswer: 'Inget svar',
});

async function setup(chain: SupportChain, clock: { now: Date }) {
  const dir = await tempDir();
  const { tickets: repo, channels } = await openTickets(dir);
  await channels.set('', 'channel:19:support@thread.tacv2');
  const { outbox, messages } = memoryOutbox();
  const cards = {
    levelName: (n: number) => chain.levels[n - 1]?.name ?? '',
    maxLevel: chain.levels.length,
    timeZone: 'Europe/Stockholm',
  };
  let id = 0;
  const tickets: Tickets = createTickets({
    repo,
    channels,
    chain,
    isStaff: (a) => a.id.startsWith('aad-staff'),
    notify: createOutboxNotifier({ outbox, chain, cards, staff: () => channels.staff() }),
    hours: createSupportHours({
      opensAt: 480,
      closesAt: 720,
      timeZone: 'Europe/Stockholm',
      country: 'SE',
    }),
    now: () => clock.now,
    newId: () => `ticket-${++id}`,
    reminderAfterHours: 4,
  });
  return { tickets, messages, dir };
}

describe('ticket use cases', () => {
  it('runs Region Kronoberg’s chain: expertanvändare → NKS → VGR 2:a linjen → leverantör, answer back the same way', async () => {
    const chain = await loadChain(path.join(PROJECT_ROOT, 'config/chains/region-kronoberg.json'));
    assert.deepEqual(
      chain.levels.map((l) => l.name),
      ['Expertanvändare', 'Nationell kundservice (NKS)', 'VGR, 2:a linjen', 'Leverantör'],
    );
    const clock = { now: new Date('2025-01-15T08:00:00Z') };
    const { tickets, messages } = await setup(chain, clock);
    let { ticket: t } = await tickets.open(user, draft('draft-kronoberg-1'));
    t = await tickets.take(t.id, staff, t.version);
    for (const reason of ['Fråga om tjänsteavtal', 'Inte en avtalsfråga', 'Fel i databasen'])
      t = await tickets.escalate(t.id, staff, t.version, reason);
    assert.equal(t.level, 4);
    await assert.rejects(
      tickets.escalate(t.id, staff, t.version, 'längre'),
      InvalidTransitionError,
    );
    t = await tickets.answer(t.id, staff, t.version, 'Leverantören har rättat felet.');
    t = await tickets.resolve(t.id, staff, t.version, 'Rättat av leverantören.');
    const toUser = messages.filter(
      (m): m is Extract<OutgoingMessage, { op: 'send' }> =>
        m.op === 'send' && 'recipientId' in m.to && m.to.recipientId === 'user:aad-user-1',
    );
    const said = JSON.stringify(toUser.map((m) => m.reply));
    assert.match(said, /Nationell kundservice \(NKS\) hos Inera/);
    assert.match(said, /VGR, som ger 2:a linjens support/);
    assert.match(said, /Visuera/);
    assert.match(said, /Svar går alltid tillbaka samma väg i kedjan/);
    assert.match(said, /Leverantören har rättat felet/);
    const solvedCard = toUser.at(-1)!.reply as { template: string; data: { askSolved: boolean } };
    assert.equal(solvedCard.template, 'ticket-user');
    assert.equal(solvedCard.data.askSolved, true, 'the solution comes with Ja/Nej');
  });

  it('refuses non-staff, other tenants, stale versions, forged ids and steps that do not fit', async () => {
    const chain = await loadChain(path.join(PROJECT_ROOT, 'config/chains/vgr-hmc.json'));
    const { tickets } = await setup(chain, { now: new Date('2025-01-15T08:00:00Z') });
    const { ticket } = await tickets.open(user, draft('draft-refusals-1'));
    await assert.rejects(tickets.take(ticket.id, user, 1), NotAllowedError);
    await assert.rejects(
      tickets.take(ticket.id, { ...staff, tenantId: 'tenant-2' }, 1),
      (e: NotAllowedError) => e.reason === 'other-tenant',
    );
    for (const forged of ['nope', '__proto__', 'constructor', '', 42, null, 'x'.repeat(5000)])
      await assert.rejects(
        tickets.take(forged, staff, 1),
        TicketNotFoundError,
        String(forged).slice(0, 20),
      );
    const taken = await tickets.take(ticket.id, staff, 1);
    await assert.rejects(
      tickets.take(ticket.id, staff, 1),
      (e: StaleTicketError) => e.current?.version === taken.version,
    );
    await assert.rejects(tickets.reopen(ticket.id, staff, taken.version), InvalidTransitionError);
    const resolved = await tickets.resolve(ticket.id, staff, taken.version, 'Klart');
    await assert.rejects(
      tickets.answer(ticket.id, staff, resolved.version, 'mer'),
      InvalidTransitionError,
    );
    await assert.rejects(
      tickets.confirm(ticket.id, { ...user, id: 'aad-someone' }, resolved.version, true),
      NotAllowedError,
    );
  });

  it('the same form submitted twice at once opens one ticket', async () => {
    const chain = await loadChain(path.join(PROJECT_ROOT, 'config/chains/vgr-hmc.json'));
    const { tickets, messages } = await setup(chain, { now: new Date('2025-01-15T08:00:00Z') });
    const [a, b] = await Promise.all([
      tickets.open(user, draft('draft-twice-1')),
      tickets.open(user, draft('draft-twice-1')),
    ]);
    assert.equal(a.ticket.id, b.ticket.id);
    assert.deepEqual([a.created, b.created].sort(), [false, true]);
    assert.equal(messages.filter((m) => m.op === 'create-thread').length, 1);
  });

  it('reminds the thread once a ticket is untouched for N support hours, counting only open hours', async () => {
    const chain = await loadChain(path.join(PROJECT_ROOT, 'config/chains/vgr-hmc.json'));
    const clock = { now: new Date('2025-01-17T10:00:00Z') }; // Friday 11:00
    const { tickets, messages } = await setup(chain, clock);
    const { ticket } = await tickets.open(user, draft('draft-remind-1'));
    const reminders = () => messages.filter((m) => m.key.includes(':reminder:'));
    clock.now = new Date('2025-01-19T10:00:00Z'); // Sunday: 1 open hour so far
    assert.equal(await tickets.remindUntouched(), 0);
    clock.now = new Date('2025-01-20T09:30:00Z'); // Monday 10:30: 1 + 2.5
    assert.equal(await tickets.remindUntouched(), 0);
    clock.now = new Date('2025-01-20T10:00:00Z'); // Monday 11:00: 4 open hours
    assert.equal(await tickets.remindUntouched(), 1);
    assert.equal(await tickets.remindUntouched(), 0, 'once per stretch');
    assert.equal(reminders().length, 1);
    const reminder = reminders()[0];
    assert.deepEqual(reminder.op === 'send' ? reminder.to : undefined, {
      threadOf: `ticket:${ticket.id}:thread`,
    });
    await tickets.take(ticket.id, staff, ticket.version); // touched: the count starts again
    clock.now = new Date('2025-01-21T08:00:00Z');
    assert.equal(await tickets.remindUntouched(), 0);
  });
});
