import { CardFactory, type Activity, type TurnContext } from 'botbuilder';
import type { RenderCard } from '../cards/render.js';
import type { Reply, Requester } from '../conversation/replies.js';
import { maskPersonnummer } from '../privacy/mask.js';

/**
 * The user's text without @mentions and HTML, personnummer masked: the only text the domain sees.
 * Line breaks stay (a pasted e-mail's greeting, question and signature are lines of their own,
 * which is how the knowledge base tells them apart); other runs of whitespace become one space.
 */
export function maskedText(activity: Partial<Activity>): string {
  const raw = typeof activity.text === 'string' ? activity.text : '';
  const plain = raw
    .replace(/<at>[^<]*<\/at>/gi, ' ') // "@webSesam-hjälpen" in a channel
    .replace(/<br\s*\/?>|<\/(p|div|li)>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return maskPersonnummer(plain);
}

const conversationTypes = new Set(['personal', 'channel', 'groupChat']);

/** Who sent the activity, as the domain knows them. */
export function toRequester(activity: Partial<Activity>): Requester {
  const from = activity.from;
  const type = activity.conversation?.conversationType ?? 'personal';
  const channelData = (activity.channelData ?? {}) as {
    tenant?: { id?: string };
    team?: { id?: string };
  };
  return {
    userId: String(from?.aadObjectId || from?.id || 'okänd'),
    name: String(from?.name ?? ''),
    tenantId: String(activity.conversation?.tenantId ?? channelData.tenant?.id ?? ''),
    conversationId: String(activity.conversation?.id ?? ''),
    conversationType: (conversationTypes.has(type)
      ? type
      : 'personal') as Requester['conversationType'],
    teamId: channelData.team?.id,
  };
}

/** A domain reply as a Bot Framework activity. */
export function toActivity(reply: Reply, renderCard: RenderCard): Partial<Activity> {
  if (reply.kind === 'text') return { type: 'message', text: reply.text, textFormat: 'plain' };
  return {
    type: 'message',
    attachments: [CardFactory.adaptiveCard(renderCard(reply.template, reply.data))],
  };
}

export async function sendReplies(
  context: TurnContext,
  replies: Reply[],
  renderCard: RenderCard,
): Promise<void> {
  if (replies.length) await context.sendActivities(replies.map((r) => toActivity(r, renderCard)));
}
