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
    name: personal ? requester.name : String((activity.channelData as { channel?: { name?: string } })?.channel?.name ?? ''),
    tenantId: requester.tenantId,
    reference: { ...reference, activityId: undefined },
    firstSeenAt: now.toISOString(),
  };
}
