import nodemailer from 'nodemailer';
import { checkMail, oneLine } from '../outbox/mail.js';
import { SendError, type MailSender, type OutgoingMail } from '../outbox/outbox.js';

export interface SmtpSenderOptions {
  /** e.g. smtp://127.0.0.1:2525, smtps://user:pass@smtp.example.se:465 */
  url: string;
  /** The sender address when a mail names none (SMTP_FROM). */
  from: string;
  /** How long to wait for the connection, the greeting and each answer. */
  timeoutMs: number;
}

/** Error codes nodemailer gives without an SMTP reply that no retry can mend. */
const PERMANENT_WITHOUT_REPLY = new Set(['EENVELOPE', 'ECONFIG', 'EFILEACCESS', 'EURLACCESS']);

/**
 * E-mail over SMTP with nodemailer: the outbox's MailSender. Plain text only. Every header value
 * is put on one line here, at the transport, whatever was stored: text a user typed cannot add a
 * header. Errors come out as SendError with the SMTP reply code (0: no reply), which the outbox's
 * policy reads: 4xx and no reply are retried, 5xx is final.
 */
export function createSmtpSender(o: SmtpSenderOptions): MailSender {
  const transport = nodemailer.createTransport({
    url: o.url,
    pool: true,
    maxConnections: 2,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
    // Nothing the bot sends is read from a file or fetched from a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail: OutgoingMail) {
      const problem = checkMail(mail);
      if (problem) throw new SendError(554, `refused before sending: ${problem}`);
      const from = mail.from || o.from;
      if (!from) throw new SendError(554, 'no sender address (SMTP_FROM)');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(mail.headers ?? {}))
        headers[name] = oneLine(value);
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: oneLine(mail.subject),
          text: mail.text,
          messageId: mail.messageId,
          headers,
          textEncoding: 'quoted-printable',
        });
      } catch (e) {
        const err = e as Error & { responseCode?: number; code?: string; response?: string };
        const what = oneLine(err.response || err.message || String(e)).slice(0, 160);
        if (typeof err.responseCode === 'number') throw new SendError(err.responseCode, what);
        if (err.code && PERMANENT_WITHOUT_REPLY.has(err.code)) throw new SendError(554, what);
        throw new SendError(0, `${err.code ?? 'error'}: ${what}`);
      }
    },
    async close() {
      transport.close();
    },
  };
}
