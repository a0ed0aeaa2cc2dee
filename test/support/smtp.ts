import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the server answers at a step: undefined accepts; a code refuses; `hold` answers when released. */
export type SmtpAnswer = undefined | { code: number; message?: string } | 'hold';

export interface ReceivedMail {
  parsed: ParsedMail;
  /** The raw message as it came over the wire. */
  raw: string;
  envelope: { from: string; to: string[] };
}

/**
 * A real SMTP server on loopback (smtp-server), for tests and benches: it parses every mail it
 * accepts (mailparser), can refuse or hold an answer per step, and can go down and come back up
 * on the same port.
 */
export interface TestSmtp {
  url: string;
  port: number;
  mails: ReceivedMail[];
  /** Mails by Message-ID, how many times each arrived. */
  countsByMessageId(): Map<string, number>;
  /** Decides the answer to RCPT TO and to the end of DATA; `n` counts DATA commands. */
  setFault(f: ((step: 'rcpt' | 'data', n: number, to: string) => SmtpAnswer) | undefined): void;
  /** Answers everything held so far, with this code (e.g. 451) or, undefined, acceptance. */
  release(code?: number): void;
  held(): number;
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestSmtp(o: { parse?: boolean } = {}): Promise<TestSmtp> {
  const parse = o.parse ?? true;
  const mails: ReceivedMail[] = [];
  const counts = new Map<string, number>();
  let fault: ((step: 'rcpt' | 'data', n: number, to: string) => SmtpAnswer) | undefined;
  let dataCount = 0;
  let heldAnswers: ((code?: number) => void)[] = [];
  let port = 0;
  let server: SMTPServer | undefined;
  const sockets = new Set<import('node:net').Socket>();

  const refusal = (code: number, message = 'refused by the test server') =>
    Object.assign(new Error(message), { responseCode: code });

  function answer(a: SmtpAnswer, callback: (err?: Error | null) => void, accept: () => void) {
    if (a === 'hold') {
      heldAnswers.push((code) => (code ? callback(refusal(code)) : accept()));
      return;
    }
    if (a) return callback(refusal(a.code, a.message));
    accept();
  }

  function create() {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onConnect(session, callback) {
        callback();
      },
      onRcptTo(address, _session, callback) {
        answer(fault?.('rcpt', dataCount, address.address), callback, () => callback());
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const n = ++dataCount;
          const raw = Buffer.concat(chunks).toString('utf8');
          const to = session.envelope.rcptTo.map((r) => r.address);
          const accept = () => {
            void (async () => {
              const parsed = parse
                ? await simpleParser(raw)
                : ({ messageId: /^Message-ID:\s*(\S+)/im.exec(raw)?.[1] } as ParsedMail);
              mails.push({
                parsed,
                raw: parse ? raw : '',
                envelope: {
                  from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                  to,
                },
              });
              const id = parsed.messageId ?? '';
              counts.set(id, (counts.get(id) ?? 0) + 1);
              callback();
            })();
          };
          answer(fault?.('data', n, to.join(',')), callback, accept);
        });
      },
    });
    s.on('error', () => undefined);
    return s;
  }

  async function up() {
    server = create();
    const s = server;
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    s.server.on('connection', (socket: import('node:net').Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    port = (s.server.address() as AddressInfo).port;
  }

  async function down() {
    const s = server;
    server = undefined;
    if (!s) return;
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => s.close(() => r()));
  }

  function release(code?: number) {
    const held = heldAnswers;
    heldAnswers = [];
    for (const h of held) h(code);
  }

  await up();
  return {
    get url() {
      return `smtp://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    mails,
    countsByMessageId: () => new Map(counts),
    setFault(f) {
      fault = f;
    },
    release,
    held: () => heldAnswers.length,
    down,
    up,
    async stop() {
      release(421);
      await down();
    },
  };
}
