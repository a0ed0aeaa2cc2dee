import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { createManualClock, type ManualClock } from '../../src/outbox/clock.js';
import type { OutgoingMail, OutgoingMessage } from '../../src/outbox/outbox.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { until } from '../storage/contract.js';

// Pacing never holds these tests up (it has its own tests); the outage ticker is put far off so
// the only timers on the manual clock are the outbox's.
const FAST = {
  OUTBOX_MAIL_LIMITS: '1000/1',
  OUTBOX_MAIL_BURST: '1000',
  OUTAGE_REPORT_INTERVAL_SECONDS: '86400',
  SMTP_FROM: 'websesam-hjalpen@example.se',
};

const mail = (n: number, o: Partial<OutgoingMail> = {}): OutgoingMessage => ({
  key: `mail-${n}`,
  op: 'email',
  mail: {
    to: 'support@example.se',
    subject: `Ärende ${n}`,
    text: `Ärende ${n}: beställningen fastnar.`,
    messageId: `<ticket-${n}@websesam-hjalpen.example.se>`,
    ...o,
  },
});

describe('outbox: e-mail over SMTP, to a real server on loopback', () => {
  let smtp: TestSmtp;
  let bot: RunningApp | undefined;
  let clock: ManualClock;

  const start = async (overrides: Record<string, string> = {}) => {
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SMTP_URL: smtp.url,
        ...FAST,
        ...overrides,
      }),
      { clock, now: () => new Date(clock.now()) },
    );
    return bot;
  };
  const state = async (key: string, s: string) =>
    until(async () => (await bot!.outbox.status(key))?.state === s);
  const errorOf = async (key: string) => {
    await until(async () => Boolean((await bot!.outbox.status(key))?.error));
    return (await bot!.outbox.status(key))?.error ?? '';
  };

  beforeEach(async () => {
    smtp = await startTestSmtp();
    clock = createManualClock();
  });
  afterEach(async () => {
    await bot?.stop();
    bot = undefined;
    await smtp.stop();
  });

  it('delivers the mail as given: sender, recipient, subject, a 50,000-character text, the stable Message-ID', async () => {
    await start();
    const long = `${'Beskrivning av felet. '.repeat(2300)}slut`.slice(-50_000);
    await bot!.outbox.enqueue([mail(1, { text: long, headers: { 'X-Ticket-Number': '1' } })]);
    assert.ok(await state('mail-1', 'sent'));
    assert.equal(smtp.mails.length, 1);
    const { parsed, envelope } = smtp.mails[0];
    assert.equal(parsed.messageId, '<ticket-1@websesam-hjalpen.example.se>');
    assert.equal(parsed.subject, 'Ärende 1');
    assert.equal(parsed.from?.value[0].address, 'websesam-hjalpen@example.se');
    assert.deepEqual(envelope.to, ['support@example.se']);
    assert.equal(parsed.text?.trim(), long);
    assert.equal(parsed.headers.get('x-ticket-number'), '1');
    assert.deepEqual(await bot!.outbox.status('mail-1'), {
      key: 'mail-1',
      state: 'sent',
      attempts: 1,
    });
  });

  it('CR/LF in the subject or a header value cannot add a header or a recipient', async () => {
    await start();
    await bot!.outbox.enqueue([
      mail(2, {
        subject: 'Skrivaren\r\nBcc: evil@example.com\r\n\r\nhej',
        headers: { 'X-Question': 'skrivaren\nTo: evil@example.com\rCc: evil@example.com' },
      }),
    ]);
    assert.ok(await state('mail-2', 'sent'));
    const { parsed, envelope, raw } = smtp.mails[0];
    assert.deepEqual(envelope.to, ['support@example.se']);
    assert.equal(parsed.bcc, undefined);
    assert.equal(parsed.cc, undefined);
    assert.deepEqual(
      (parsed.to as { value: { address: string }[] }).value.map((v) => v.address),
      ['support@example.se'],
    );
    assert.equal(parsed.subject, 'Skrivaren Bcc: evil@example.com hej');
    assert.equal(
      parsed.headers.get('x-question'),
      'skrivaren To: evil@example.com Cc: evil@example.com',
    );
    assert.doesNotMatch(raw, /^(Bcc|Cc):/im);
  });

  it('refuses at enqueue what it could not send right: no address, a list, a bad Message-ID, a header it sets itself', async () => {
    await start();
    const refused: [Partial<OutgoingMail>, RegExp][] = [
      [{ to: 'inte en adress' }, /mail\.to/],
      [{ to: 'a@example.se, b@example.se' }, /mail\.to/],
      [{ to: 'a@example.se\r\nBcc: b@example.se' }, /mail\.to/],
      [{ messageId: 'ticket-1' }, /messageId/],
      [{ messageId: '<ticket 1@x>' }, /messageId/],
      [{ headers: { Bcc: 'evil@example.com' } }, /set by the outbox/],
      [{ headers: { 'X-Bad\r\nBcc': 'x' } }, /header name/],
      [{ subject: undefined as unknown as string }, /subject/],
    ];
    for (const [o, why] of refused)
      await assert.rejects(bot!.outbox.enqueue([mail(3, o)]), why, JSON.stringify(o));
    assert.equal(await bot!.outbox.status('mail-3'), undefined, 'nothing stored');
  });

  it('without SMTP_URL an e-mail is refused at enqueue, not stored to fail later', async () => {
    await start({ SMTP_URL: '' });
    await assert.rejects(bot!.outbox.enqueue([mail(4)]), /SMTP_URL/);
    assert.equal(await bot!.outbox.status('mail-4'), undefined);
  });

  it('SMTP down, then up: retried with backoff, arrives once', async () => {
    await smtp.down();
    await start();
    await bot!.outbox.enqueue([mail(5)]);
    assert.match(await errorOf('mail-5'), /no answer/);
    assert.equal((await bot!.outbox.status('mail-5'))?.state, 'pending');
    await smtp.up();
    clock.advance(60_000);
    assert.ok(await state('mail-5', 'sent'));
    assert.deepEqual(
      [...smtp.countsByMessageId()],
      [['<ticket-5@websesam-hjalpen.example.se>', 1]],
    );
    assert.ok((await bot!.outbox.status('mail-5'))!.attempts >= 2);
  });

  it('a 4xx is retried until accepted; a 5xx is final and tried once; other addresses go on meanwhile', async () => {
    await start();
    smtp.setFault((step, n, to) => {
      if (step === 'rcpt' && to === 'finns-inte@example.se')
        return { code: 550, message: 'No such user' };
      if (step === 'data' && to === 'support@example.se' && n === 1)
        return { code: 451, message: 'Try again later' };
      return undefined;
    });
    await bot!.outbox.enqueue([
      mail(6),
      mail(7, { to: 'finns-inte@example.se' }),
      mail(8, { to: 'annan@example.se' }),
    ]);
    assert.match(await errorOf('mail-6'), /451/);
    assert.ok(await state('mail-7', 'failed'));
    assert.match((await bot!.outbox.status('mail-7'))!.error!, /550/);
    assert.ok(await state('mail-8', 'sent'));
    clock.advance(60_000);
    assert.ok(await state('mail-6', 'sent'));
    const counts = smtp.countsByMessageId();
    assert.equal(counts.get('<ticket-6@websesam-hjalpen.example.se>'), 1);
    assert.equal(counts.get('<ticket-7@websesam-hjalpen.example.se>'), undefined);
    assert.equal((await bot!.outbox.status('mail-7'))?.attempts, 1);
  });

  it('a server slower than SMTP_TIMEOUT_SECONDS counts as no answer: retried, arrives once', async () => {
    await start({ SMTP_TIMEOUT_SECONDS: '0.3' });
    smtp.setFault((step, n) => (step === 'data' && n === 1 ? 'hold' : undefined));
    await bot!.outbox.enqueue([mail(9)]);
    assert.match(await errorOf('mail-9'), /no answer/);
    // The server gives up on the mail it held (the client is gone): nothing was delivered.
    smtp.release(451);
    clock.advance(60_000);
    assert.ok(await state('mail-9', 'sent'));
    assert.equal(smtp.countsByMessageId().get('<ticket-9@websesam-hjalpen.example.se>'), 1);
  });

  it('a slow answer within the timeout is simply waited for: sent once, no retry', async () => {
    await start();
    smtp.setFault((step) => (step === 'data' ? 'hold' : undefined));
    await bot!.outbox.enqueue([mail(10)]);
    assert.ok(await until(() => smtp.held() === 1));
    assert.equal((await bot!.outbox.status('mail-10'))?.state, 'pending');
    smtp.release();
    assert.ok(await state('mail-10', 'sent'));
    assert.equal((await bot!.outbox.status('mail-10'))?.attempts, 1);
    assert.equal(smtp.mails.length, 1);
  });
});
