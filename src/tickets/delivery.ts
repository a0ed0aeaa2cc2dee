import { text } from '../conversation/replies.js';
import type { Log } from '../log.js';
import type { DeliveryStatus, Outbox } from '../outbox/outbox.js';
import type { CardContext } from './cards.js';
import { mailKey, ticketMail, type TicketMailSettings } from './mail.js';
import { threadKey } from './notifications.js';
import type { SupportChannelRepository, TicketRepository } from './repository.js';
import { ticketTexts as T } from './texts.js';
import { isActive, type Ticket } from './ticket.js';

/**
 * Whether a ticket has reached support, read from the outbox: `delivered` once a channel post or a
 * mail was accepted; `pending` while one is on its way; `nowhere` when no way is left (no channel
 * and no e-mail, or every way failed).
 */
export type TicketDelivery = 'delivered' | 'pending' | 'nowhere';

export interface DeliveryDeps {
  repo: TicketRepository;
  channels: SupportChannelRepository;
  outbox: Outbox;
  cards: CardContext;
  mail: TicketMailSettings | null;
  log: Log;
}

const deliveredKey = (t: Pick<Ticket, 'id'>) => `ticket:${t.id}:delivered:user`;
const undeliveredKey = (t: Pick<Ticket, 'id'>) => `ticket:${t.id}:undelivered:user`;
const userTo = (t: Ticket) => ({ recipientId: `user:${t.requester.id}` });
const accepted = (s: DeliveryStatus | undefined) => s?.state === 'sent';
const underway = (s: DeliveryStatus | undefined) => s?.state === 'pending';
const lost = (s: DeliveryStatus | undefined) => s?.state === 'failed' || s?.state === 'gone';

/**
 * The user is told the truth about their new ticket: "sparat" at once, "Supporten har fått ditt
 * ärende" only once the outbox says a channel post or a mail was accepted, as a message of its own
 * through the outbox. In `fallback` mode a ticket whose channel post failed goes by mail instead.
 */
export function createDeliveryWatcher(d: DeliveryDeps) {
  const waiting = new Set<string>();

  async function delivery(t: Ticket): Promise<TicketDelivery> {
    const thread = t.channel ? await d.outbox.status(threadKey(t)) : undefined;
    const mail = await d.outbox.status(mailKey(t));
    if (accepted(thread) || accepted(mail)) return 'delivered';
    // A channel post not yet handed to the outbox (a crash before recovery) is on its way too.
    if ((t.channel && !lost(thread)) || underway(mail)) return 'pending';
    return 'nowhere';
  }

  async function checkOne(t: Ticket): Promise<void> {
    const state = await delivery(t);
    if (state === 'delivered') {
      // The key makes it once, however many instances or checks get here.
      await d.outbox.enqueue([
        { key: deliveredKey(t), op: 'send', to: userTo(t), reply: text(T.userDelivered(t.number)) },
      ]);
      waiting.delete(t.id);
      return;
    }
    if (state === 'pending') return;
    // The channel post failed (the bot was removed from the channel, say): the mailbox takes it.
    if (d.mail && !(await d.outbox.status(mailKey(t)))) {
      d.log.warn({ ticket: t.number }, 'ticket channel post failed: sending the ticket by e-mail');
      await d.outbox.enqueue([
        { key: mailKey(t), op: 'email', mail: ticketMail(t, d.cards, d.mail, false) },
      ]);
      return;
    }
    const tried =
      (t.channel && (await d.outbox.status(threadKey(t)))) || (await d.outbox.status(mailKey(t)));
    if (tried && !(await d.outbox.status(undeliveredKey(t)))) {
      d.log.error({ ticket: t.number }, 'ticket reached nobody: every way to support failed');
      await d.outbox.enqueue([
        {
          key: undeliveredKey(t),
          op: 'send',
          to: userTo(t),
          reply: text(T.userUndelivered(t.number)),
        },
      ]);
    }
    // Still waiting: a support channel registered later posts it, and then the user hears.
  }

  return {
    delivery,
    /** A new ticket: its user hears once it has reached support. */
    watch(t: Ticket) {
      waiting.add(t.id);
    },
    waitingCount: () => waiting.size,
    /** After a start: open tickets whose user has not heard yet are watched again. */
    async resume(tickets: Ticket[]): Promise<void> {
      for (const t of tickets)
        if (t.status === 'open' && !(await d.outbox.status(deliveredKey(t)))) waiting.add(t.id);
    },
    /** One round: whatever has reached support since is told to its user. */
    async check(): Promise<number> {
      let told = 0;
      for (const id of [...waiting]) {
        const t = await d.repo.get(id);
        if (!t || !isActive(t)) {
          waiting.delete(id);
          continue;
        }
        await checkOne(t);
        if (!waiting.has(id)) told++;
      }
      return told;
    },
    /** Why new tickets may reach nobody, for the log, /healthz and staff. */
    async warnings(): Promise<string[]> {
      return d.mail || (await d.channels.get('')) ? [] : [T.noRouteWarning];
    },
  };
}

export type DeliveryWatcher = ReturnType<typeof createDeliveryWatcher>;
