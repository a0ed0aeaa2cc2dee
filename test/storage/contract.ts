import assert from 'node:assert/strict';
import type { LogEntry } from '../../src/conversation/question-log.js';
import { systemClock } from '../../src/outbox/clock.js';
import { SendError, type Sender } from '../../src/outbox/outbox.js';
import type { Notice } from '../../src/outages/notice.js';
import { StaleNoticeError } from '../../src/outages/repository.js';
import type { Recipient } from '../../src/recipients/repository.js';
import type { Stores } from '../../src/storage/open-stores.js';
import { createLog } from '../../src/log.js';
import { StaleTicketError } from '../../src/tickets/errors.js';
import type { Ticket } from '../../src/tickets/ticket.js';

/** How a suite gets a store: `open` a new empty one, `reopen` the same one again (a restart). */
export interface StoreFactory {
  open(): Promise<Stores>;
  reopen(): Promise<Stores>;
}

export const user = (name: string, o: Partial<Recipient> = {}): Recipient => ({
  id: `user:aad-${name}`,
  kind: 'user',
  name,
  tenantId: 'tenant-1',
  reference: { user: { id: `29:${name}` }, conversation: { id: `a:personal-${name}` } },
  firstSeenAt: '2026-01-01T08:00:00.000Z',
  ...o,
});

export function ticket(o: Partial<Ticket> = {}): Ticket {
  const id = o.id ?? `t-${Math.random().toString(36).slice(2)}`;
  return {
    id,
    number: 1,
    version: 1,
    draftId: `draft-${id}`,
    status: 'open',
    level: 1,
    category: 'Beställning',
    topicId: null,
    requester: { id: 'aad-anna', name: 'Anna', tenantId: 'tenant-1' },
    question: 'Beställning till patient [personnummer] fastnar',
    botAnswer: 'inget svar',
    urgency: 'normal',
    reference: null,
    openedAt: '2026-02-02T09:00:00.000Z',
    updatedAt: '2026-02-02T09:00:00.000Z',
    assignee: null,
    channel: null,
    history: [
      {
        version: 1,
        kind: 'opened',
        at: '2026-02-02T09:00:00.000Z',
        by: { id: 'aad-anna', name: 'Anna' },
      },
    ],
    ...o,
  };
}

export function notice(o: Partial<Notice> = {}): Notice {
  return {
    id: 'n-1',
    version: 1,
    kind: 'unplanned',
    affected: 'alla',
    functionName: '',
    message: 'webSesam svarar inte',
    showSelfHelp: true,
    startsAt: '2026-02-02T09:00:00.000Z',
    endsAt: null,
    createdBy: 'aad-staff',
    createdAt: '2026-02-02T09:00:00.000Z',
    endedAt: null,
    endedBy: null,
    recipients: ['user:aad-anna'],
    reportTo: 'channel:19:support',
    remindersSent: [],
    affectedUsers: [],
    queuedVersion: 1,
    history: [{ at: '2026-02-02T09:00:00.000Z', by: 'aad-staff', what: 'created' }],
    ...o,
  };
}

/** A Teams side that records what it was asked to send; `fail` decides a failure per call. */
export function recordingSender(
  fail: (op: string, conversation: string, n: number) => SendError | undefined = () => undefined,
) {
  const calls: { op: string; conversation: string; activityId?: string; text: string }[] = [];
  let n = 0;
  const conv = (ref: unknown) => (ref as { conversation: { id: string } }).conversation.id;
  const textOf = (r: { kind: string; text?: string }) => r.text ?? r.kind;
  const attempt = (op: string, ref: unknown) => {
    const e = fail(op, conv(ref), ++n);
    if (e) throw e;
  };
  const sender: Sender = {
    async send(ref, reply) {
      attempt('send', ref);
      calls.push({ op: 'send', conversation: conv(ref), text: textOf(reply as never) });
      return { conversationId: conv(ref), activityId: `act-${calls.length}` };
    },
    async update(ref, activityId, reply) {
      attempt('update', ref);
      calls.push({
        op: 'update',
        conversation: conv(ref),
        activityId,
        text: textOf(reply as never),
      });
    },
    async createThread(ref, reply) {
      attempt('create-thread', ref);
      calls.push({ op: 'create-thread', conversation: conv(ref), text: textOf(reply as never) });
      return {
        conversationId: `${conv(ref)};messageid=${calls.length}`,
        activityId: `act-${calls.length}`,
      };
    },
    withConversation: (ref, conversationId) => ({
      ...(ref as object),
      conversation: { id: conversationId },
    }),
  };
  return { sender, calls };
}

