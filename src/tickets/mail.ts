import type { OutgoingMail } from '../outbox/outbox.js';
import { formatTime, type CardContext } from './cards.js';
import { ticketTexts as T } from './texts.js';
import type { Ticket } from './ticket.js';

/** Where and how tickets go by e-mail (TICKET_EMAIL_*); null when no ticket is mailed. */
export interface TicketMailSettings {
  mode: 'always' | 'fallback';
  to: string;
  /** Empty: the transport's SMTP_FROM. */
  from: string;
}

/** The outbox key of a ticket's mail: one mail per ticket, whoever enqueues it and how often. */
export const mailKey = (t: Pick<Ticket, 'id'>) => `ticket-mail:${t.id}`;

/**
 * A ticket as a plain-text e-mail to the support mailbox. Its Message-ID is derived from the
 * ticket, so a mail sent again after a crash is the same mail to a mail client. What the user typed
 * goes into the body only, never into a header: the subject is built from the number, the
 * knowledge base's category and our own words.
 */
export function ticketMail(
  t: Ticket,
  ctx: CardContext,
  settings: TicketMailSettings,
  inChannel: boolean,
): OutgoingMail {
  const M = T.mail;
  const facts: [string, string][] = [
    [M.facts.number, String(t.number)],
    [M.facts.category, t.category ?? T.noCategory],
    [M.facts.urgency, T.urgency[t.urgency]],
    [M.facts.level, T.level(t.level, ctx.levelName(t.level))],
    [M.facts.requester, t.requester.name],
    [M.facts.opened, formatTime(t.openedAt, ctx.timeZone)],
  ];
  if (t.reference) facts.push([M.facts.reference, t.reference]);
  const text = [
    M.intro,
    '',
    ...facts.map(([k, v]) => `${k}: ${v}`),
    '',
    M.question,
    t.question,
    '',
    M.botAnswer,
    t.botAnswer,
    '',
    M.howHeading,
    inChannel ? M.howInChannel : M.howNoChannel,
    '',
    M.noReply,
    '',
  ].join('\n');
  return {
    to: settings.to,
    ...(settings.from ? { from: settings.from } : {}),
    subject: M.subject(t.number, t.category ?? T.noCategory, t.urgency === 'urgent'),
    text,
    messageId: `<ticket-${t.id}@websesam-hjalpen>`,
    headers: { 'X-WebSesam-Ticket': String(t.number) },
  };
}
