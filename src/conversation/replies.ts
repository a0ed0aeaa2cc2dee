import type { CardName } from '../cards/render.js';

/** What the bot says, before it becomes a Bot Framework activity: a card by template, or text. */
export type Reply =
  { kind: 'card'; template: CardName | string; data: object } | { kind: 'text'; text: string };

export const card = (template: CardName | string, data: object): Reply => ({
  kind: 'card',
  template,
  data,
});
export const text = (t: string): Reply => ({ kind: 'text', text: t });

/** Who is asking or clicking, as the domain sees them. */
export interface Requester {
  /** Stable user id: the Entra ID object id where Teams gives one, else the channel account id. */
  userId: string;
  name: string;
  tenantId: string;
  conversationId: string;
  conversationType: 'personal' | 'channel' | 'groupChat';
  /** Teams team id, in a channel. */
  teamId?: string;
}

/** The outcome of a card click: replies to send, and the card that replaces the clicked one. */
export interface ActionResult {
  replies: Reply[];
  updatedCard?: Reply;
}

/** A message handler looks at a masked question; undefined means "not mine, ask the next". */
export type MessageHandler = (
  requester: Requester,
  question: string,
) => Promise<Reply[] | undefined>;

/** A card verb handler: the data comes from the card and is not trusted. */
export type VerbHandler = (
  requester: Requester,
  data: Record<string, unknown>,
) => Promise<ActionResult>;

export class UnknownVerbError extends Error {
  constructor(readonly verb: string) {
    super(`Unknown card verb ${verb}`);
  }
}
