import assert from 'node:assert/strict';
import { text } from '../../src/conversation/replies.js';
import {
  SendError,
  type MailSender,
  type Outbox,
  type OutgoingMail,
} from '../../src/outbox/outbox.js';
import { INTERRUPTED } from '../../src/outbox/policy.js';
import type { Stores } from '../../src/storage/open-stores.js';
import { FAST_OUTBOX, recordingSender, until, user } from '../storage/contract.js';

/** How the suite gets a store, and leaves one as a kill -9 in the middle of a send would. */
export interface OutboxStoreFactory {
  open(): Promise<Stores>;
  /** The same store again (a restart). */
  reopen(): Promise<Stores>;
  /**
   * What a process killed mid-send leaves (its outbox stopped first): the messages claimed and
   * counted as tried once, no result recorded.
   */
  cutOffMidSend(keys: string[]): Promise<void>;
}

/** An SMTP side that records what it was asked to send; `fail` decides a failure per call. */
export function recordingMail(
  fail: (n: number, mail: OutgoingMail) => SendError | undefined = () => undefined,
) {
  const mails: OutgoingMail[] = [];
  let n = 0;
  const mail: MailSender = {
    async send(m) {
      const e = fail(++n, m);
      if (e) throw e;
      mails.push(m);
    },
    async close() {},
  };
  return { mail, mails };
}

const email = (key: string, to = 'support@example.se') => ({
  key,
  op: 'email' as const,
  mail: { to, subject: key, text: `text ${key}`, messageId: `<${key}@websesam-hjalpen>` },
});

/**
 * The outbox's promises, whatever store is under the one engine: the suite runs on the journal
 * (lowdb) and on PostgreSQL (test/outbox/outbox-contract.test.ts).
 */
