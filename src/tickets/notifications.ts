import { plainCardText } from '../cards/render.js';
import { text, type Reply } from '../conversation/replies.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import { staffCard, userCard, type CardContext } from './cards.js';
import { levelOf, type SupportChain } from './chain.js';
import type { TicketNotifier } from './tickets.js';
import { ticketTexts as T } from './texts.js';
import type { Ticket, TicketEvent } from './ticket.js';
import { mailKey, ticketMail, type TicketMailSettings } from './mail.js';

export interface NotifierDeps {
  outbox: Outbox;
  chain: SupportChain;
  cards: CardContext;
  staff: () => Promise<Record<string, string>>;
  /** Tickets by e-mail to the support mailbox; null: none. */
  mail?: TicketMailSettings | null;
}

/** The outbox key of the message that starts a ticket's thread in its channel. */
export const threadKey = (t: Pick<Ticket, 'id'>) => `ticket:${t.id}:thread`;

/**
 * A ticket's changes as outbox messages. Keys are derived from the ticket and its version, so that
 * handing the same change over twice (after a crash, on recovery) still sends it once.
 */
export function createOutboxNotifier({
  outbox,
  chain,
  cards,
  staff,
  mail,
}: NotifierDeps): TicketNotifier {
  const userTo = (t: Ticket) => ({ recipientId: `user:${t.requester.id}` });

  function toUser(t: Ticket, e: TicketEvent): Reply | undefined {
    const who = e.by.name;
    switch (e.kind) {
      case 'taken':
        return text(T.userTaken(t.number, who, T.level(t.level, levelOf(chain, t.level).name)));
      case 'answered':
        return text(T.userAnswer(t.number, who, e.text ?? ''));
      case 'escalated':
        return text(
          T.userEscalated(
            t.number,
            levelOf(chain, e.level ?? t.level).userNotice,
            chain.answersReturn,
          ),
        );
      case 'assigned':
        return text(T.userAssigned(t.number, e.to?.name ?? ''));
      case 'resolved':
        // The Ja/Nej buttons carry the version right after the solution, so a click on an old
        // "solved?" card after a reopen is stale and changes nothing.
        return userCard(
          { ...t, status: 'resolved', version: e.version },
          cards,
          T.userResolvedHeading(t.number),
          [plainCardText(e.text ?? '')],
        );
      case 'reopened':
        return e.byRequester ? undefined : text(T.userReopened(t.number));
      default:
        return undefined;
    }
  }

  function toThread(t: Ticket, e: TicketEvent): Reply | undefined {
    if (e.kind === 'reopened' && e.byRequester)
      return text(T.threadReopenedByUser(t.number, e.by.name));
    if (e.kind === 'confirmed') return text(T.threadConfirmed(t.number, e.by.name));
    return undefined;
  }

  return {
    async changed(t, afterVersion) {
      const messages: OutgoingMessage[] = [];
      const events = t.history.filter((e) => e.version > afterVersion);
      const staffNames = await staff();
      const posted = events.some((e) => e.kind === 'opened' || e.kind === 'posted');
      if (t.channel && posted) {
        messages.push({
          key: threadKey(t),
          op: 'create-thread',
          to: { recipientId: t.channel },
          reply: staffCard(t, cards, staffNames),
        });
      } else if (t.channel && events.length) {
        messages.push({
          key: `ticket:${t.id}:card:v${t.version}`,
          op: 'update',
          of: threadKey(t),
          reply: staffCard(t, cards, staffNames),
        });
      }
      // A new ticket goes to the support mailbox in the same enqueue as its thread: stored
      // together, so after a crash recovery hands both again and the keys make each one once.
      const opened = events.some((e) => e.kind === 'opened');
      if (mail && opened && (mail.mode === 'always' || !t.channel))
        messages.push({
          key: mailKey(t),
          op: 'email',
          mail: ticketMail(t, cards, mail, Boolean(t.channel)),
        });
      for (const e of events) {
        const user = toUser(t, e);
        if (user)
          messages.push({
            key: `ticket:${t.id}:v${e.version}:user`,
            op: 'send',
            to: userTo(t),
            reply: user,
          });
        const note = t.channel ? toThread(t, e) : undefined;
        if (note)
          messages.push({
            key: `ticket:${t.id}:v${e.version}:note`,
            op: 'send',
            to: { threadOf: threadKey(t) },
            reply: note,
          });
      }
      if (messages.length) await outbox.enqueue(messages);
    },

    async remind(t, hours, round) {
      await outbox.enqueue([
        {
          key: `ticket:${t.id}:v${t.version}:reminder:${round}`,
          op: 'send',
          to: { threadOf: threadKey(t) },
          reply: text(T.reminder(t.number, hours)),
        },
      ]);
    },
  };
}
