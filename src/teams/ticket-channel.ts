import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Log } from '../log.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { registerChannelCommand } from '../tickets/intent.js';
import { toActor } from '../tickets/chat.js';
import { ticketTexts as T } from '../tickets/texts.js';
import type { Tickets } from '../tickets/tickets.js';
import { maskedText, toRequester } from './activity.js';
import { recipientFromActivity } from './conversations.js';

export interface TicketChannelDeps {
  tickets: Tickets;
  /** What keeps new tickets from reaching support; staff are told when they write to the bot. */
  warnings?: () => Promise<string[]>;
  /** Whether a card action with this verb keeps the chat (the tickets feature says). */
  remembersChat: (verb: string) => boolean;
  recipients: RecipientRepository;
  now: () => Date;
  log: Log;
}

/**
 * The Teams side of where tickets go and come from, as adapter middleware because both need the
 * conversation reference, which only the activity has:
 * - "registrera supportkanal [namn]" in a channel: staff make it the support channel (or a
 *   routing target); its reference is kept as a channel recipient so threads can be started there.
 * - a ticket card action in a personal chat keeps the user reachable, so that every later step of
 *   the ticket reaches them even if the bot never stored their chat before.
 */
/** Staff hear a warning at most this often (per person, per process): told, not nagged. */
const WARN_EVERY_MS = 24 * 3600_000;

export function ticketChannelMiddleware({
  tickets,
  warnings,
  remembersChat,
  recipients,
  now,
  log,
}: TicketChannelDeps): Middleware {
  const warned = new Map<string, number>();
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      const activity = context.activity;
      const requester = toRequester(activity);
      if (activity.type === 'invoke' && requester.conversationType === 'personal') {
        const verb = String(
          (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '',
        );
        if (remembersChat(verb)) await remember(activity);
      }
      if (activity.type === 'message' && requester.conversationType === 'channel') {
        const command = registerChannelCommand(maskedText(activity));
        if (command) {
          const actor = toActor(requester);
          if (!tickets.isStaff(actor)) {
            await context.sendActivity({ type: 'message', text: T.notStaff, textFormat: 'plain' });
            return;
          }
          const recipient = await remember(activity);
          if (!recipient) return;
          const posted = await tickets.registerChannel(actor, recipient, command.name);
          log.info(
            { channel: recipient, name: command.name, posted },
            'support channel registered',
          );
          const said = command.name ? T.channelRegisteredNamed(command.name) : T.channelRegistered;
          await context.sendActivity({
            type: 'message',
            text: posted ? `${said} ${T.channelPostedWaiting(posted)}` : said,
            textFormat: 'plain',
          });
          return; // handled: not a question for the knowledge base
        }
      }
      if (activity.type === 'message' && warnings && tickets.isStaff(toActor(requester))) {
        const at = now().getTime();
        const last = warned.get(requester.userId);
        if (last === undefined || at - last >= WARN_EVERY_MS) {
          const said = await warnings();
          if (said.length) {
            warned.set(requester.userId, at);
            await context.sendActivity({
              type: 'message',
              text: said.join('\n\n'),
              textFormat: 'plain',
            });
          }
        }
      }
      await next();
    },
  };

  /** Stores the conversation as a recipient; a channel by the channel itself, not the thread. */
  async function remember(activity: Activity): Promise<string | undefined> {
    const recipient = recipientFromActivity(activity, now());
    if (!recipient) return undefined;
    if (recipient.kind === 'channel') {
      const channelId =
        (activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ||
        String(activity.conversation?.id ?? '').split(';')[0];
      const reference = recipient.reference as { conversation?: Record<string, unknown> };
      recipient.id = `channel:${channelId}`;
      recipient.reference = {
        ...reference,
        conversation: { ...reference.conversation, id: channelId },
      };
    }
    await recipients.upsert(recipient);
    return recipient.id;
  }
}
