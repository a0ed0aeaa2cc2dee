import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
} from 'botbuilder';
import type { RenderCard } from '../cards/render.js';
import type { Conversation } from '../conversation/conversation.js';
import {
  UnknownVerbError,
  type ActionResult,
  type Reply,
  type Requester,
} from '../conversation/replies.js';
import type { Log } from '../log.js';
import { maskDeep } from '../privacy/mask.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { texts } from '../texts.js';
import { maskedText, sendReplies, toRequester } from './activity.js';
import { recipientFromActivity } from './conversations.js';

export interface BotDeps {
  conversation: Conversation;
  recipients: RecipientRepository;
  log: Log;
  now: () => Date;
  /** The features' card templates. */
  renderCard: RenderCard;
  /** Turns a feature's named errors (e.g. a refused ticket action) into what the clicker sees. */
  explainError?: (e: unknown, requester: Requester) => Promise<ActionResult | undefined>;
}

/** Translates Teams activities to the domain and back; it decides nothing itself. */
export class SupportBot extends TeamsActivityHandler {
  constructor(private readonly deps: BotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onConversationUpdate(async (context, next) => {
      const botAdded = (context.activity.membersAdded ?? []).some(
        (m) => m.id === context.activity.recipient?.id,
      );
      if (botAdded && context.activity.conversation?.conversationType === 'personal') {
        await this.remember(context);
        await sendReplies(context, [deps.conversation.welcome()], deps.renderCard);
      }
      await next();
    });
    this.onInstallationUpdateAdd(async (context, next) => {
      if (context.activity.conversation?.conversationType === 'personal')
        await this.remember(context);
      await next();
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const requester = toRequester(context.activity);
    const value = context.activity.value as Record<string, unknown> | undefined;
    // An Action.Submit (the fallback of Action.Execute on older clients) arrives as a message.
    if (value && typeof value === 'object' && typeof value.verb === 'string') {
      const result = await this.runVerb(requester, value.verb, value);
      await sendReplies(
        context,
        result.updatedCard ? [result.updatedCard, ...result.replies] : result.replies,
        this.deps.renderCard,
      );
      return;
    }
    const question = maskedText(context.activity);
    if (!question) {
      await sendReplies(
        context,
        [
          {
            kind: 'text',
            text: context.activity.attachments?.length ? texts.notText : texts.emptyQuestion,
          },
        ],
        this.deps.renderCard,
      );
      return;
    }
    const firstContact =
      requester.conversationType === 'personal' && (await this.remember(context));
    const replies = await this.deps.conversation.ask(requester, question);
    // A first "hej" is answered with the welcome already: once is enough.
    const welcomed = replies.some((r) => r.kind === 'card' && r.template === 'welcome');
    await sendReplies(
      context,
      firstContact && !welcomed ? [this.deps.conversation.welcome(), ...replies] : replies,
      this.deps.renderCard,
    );
  }

  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invoke: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    // Cards send a verb and ids, never state we trust; the domain decides who may do what.
    const data = (invoke.action.data ?? {}) as Record<string, unknown>;
    const result = await this.runVerb(toRequester(context.activity), invoke.action.verb, data);
    if (result.replies.length) await sendReplies(context, result.replies, this.deps.renderCard);
    if (result.updatedCard) return cardResponse(result.updatedCard, this.deps.renderCard);
    // Teams shows a message response's string under the card: never leave that bar empty.
    return messageResponse(result.replies.length ? texts.actionAnswered : texts.actionDone);
  }

  private async runVerb(
    requester: ReturnType<typeof toRequester>,
    verb: string,
    data: Record<string, unknown>,
  ): Promise<ActionResult> {
    try {
      return await this.deps.conversation.act(
        requester,
        String(verb).slice(0, 100),
        maskDeep(data),
      );
    } catch (e) {
      if (e instanceof UnknownVerbError) {
        this.deps.log.info({ verb: e.verb.slice(0, 100) }, 'unknown card verb');
        return { replies: [{ kind: 'text', text: texts.unknownAction }] };
      }
      const explained = await this.deps.explainError?.(e, requester);
      if (explained) return explained;
      throw e;
    }
  }

  /** Keeps the conversation reference so later features can write first; true if new. */
  private async remember(context: TurnContext): Promise<boolean> {
    const recipient = recipientFromActivity(context.activity, this.deps.now());
    return recipient ? this.deps.recipients.upsert(recipient) : false;
  }
}

/**
 * Universal Actions answer a click with a card that replaces the clicked one, or with a message
 * (a string) that Teams shows under the card to the clicker alone.
 */
function messageResponse(message: string): AdaptiveCardInvokeResponse {
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.activity.message',
    value: (message.trim() || texts.actionDone) as never,
  };
}

function cardResponse(reply: Reply, renderCard: RenderCard): AdaptiveCardInvokeResponse {
  if (reply.kind === 'text') return messageResponse(reply.text);
  return {
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: renderCard(reply.template, reply.data) as never,
  };
}
