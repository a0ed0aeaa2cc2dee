import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type { Log } from '../log.js';
import type { Outages } from '../outages/outages.js';
import { outageTexts } from '../outages/texts.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { maskedText, toRequester } from './activity.js';
import { recipientFromActivity } from './conversations.js';
import { channelIdOf } from './notifier.js';

const REGISTER = /^\s*registrera\s+driftkanal\s*[.!]?\s*$/i;

/**
 * The Teams side of outage notices that needs the conversation reference, which only the
 * activity has (as adapter middleware, like the support channel of tickets):
 * - "registrera driftkanal" in a channel: staff make it an announcement channel;
 * - a notice sent from a channel: the channel is kept so the report card can be posted there.
 */
export function outageChannelMiddleware({
  outages,
  remembersChat,
  recipients,
  now,
  log,
}: {
  outages: Outages;
  /** Whether a card action with this verb keeps the channel (the outages feature says). */
  remembersChat: (verb: string) => boolean;
  recipients: RecipientRepository;
  now: () => Date;
  log: Log;
}): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      const activity = context.activity;
      const requester = toRequester(activity);
      const inChannel = requester.conversationType === 'channel';
      if (activity.type === 'message' && REGISTER.test(maskedText(activity))) {
        if (!inChannel) {
          await context.sendActivity({
            type: 'message',
            text: outageTexts.channelOnly,
            textFormat: 'plain',
          });
          return;
        }
        // Kept only once staff are known: someone else's command must not add a recipient.
        const answer = await outages.registerChannel(requester, (await remember(activity)) ?? '');
        log.info(
          { channel: channelIdOf(String(activity.conversation?.id ?? '')) },
          'announcement channel command',
        );
        await context.sendActivity({ type: 'message', text: answer, textFormat: 'plain' });
        return;
      }
      if (activity.type === 'invoke' && inChannel) {
        const verb = String(
          (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '',
        );
        if (remembersChat(verb)) await remember(activity);
      }
      await next();
    },
  };

  /** Stores the channel itself (not the thread) as a recipient; only for staff. */
  async function remember(activity: Activity): Promise<string | undefined> {
    if (!outages.isStaff(toRequester(activity))) return undefined;
    const recipient = recipientFromActivity(activity, now());
    if (!recipient || recipient.kind !== 'channel') return undefined;
    const channelId = channelIdOf(
      (activity.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ||
        String(activity.conversation?.id ?? ''),
    );
    const reference = recipient.reference as { conversation?: Record<string, unknown> };
    recipient.id = `channel:${channelId}`;
    recipient.reference = {
      ...reference,
      conversation: { ...reference.conversation, id: channelId },
    };
    await recipients.upsert(recipient);
    return recipient.id;
  }
}
