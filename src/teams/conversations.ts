import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';
import type { Recipient } from '../recipients/repository.js';
import { toRequester } from './activity.js';

/** The recipient record for the conversation an activity came from. */
export function recipientFromActivity(activity: Activity, now: Date): Recipient | undefined {
  const reference = TurnContext.getConversationReference(activity) as ConversationReference;
  if (!reference.conversation?.id || !reference.serviceUrl) return undefined;
  const requester = toRequester(activity);
  const personal = requester.conversationType === 'personal';
  return {
    id: personal ? `user:${requester.userId}` : `channel:${reference.conversation.id}`,
    kind: personal ? 'user' : 'channel',
    name: personal
      ? requester.name
      : String((activity.channelData as { channel?: { name?: string } })?.channel?.name ?? ''),
    tenantId: requester.tenantId,
    reference: withoutActivityId(reference),
    firstSeenAt: now.toISOString(),
  };
}

/**
 * The reference to the conversation, not to the message that brought it. The key is left out
 * rather than set to undefined: JSON drops undefined, so a reference read back from disk would
 * otherwise never equal a fresh one, and every known user's next message would rewrite the file.
 */
function withoutActivityId(reference: ConversationReference): Partial<ConversationReference> {
  const { activityId: _activityId, ...rest } = reference;
  return rest;
}
