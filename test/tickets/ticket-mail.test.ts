import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { RunningApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLog } from '../../src/log.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { startTestSmtp, type TestSmtp } from '../support/smtp.js';
import { ticketFlow } from './ticket-flow.js';

// Wednesday 15 January 2025, 09:30 in Stockholm: support is open.
const NOW = new Date('2025-01-15T08:30:00Z');
const MAIL = {
  SMTP_FROM: 'webSesam-hjalpen@example.se',
  OUTBOX_MAIL_LIMITS: '1000/1',
  OUTBOX_MAIL_BURST: '1000',
  OUTBOX_BACKOFF_BASE_MS: '20',
  OUTBOX_BACKOFF_MAX_MS: '100',
  TICKET_DELIVERY_CHECK_SECONDS: '0.02',
};

/** Polls an async condition until it holds or the time is up (no fixed sleep). */
async function until(condition: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await condition()) return true;
    await new Promise((r) => setImmediate(r));
  }
  return condition();
}

describe('tickets by e-mail to the support mailbox, through HTTP and a real SMTP server', () => {
  let connector: FakeConnector;
  let smtp: TestSmtp;
  let bot: RunningApp;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );
  const userChat = 'a:personal-user-1';
  const toUser = () =>
    connector
      .to(userChat)
      .map((s) => textOf(s.activity))
      .join('\n');
  /** The id of the user's first ticket, from "mina ärenden". */
  const firstTicketId = async () =>
    findAll(await flow.say('user-1', 'mina ärenden'), 'ticketId')[0] as string;
  const start = async (env: Record<string, string> = {}) => {
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SUPPORT_STAFF_IDS: 'aad-staff-1',
        SMTP_URL: smtp.url,
        ...MAIL,
        ...env,
      }),
      { now: () => NOW },
    );
    await flow.say('user-1', 'hej');
  };

  beforeEach(async () => {
    connector = await startFakeConnector();
    smtp = await startTestSmtp();
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
    await smtp.stop();
  });

  it('mails a ticket no channel took, with every field; the user hears "fått" only once it is accepted', async () => {
    await start();
    const { confirmation } = await flow.openTicket('user-1', 'vad blir det för middag på fredag', {
      description: 'Kan inte se ordern för patient 19121212-1212',
      reference: 'Order 4711',
      urgency: 'urgent',
    });
    assert.match(textOf(confirmation), /Ditt ärende är sparat och kommer att nå supporten/);
    assert.doesNotMatch(textOf(confirmation), /Supporten har fått/);

    assert.ok(await connector.waitFor(() => smtp.mails.length === 1), 'one mail');
    const { parsed, envelope } = smtp.mails[0];
    assert.deepEqual(envelope.to, ['info.hmc@vgregion.se'], 'the support mailbox of the routine');
    assert.equal(envelope.from, 'webSesam-hjalpen@example.se');
    assert.equal(parsed.subject, 'AKUT: webSesam-ärende 1: Inget ämne');
    assert.equal(parsed.messageId, `<ticket-${await firstTicketId()}@websesam-hjalpen>`);
    const body = parsed.text ?? '';
    for (const line of [
      'Ärende: 1',
      'Kategori: Inget ämne',
      'Brådskande: Akut: jag kan inte arbeta',
      'Nivå: Nivå 1: HMC support',
      'Användare: Anna Andersson',
      'Skapat: 2025-01-15 09:30',
      'Patient/order: Order 4711',
      'Kan inte se ordern för patient [personnummer]',
      'Inget svar: boten hittade inget i webSesam-guiden.',
      'registrera supportkanal',
      'Svara inte på det här mejlet',
    ])
      assert.ok(body.includes(line), `${line}\n---\n${body}`);
    assert.doesNotMatch(smtp.mails[0].raw, /121212-?1212/, 'the personnummer never leaves masked');

    assert.ok(
      await connector.waitFor(() => /Supporten har fått ditt ärende 1\./.test(toUser())),
      toUser(),
    );
    await flow.say('user-1', 'mina ärenden'); // one more round trip, then count
    assert.equal(toUser().match(/Supporten har fått ditt ärende 1/g)?.length, 1, 'told once');
  });

  it('SMTP down, then up: the mail arrives once, and the user hears only then', async () => {
    await start();
    await smtp.down();
    const { confirmation } = await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    const ticketId = await firstTicketId();
    assert.match(textOf(confirmation), /sparat och kommer att nå supporten/);
    assert.ok(
      await until(async () => {
        const s = await bot.outbox.status(`ticket-mail:${ticketId}`);
        return s?.state === 'pending' && s.attempts >= 2;
      }),
      'tried, and tried again, while the server was down',
    );
    assert.doesNotMatch(toUser(), /Supporten har fått/, 'not told while nothing accepted it');
    await smtp.up();
    assert.ok(
      await connector.waitFor(() => /Supporten har fått ditt ärende 1/.test(toUser()), 5000),
    );
    assert.deepEqual([...smtp.countsByMessageId().values()], [1], 'once');
    assert.equal((await bot.outbox.status(`ticket-mail:${ticketId}`))?.state, 'sent');
  });

  it('SMTP refusing: a 4xx is retried and arrives once; a final 5xx with no channel tells the user the truth', async () => {
    await start();
    smtp.setFault((step, n) => (step === 'data' && n <= 2 ? { code: 451 } : undefined));
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.ok(
      await connector.waitFor(() => /Supporten har fått ditt ärende 1/.test(toUser()), 5000),
    );
    assert.deepEqual([...smtp.countsByMessageId().values()], [1]);

    smtp.setFault((step) =>
      step === 'rcpt' ? { code: 550, message: 'no such mailbox' } : undefined,
    );
    await flow.openTicket('user-1', 'skapa ärende', { description: 'Andra ärendet' });
    assert.ok(
      await connector.waitFor(
        () => /ärende 2 är sparat men har ännu inte nått supporten/.test(toUser()),
        5000,
      ),
      toUser(),
    );
    assert.doesNotMatch(toUser(), /Supporten har fått ditt ärende 2/);
    // A support channel registered afterwards takes it, and then the user hears.
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    assert.ok(
      await connector.waitFor(() => /Supporten har fått ditt ärende 2/.test(toUser()), 5000),
    );
  });

  it('keeps CR/LF and header-like text in the question inside the body: no header injection', async () => {
    await start();
    const evil =
      'Rad ett\r\nBcc: evil@example.com\r\nSubject: Du har vunnit\r\nX-Priority: 1\r\n\r\n.\r\nMAIL FROM:<evil@example.com>\r\nSista raden';
    await flow.openTicket('user-1', 'skapa ärende', {
      description: evil,
      reference: 'Ref\r\nCc: x@example.com',
    });
    assert.ok(await connector.waitFor(() => smtp.mails.length === 1));
    const { parsed, envelope } = smtp.mails[0];
    assert.deepEqual(envelope.to, ['info.hmc@vgregion.se']);
    assert.equal(parsed.bcc, undefined);
    assert.equal(parsed.cc, undefined);
    assert.equal(parsed.subject, 'webSesam-ärende 1: Inget ämne');
    assert.equal(parsed.headers.get('x-priority'), undefined);
    const body = parsed.text ?? '';
    assert.match(body, /Bcc: evil@example\.com/, 'the text is there, as text');
    assert.match(body, /MAIL FROM:<evil@example\.com>/);
    assert.match(body, /Sista raden/, 'a lone dot line does not end the mail early');
  });

  it('refuses a 50,000-character description on the form, and mails a full 2,000-character one whole', async () => {
    await start();
    const replies = await flow.say('user-1', 'skapa ärende');
    const form = findAll(replies, 'data')[0] as Record<string, unknown>;
    const long = await flow.click('user-1', 'ticket.review', {
      ...form,
      description: 'x'.repeat(50_000),
      urgency: 'normal',
    });
    assert.match(textOf(long.body.value), /för lång \(högst 2000 tecken\)/);
    const full = 'Lång beskrivning. '.repeat(200).slice(0, 2000);
    await flow.openTicket('user-1', 'skapa ärende', { description: full });
    assert.ok(await connector.waitFor(() => smtp.mails.length === 1));
    assert.ok((smtp.mails[0].parsed.text ?? '').includes(full.trim()));
  });

  it('fallback: no mail while a channel takes the ticket; a failed channel post goes by mail', async () => {
    await start();
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    const first = await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    // Told on the confirmation if the thread was up by then, else by a message of its own.
    const told = () =>
      `${textOf(first.confirmation)}\n${toUser()}`.match(/Supporten har fått ditt ärende/g)
        ?.length ?? 0;
    assert.ok(await connector.waitFor(() => told() === 1), toUser());
    assert.equal(smtp.mails.length, 0, 'the channel took it');

    // The bot was removed from the channel: posting a thread is refused for good.
    connector.setFault((r) =>
      r.method === 'POST' && /conversations$/.test(r.path) ? { status: 403 } : undefined,
    );
    await flow.openTicket('user-1', 'skapa ärende', { description: 'Något annat' });
    assert.ok(await connector.waitFor(() => smtp.mails.length === 1, 5000), 'mailed instead');
    assert.match(
      smtp.mails[0].parsed.text ?? '',
      /Ingen supportkanal i Teams har tagit emot ärendet/,
    );
    assert.ok(await connector.waitFor(() => /Supporten har fått ditt ärende 2/.test(toUser())));
  });

  it('always: the channel and the mailbox both get it; off: never a mail', async () => {
    await start({ TICKET_EMAIL_MODE: 'always' });
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.ok(
      await connector.waitFor(() => connector.created.length === 1 && smtp.mails.length === 1),
    );
    assert.match(smtp.mails[0].parsed.text ?? '', /egen tråd i supportkanalen i Teams/);
    await bot.stop();

    await start({ TICKET_EMAIL_MODE: 'off' });
    await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    // The mail would have been stored with the ticket, in the same step: there is none.
    assert.equal(await bot.outbox.status(`ticket-mail:${await firstTicketId()}`), undefined);
    assert.equal(smtp.mails.length, 1, 'no new mail with e-mail off');
  });

  it('with neither a channel nor e-mail: says so in the log, /healthz, to staff and to the user', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SUPPORT_STAFF_IDS: 'aad-staff-1',
        LOG_LEVEL: 'warn',
      }),
      { now: () => NOW, log: createLog('warn', sink) },
    );
    assert.match(lines.join(''), /Nya ärenden når ingen/, 'at start-up');
    const health = await (await fetch(`${bot.url}/healthz`)).json();
    assert.equal(health.status, 'ok');
    assert.equal(health.warnings.length, 1);
    assert.match(health.warnings[0], /ingen supportkanal är registrerad/);

    const staffSees = await flow.say('staff-1', 'nytt driftmeddelande');
    assert.match(textOf(staffSees), /Nya ärenden når ingen/);
    const again = await flow.say('staff-1', 'hej');
    assert.doesNotMatch(textOf(again), /Nya ärenden når ingen/, 'told, not nagged');
    assert.doesNotMatch(textOf(await flow.say('user-1', 'hej')), /Nya ärenden/, 'users are not');

    const { confirmation } = await flow.openTicket('user-1', 'vad blir det för middag på fredag');
    assert.match(
      textOf(confirmation),
      /sparat, men supporten kan inte ta emot ärenden här just nu/,
    );

    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    assert.deepEqual((await (await fetch(`${bot.url}/healthz`)).json()).warnings, []);
    assert.ok(
      await connector.waitFor(() => /Supporten har fått ditt ärende 1/.test(toUser()), 8000),
      'told once the late channel has it',
    );
  });
});

describe('ticket e-mail configuration', () => {
  it('refuses to start with ticket e-mail on but no sender, naming the key', () => {
    assert.throws(
      () => loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525' }),
      (e: Error) => e instanceof ConfigError && /TICKET_EMAIL_FROM/.test(e.message),
    );
    assert.throws(() => loadConfig({ TICKET_EMAIL_MODE: 'sometimes' }), /TICKET_EMAIL_MODE/);
    assert.throws(() => loadConfig({ TICKET_EMAIL_TO: 'a@b.se, c@d.se' }), /TICKET_EMAIL_TO/);
    assert.equal(
      loadConfig({ SMTP_URL: 'smtp://127.0.0.1:2525', TICKET_EMAIL_MODE: 'off' }).TICKET_EMAIL_MODE,
      'off',
    );
  });
});