export function outboxContract(factory: OutboxStoreFactory) {
  let stores: Stores | undefined;
  let outbox: Outbox | undefined;
  const open = async () => (stores = await factory.open());
  afterEach(async () => {
    await outbox?.stop();
    outbox = undefined;
    await stores?.close();
    stores = undefined;
  });

  async function withUsers(s: Stores, names: string[]) {
    for (const n of names) await s.recipients.upsert(user(n));
  }

  it('sends each key once, in order per recipient; updates and thread replies find where the first landed', async () => {
    const s = await open();
    await withUsers(s, ['anna', 'bo']);
    await s.recipients.upsert(
      user('support', {
        id: 'channel:19:support',
        kind: 'channel',
        reference: { conversation: { id: '19:support' } },
      }),
    );
    const { sender, calls } = recordingSender();
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, recipients: s.recipients });
    outbox.start();
    const batch = [
      { key: 'a1', op: 'send' as const, to: { recipientId: 'user:aad-anna' }, reply: text('a1') },
      { key: 'a2', op: 'send' as const, to: { recipientId: 'user:aad-anna' }, reply: text('a2') },
      { key: 'a1-edit', op: 'update' as const, of: 'a1', reply: text('a1 ändrad') },
      {
        key: 'b1',
        op: 'send' as const,
        to: { recipientId: 'user:aad-bo' },
        reply: text('b1'),
        bulk: true,
      },
      {
        key: 'thread',
        op: 'create-thread' as const,
        to: { recipientId: 'channel:19:support' },
        reply: text('ärende 1'),
      },
      {
        key: 'in-thread',
        op: 'send' as const,
        to: { threadOf: 'thread' },
        reply: text('svar i tråden'),
      },
      { key: 'orphan', op: 'update' as const, of: 'never-sent', reply: text('x') },
    ];
    await outbox.enqueue(batch);
    await outbox.enqueue(batch); // idempotent by key
    assert.ok(
      await until(
        async () =>
          (await outbox!.status('in-thread'))?.state === 'sent' &&
          (await outbox!.status('a1-edit'))?.state === 'sent' &&
          (await outbox!.status('b1'))?.state === 'sent',
      ),
    );
    assert.equal(calls.length, 6);
    assert.deepEqual(
      calls.filter((c) => c.conversation === 'a:personal-anna').map((c) => c.text),
      ['a1', 'a2', 'a1 ändrad'],
    );
    const a1 = await outbox.status('a1');
    assert.equal(calls.find((c) => c.op === 'update')?.activityId, a1?.activityId);
    const thread = await outbox.status('thread');
    assert.equal(
      calls.find((c) => c.text === 'svar i tråden')?.conversation,
      thread?.conversationId,
    );
    assert.equal((await outbox.status('orphan'))?.state, 'failed');
    assert.equal(await outbox.status('nothing'), undefined);
  });

  it('retries 5xx and 429 until sent; a 403 marks the user gone and later messages to them are skipped', async () => {
    const s = await open();
    await withUsers(s, ['anna', 'bo']);
    const { sender, calls } = recordingSender((_op, conversation, n) => {
      if (conversation === 'a:personal-bo') return new SendError(403, 'MessageWritesBlocked');
      if (n <= 3)
        return n === 2 ? new SendError(429, 'Too many', 0.01) : new SendError(503, 'Unavailable');
      return undefined;
    });
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, recipients: s.recipients });
    outbox.start();
    await outbox.enqueue([
      { key: 'to-bo', op: 'send', to: { recipientId: 'user:aad-bo' }, reply: text('hej bo') },
    ]);
    assert.ok(await until(async () => (await outbox!.status('to-bo'))?.state === 'gone'));
    assert.ok((await s.recipients.get('user:aad-bo'))?.goneAt);
    await outbox.enqueue([
      {
        key: 'to-anna',
        op: 'send',
        to: { recipientId: 'user:aad-anna' },
        reply: text('hej anna'),
      },
      { key: 'to-bo-2', op: 'send', to: { recipientId: 'user:aad-bo' }, reply: text('hej igen') },
    ]);
    assert.ok(
      await until(
        async () =>
          (await outbox!.status('to-anna'))?.state === 'sent' &&
          (await outbox!.status('to-bo-2'))?.state === 'gone',
      ),
    );
    assert.equal((await outbox.status('to-anna'))?.attempts, 3);
    assert.deepEqual(
      calls.map((c) => c.text),
      ['hej anna'],
    );
  });

  it('what was pending at a stop is sent after a restart, once', async () => {
    const s = await open();
    await withUsers(s, ['anna']);
    const first = recordingSender();
    outbox = await s.createOutbox({
      ...FAST_OUTBOX,
      sender: first.sender,
      recipients: s.recipients,
    });
    // Not started: stored, not sent, as when a process dies right after enqueue resolved.
    await outbox.enqueue(
      Array.from({ length: 20 }, (_, i) => ({
        key: `m${i}`,
        op: 'send' as const,
        to: { recipientId: 'user:aad-anna' },
        reply: text(`m${i}`),
      })),
    );
    await outbox.stop();
    await s.close();
    stores = await factory.reopen();
    const second = recordingSender();
    outbox = await stores.createOutbox({
      ...FAST_OUTBOX,
      sender: second.sender,
      recipients: stores.recipients,
    });
    outbox.start();
    await outbox.enqueue([
      { key: 'm0', op: 'send', to: { recipientId: 'user:aad-anna' }, reply: text('m0 igen') },
    ]);
    assert.ok(await until(() => second.calls.length >= 20));
    assert.ok(await until(async () => (await outbox!.status('m19'))?.state === 'sent'));
    assert.deepEqual(
      second.calls.map((c) => c.text),
      Array.from({ length: 20 }, (_, i) => `m${i}`),
    );
    assert.equal(first.calls.length, 0);
  });
  it('bulk waits behind interactive: a message enqueued during a broadcast goes next', async () => {
    const s = await open();
    await withUsers(s, ['u0', 'u1', 'u2', 'u3', 'u4', 'anna']);
    const { sender, calls } = recordingSender();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = 0;
    const send = sender.send.bind(sender);
    sender.send = async (ref, reply) => {
      if (++started === 1) await gate;
      return send(ref, reply);
    };
    outbox = await s.createOutbox({
      ...FAST_OUTBOX,
      concurrency: 1,
      sender,
      recipients: s.recipients,
    });
    outbox.start();
    await outbox.enqueue(
      ['u0', 'u1', 'u2', 'u3', 'u4'].map((u) => ({
        key: `bulk-${u}`,
        op: 'send' as const,
        to: { recipientId: `user:aad-${u}` },
        reply: text(`bulk ${u}`),
        bulk: true,
      })),
    );
    assert.ok(await until(() => started === 1));
    await outbox.enqueue([
      { key: 'reply', op: 'send', to: { recipientId: 'user:aad-anna' }, reply: text('svar') },
    ]);
    release();
    assert.ok(await until(async () => (await outbox!.status('bulk-u4'))?.state === 'sent'));
    assert.deepEqual(
      calls.map((c) => c.text),
      ['bulk u0', 'svar', 'bulk u1', 'bulk u2', 'bulk u3', 'bulk u4'],
    );
  });

  it('e-mail: its own lane per address, 4xx retried, 5xx final, Teams messages unaffected', async () => {
    const s = await open();
    await withUsers(s, ['anna']);
    const { sender, calls } = recordingSender();
    const { mail, mails } = recordingMail((n, m) => {
      if (m.to === 'finns-inte@example.se') return new SendError(550, 'No such user');
      if (n === 1) return new SendError(451, 'Try again later');
      return undefined;
    });
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, mail, recipients: s.recipients });
    outbox.start();
    await outbox.enqueue([
      email('m1'),
      email('m2'),
      email('bad', 'finns-inte@example.se'),
      { key: 't1', op: 'send', to: { recipientId: 'user:aad-anna' }, reply: text('t1') },
    ]);
    await outbox.enqueue([email('m1')]); // idempotent by key
    assert.ok(
      await until(
        async () =>
          (await outbox!.status('m2'))?.state === 'sent' &&
          (await outbox!.status('bad'))?.state === 'failed' &&
          (await outbox!.status('t1'))?.state === 'sent',
      ),
    );
    assert.deepEqual(
      mails.map((m) => m.messageId),
      ['<m1@websesam-hjalpen>', '<m2@websesam-hjalpen>'],
      'in order within the lane, each once',
    );
    assert.equal((await outbox.status('m1'))?.attempts, 2);
    assert.match((await outbox.status('bad'))!.error!, /^550 /);
    assert.equal((await outbox.status('bad'))?.attempts, 1);
    assert.deepEqual(
      calls.map((c) => c.text),
      ['t1'],
    );
    assert.deepEqual(mails[0], email('m1').mail, 'the mail as given, Message-ID included');
  });

  it('after a kill -9 mid-send: a Teams message is reported, not sent twice; an edit, a new thread and an e-mail go again', async () => {
    let s = await open();
    await withUsers(s, ['anna', 'bo']);
    await s.recipients.upsert(
      user('support', {
        id: 'channel:19:support',
        kind: 'channel',
        reference: { conversation: { id: '19:support' } },
      }),
    );
    const { sender, calls } = recordingSender();
    const { mail, mails } = recordingMail();
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, mail, recipients: s.recipients });
    outbox.start();
    await outbox.enqueue([
      { key: 'card', op: 'send', to: { recipientId: 'user:aad-anna' }, reply: text('kort') },
    ]);
    assert.ok(await until(async () => (await outbox!.status('card'))?.state === 'sent'));
    await outbox.stop();
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, mail, recipients: s.recipients });
    await outbox.enqueue([
      { key: 'hello-bo', op: 'send', to: { recipientId: 'user:aad-bo' }, reply: text('hej bo') },
      { key: 'card-edit', op: 'update', of: 'card', reply: text('kort ändrat') },
      {
        key: 'thread',
        op: 'create-thread',
        to: { recipientId: 'channel:19:support' },
        reply: text('ärende 1'),
      },
      email('ticket-mail'),
    ]);
    await outbox.stop();
    await s.close();
    await factory.cutOffMidSend(['hello-bo', 'card-edit', 'thread', 'ticket-mail']);
    s = stores = await factory.reopen();
    outbox = await s.createOutbox({ ...FAST_OUTBOX, sender, mail, recipients: s.recipients });
    outbox.start();
    const done = ['hello-bo', 'card-edit', 'thread', 'ticket-mail'];
    assert.ok(
      await until(async () => {
        for (const k of done) if ((await outbox!.status(k))?.state === 'pending') return false;
        return true;
      }),
    );
    const bo = await outbox.status('hello-bo');
    assert.equal(bo?.state, 'failed');
    assert.equal(bo?.error, INTERRUPTED);
    for (const k of ['card-edit', 'thread', 'ticket-mail'])
      assert.equal((await outbox.status(k))?.state, 'sent', k);
    assert.deepEqual(calls.map((c) => c.text).sort(), ['kort', 'kort ändrat', 'ärende 1']);
    assert.deepEqual(
      mails.map((m) => m.messageId),
      ['<ticket-mail@websesam-hjalpen>'],
    );
  });
}