export const FAST_OUTBOX = {
  log: createLog('silent'),
  clock: systemClock,
  appLimits: [{ count: 10_000, seconds: 1 }],
  appBurst: 1000,
  conversationLimits: [{ count: 10_000, seconds: 1 }],
  conversationBurst: 1000,
  concurrency: 16,
  maxAttempts: 5,
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  retentionDays: 30,
};

/** Bounded wait for a condition (no sleeps in assertions): polls until it holds or time is up. */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  ms = 10_000,
): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return predicate();
}

/** The promises every implementation of the storage interfaces keeps. */
export function storageContract(factory: () => StoreFactory) {
  let stores: Stores;
  const open = async () => (stores = await factory().open());
  afterEach(async () => stores?.close());

  describe('recipients', () => {
    it('upsert says whether it was new, keeps firstSeenAt, refreshes the reference and clears gone', async () => {
      const s = await open();
      assert.equal(await s.recipients.upsert(user('anna')), true);
      assert.equal(
        await s.recipients.upsert(user('anna', { firstSeenAt: '2026-03-01T00:00:00.000Z' })),
        false,
      );
      await s.recipients.upsert(user('kanal', { id: 'channel:19:x', kind: 'channel' }));
      await s.recipients.markGone('user:aad-anna', new Date('2026-04-01T00:00:00Z'));
      assert.equal((await s.recipients.get('user:aad-anna'))?.goneAt, '2026-04-01T00:00:00.000Z');
      const moved = { conversation: { id: 'a:new' } };
      assert.equal(await s.recipients.upsert(user('anna', { reference: moved })), false);
      const anna = await s.recipients.get('user:aad-anna');
      assert.deepEqual(anna?.reference, moved);
      assert.equal(anna?.goneAt, undefined);
      assert.equal(anna?.firstSeenAt, '2026-01-01T08:00:00.000Z');
      assert.deepEqual(
        (await s.recipients.list('user')).map((r) => r.id),
        ['user:aad-anna'],
      );
      assert.equal((await s.recipients.list()).length, 2);
      assert.equal(await s.recipients.get('user:nobody'), undefined);
    });
  });

  describe('tickets', () => {
    it('saves, finds by id, draft and requester, and lists active and unnotified ones', async () => {
      const s = await open();
      const a = ticket({ id: 'a', number: await s.tickets.nextNumber() });
      const b = ticket({
        id: 'b',
        number: await s.tickets.nextNumber(),
        status: 'resolved',
        requester: { id: 'aad-bo', name: 'Bo', tenantId: 'tenant-1' },
      });
      await s.tickets.save(a);
      await s.tickets.save(b);
      assert.deepEqual(await s.tickets.get('a'), a);
      assert.deepEqual(await s.tickets.byDraft(b.draftId), b);
      assert.equal(await s.tickets.get('__proto__'), undefined);
      assert.deepEqual(
        (await s.tickets.listByRequester('aad-anna')).map((t) => t.id),
        ['a'],
      );
      assert.deepEqual(
        (await s.tickets.listActive()).map((t) => t.id),
        ['a'],
      );
      assert.deepEqual(
        (await s.tickets.listUnnotified()).map((u) => [u.ticket.id, u.notified]).sort(),
        [
          ['a', 0],
          ['b', 0],
        ],
      );
      await s.tickets.markNotified('a', 1);
      await s.tickets.markNotified('a', 0); // never backwards
      assert.deepEqual(
        (await s.tickets.listUnnotified()).map((u) => u.ticket.id),
        ['b'],
      );
      assert.deepEqual((await s.tickets.all()).map((t) => t.id).sort(), ['a', 'b']);
    });

    it('a save from an old version is stale and hands back the current ticket', async () => {
      const s = await open();
      const v1 = ticket({ id: 'x' });
      await s.tickets.save(v1);
      const v2 = { ...v1, version: 2, status: 'taken' as const };
      await s.tickets.save(v2);
      await assert.rejects(
        s.tickets.save({ ...v1, version: 2, status: 'resolved' }),
        (e: unknown) => {
          assert.ok(e instanceof StaleTicketError);
          assert.equal(e.current?.status, 'taken');
          return true;
        },
      );
      await assert.rejects(s.tickets.save(ticket({ id: 'x' })), StaleTicketError); // a second "new" ticket with that id
      assert.equal((await s.tickets.get('x'))?.version, 2);
    });

    it('of 20 saves from the same version at once, exactly one wins', async () => {
      const s = await open();
      const v1 = ticket({ id: 'race' });
      await s.tickets.save(v1);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          s.tickets.save({ ...v1, version: 2, assignee: { id: `s${i}`, name: `S${i}` } }),
        ),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(
        results.every((r) => r.status === 'fulfilled' || r.reason instanceof StaleTicketError),
      );
    });

    it('ticket numbers never repeat, also after a restart', async () => {
      const s = await open();
      const numbers = await Promise.all(Array.from({ length: 50 }, () => s.tickets.nextNumber()));
      assert.equal(new Set(numbers).size, 50);
      const top = Math.max(...numbers);
      await s.tickets.save(ticket({ id: 'top', number: top }));
      await s.close();
      stores = await factory().reopen();
      assert.ok((await stores.tickets.nextNumber()) > top);
    });

    it('support channels and staff names', async () => {
      const s = await open();
      assert.equal(await s.channels.get(''), undefined);
      await s.channels.set('', 'channel:19:support');
      await s.channels.set('ekonomi', 'channel:19:eko');
      await s.channels.set('ekonomi', 'channel:19:eko2');
      assert.equal(await s.channels.get(''), 'channel:19:support');
      assert.equal(await s.channels.get('ekonomi'), 'channel:19:eko2');
      assert.equal(await s.channels.get('constructor'), undefined);
      await s.channels.rememberStaff('aad-sara', 'Sara');
      await s.channels.rememberStaff('aad-sara', 'Sara Support');
      assert.deepEqual(await s.channels.staff(), { 'aad-sara': 'Sara Support' });
    });
  });

  describe('notices', () => {
    it('versions saves, counts each affected user once, and a save from an older copy keeps the clicks', async () => {
      const s = await open();
      const v1 = notice();
      await s.notices.save(v1);
      assert.equal(await s.notices.addAffectedUser('n-1', 'aad-bo'), true);
      assert.equal(await s.notices.addAffectedUser('n-1', 'aad-bo'), false);
      assert.equal(await s.notices.addAffectedUser('unknown', 'aad-bo'), false);
      await s.notices.save({ ...v1, version: 2, endsAt: '2026-02-02T12:00:00.000Z' }); // copy from before the click
      const got = await s.notices.get('n-1');
      assert.deepEqual(got?.affectedUsers, ['aad-bo']);
      assert.equal(got?.endsAt, '2026-02-02T12:00:00.000Z');
      await assert.rejects(s.notices.save({ ...v1, version: 2 }), StaleNoticeError);
      await assert.rejects(s.notices.save(notice()), StaleNoticeError);
      assert.deepEqual(
        (await s.notices.list()).map((n) => n.id),
        ['n-1'],
      );
      assert.equal(await s.notices.addAnnouncementChannel('channel:19:a'), true);
      assert.equal(await s.notices.addAnnouncementChannel('channel:19:a'), false);
      assert.deepEqual(await s.notices.announcementChannels(), ['channel:19:a']);
    });
  });

  describe('question log', () => {
    it('reads back every entry in the order appended, also after a restart', async () => {
      const s = await open();
      const entry = (i: number): LogEntry => ({
        kind: 'question',
        id: `q${i}`,
        at: '2026-02-02T09:00:00Z',
        userId: 'u',
        conversationType: 'personal',
        text: `fråga ${i} [personnummer]`,
        outcome: 'answered',
        topicId: 'retur',
        category: 'Retur',
        confidence: 0.8,
        suggestions: [],
      });
      for (let i = 0; i < 5; i++) await s.questionLog.append(entry(i));
      await s.questionLog.append({
        kind: 'feedback',
        questionId: 'q1',
        at: '2026-02-02T09:01:00Z',
        userId: 'u',
        topicId: 'retur',
        helpful: false,
      });
      await s.close();
      stores = await factory().reopen();
      const all: LogEntry[] = [];
      for await (const e of stores.questionLog.readAll()) all.push(e);
      assert.deepEqual(
        all.map((e) => ('id' in e ? e.id : e.kind)),
        ['q0', 'q1', 'q2', 'q3', 'q4', 'feedback'],
      );
      assert.deepEqual(all[0], entry(0));
    });
  });
}
