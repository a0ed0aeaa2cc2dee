import type { OutgoingMail } from './outbox.js';

/**
 * Rules for an e-mail in the outbox, apart from how it is sent: what may be stored (checked at
 * enqueue) and what a header value may carry (applied at the transport).
 */

/** One plain address: no display name, no list, nothing that could end a header line. */
const ADDRESS = /^[^\s<>,;:"()[\]\\@]+@[^\s<>,;:"()[\]\\@]+\.[^\s<>,;:"()[\]\\@]+$/;
/** `<left@right>` (RFC 5322 msg-id), no spaces or line breaks. */
const MESSAGE_ID = /^<[^<>\s@]+@[^<>\s@]+>$/;
/** A header name: RFC 5322 ftext, kept to letters, digits and dashes. */
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,75}$/;
/** Headers the transport sets itself from the message's fields: never from `headers`. */
const RESERVED = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'sender',
  'reply-to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'content-disposition',
  'return-path',
  'received',
]);

export const isMailAddress = (s: unknown): s is string =>
  typeof s === 'string' && s.length <= 254 && ADDRESS.test(s);

/** Why a mail cannot be stored, or undefined when it can. */
export function checkMail(m: OutgoingMail): string | undefined {
  if (!m || typeof m !== 'object') return 'mail must be an object';
  if (!isMailAddress(m.to)) return 'mail.to must be one e-mail address';
  if (m.from !== undefined && m.from !== '' && !isMailAddress(m.from))
    return 'mail.from must be one e-mail address';
  if (typeof m.subject !== 'string') return 'mail.subject must be a string';
  if (typeof m.text !== 'string') return 'mail.text must be a string';
  if (typeof m.messageId !== 'string' || !MESSAGE_ID.test(m.messageId) || m.messageId.length > 250)
    return 'mail.messageId must look like <id@host>';
  if (m.headers !== undefined) {
    if (!m.headers || typeof m.headers !== 'object') return 'mail.headers must be an object';
    for (const [name, value] of Object.entries(m.headers)) {
      if (!HEADER_NAME.test(name)) return `mail header name ${JSON.stringify(name.slice(0, 80))}`;
      if (RESERVED.has(name.toLowerCase())) return `mail header ${name} is set by the outbox`;
      if (typeof value !== 'string') return `mail header ${name} must be a string`;
    }
  }
  return undefined;
}

/**
 * A header value on one line: CR, LF and other control characters become spaces, so text a user
 * typed (a ticket's question as subject) can never start a header of its own. Applied at the
 * transport, whatever was stored.
 */
export const oneLine = (s: string): string =>
  s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
