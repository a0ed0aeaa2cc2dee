import {
  CloudAdapter,
  type ConversationParameters,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder';
import type { Reply } from '../conversation/replies.js';
import { SendError, type Sender } from '../outbox/outbox.js';
import type { RenderCard } from '../cards/render.js';
import { toActivity } from './activity.js';

/**
 * The outbox's way into Teams: proactive sends, in-place updates and new channel threads.
 *
 * The connector client's own retry policy is taken out: it gives up on a 429 without Retry-After
 * and on 412, and its hidden waits and repeats would spoil the outbox's pacing. The outbox alone
 * decides when to try again.
 * The adapter is asked for late: the outbox is composed before the adapter and sends only once started.
 */
export function createNotifier(
  adapterOf: () => CloudAdapter,
  appId: string,
  renderCard: RenderCard,
): Sender {
  /** Runs `work` in a proactive turn; a failure comes back as a SendError instead of reaching onTurnError. */
  async function inTurn<T>(
    reference: ConversationReference,
    work: (context: TurnContext) => Promise<T>,
  ): Promise<T> {
    const adapter = adapterOf();
    let result: { value: T } | undefined;
    let failure: unknown;
    try {
      // In local mode the app id is '' and CloudAdapter sends without a token: the fake connector accepts it.
      await adapter.continueConversationAsync(appId, reference, async (context) => {
        withoutSdkRetries(context, adapter);
        try {
          result = { value: await work(context) };
        } catch (e) {
          // Caught here: thrown out of the turn, the error would end in onTurnError and be lost.
          failure = e;
        }
      });
    } catch (e) {
      failure = e; // e.g. no token could be had for the connector
    }
    if (failure !== undefined) throw toSendError(failure);
    if (!result) throw new SendError(0, 'the proactive turn did not run');
    return result.value;
  }

  return {
    async send(reference, reply: Reply) {
      const ref = reference as ConversationReference;
      const response = await inTurn(ref, (context) =>
        context.sendActivity(toActivity(reply, renderCard)),
      );
      return { conversationId: ref.conversation.id, activityId: response?.id ?? '' };
    },

    async update(reference, activityId, reply: Reply) {
      await inTurn(reference as ConversationReference, (context) =>
        context.updateActivity({ ...toActivity(reply, renderCard), id: activityId }),
      );
    },

    async createThread(channelReference, reply: Reply) {
      const ref = channelReference as ConversationReference;
      return inTurn(ref, async (context) => {
        // Not CloudAdapter.createConversationAsync: its callback sees the new conversation id as
        // the activity id and drops the real one (TeamsInfo.sendMessageToTeamsChannel has the same
        // flaw under CloudAdapter). The connector's createConversation answers with both.
        const client = context.turnState.get(adapterOf().ConnectorClientKey);
        const parameters = {
          isGroup: true,
          bot: ref.bot,
          tenantId: ref.conversation.tenantId,
          channelData: {
            channel: { id: channelIdOf(ref.conversation.id) },
            tenant: { id: ref.conversation.tenantId },
          },
          activity: toActivity(reply, renderCard),
        } as ConversationParameters;
        const created = await client.conversations.createConversation(parameters);
        if (!created?.id || !created.activityId)
          throw new SendError(502, 'createConversation gave no conversation or activity id');
        return { conversationId: created.id, activityId: created.activityId };
      });
    },

    withConversation(reference, conversationId) {
      const ref = reference as ConversationReference;
      return {
        ...ref,
        conversation: { ...ref.conversation, id: conversationId },
        activityId: undefined,
      };
    },
  };
}

/** A channel's conversation id, without the `;messageid=` of the thread a message came from. */
export const channelIdOf = (conversationId: string) => conversationId.split(';')[0];

function withoutSdkRetries(context: TurnContext, adapter: CloudAdapter) {
  const client = context.turnState.get(adapter.ConnectorClientKey) as
    { client?: { pipeline?: { removePolicy(p: { name: string }): unknown } } } | undefined;
  client?.client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
}

/** A connector failure as the outbox needs it: the HTTP status (0 for no answer) and Retry-After. */
export function toSendError(e: unknown): SendError {
  if (e instanceof SendError) return e;
  const err = e as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { status?: number; headers?: { get?(name: string): string | undefined } };
  };
  const status = Number(err?.statusCode ?? err?.response?.status ?? 0) || 0;
  const retryAfter = parseRetryAfter(err?.response?.headers?.get?.('retry-after'), Date.now());
  const reason = [err?.code, err?.message].filter(Boolean).join(': ') || String(e);
  return new SendError(status, reason.slice(0, 200), retryAfter);
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
