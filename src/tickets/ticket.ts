import { withEvent as withVersionedEvent } from '../history/with-event.js';

/** A support case, from the bot's "I don't know" to the user's "yes, that solved it". */

export type TicketId = string;
export type TicketStatus = 'open' | 'taken' | 'resolved' | 'closed';
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Someone acting on a ticket, as the domain knows them. */
export interface Actor {
  /** Entra ID object id where Teams gives one. */
  id: string;
  name: string;
  tenantId: string;
}

export interface Person {
  id: string;
  name: string;
}

export type TicketEventKind =
  | 'opened'
  | 'taken'
  | 'answered'
  | 'escalated'
  | 'assigned'
  | 'resolved'
  | 'reopened'
  | 'confirmed'
  | 'posted';

/** One line of the history: who, when, what. `version` is the ticket version it produced. */
export interface TicketEvent {
  version: number;
  kind: TicketEventKind;
  at: string;
  by: Person;
  /** Answer, reason or solution text (masked). */
  text?: string;
  /** Level after an escalation. */
  level?: number;
  /** New assignee. */
  to?: Person;
  /** True when the requester, not staff, did it (Ja/Nej on a solved ticket). */
  byRequester?: boolean;
}

export interface Ticket {
  id: TicketId;
  /** Human-friendly, from a sequence that never hands out a confirmed number twice. */
  number: number;
  /** Optimistic concurrency: each change adds one; a save must follow the version it read. */
  version: number;
  /** The form the ticket came from: submitting the same form twice gives the same ticket. */
  draftId: string;
  status: TicketStatus;
  /** 1-based step of the support chain. */
  level: number;
  /** Knowledge-base category of the topic the bot tried, if any. */
  category: string | null;
  topicId: string | null;
  requester: Actor;
  /** What happened, in the user's words, personnummer masked. */
  question: string;
  /** What the bot answered before the ticket (topic title or "no answer"). */
  botAnswer: string;
  urgency: Urgency;
  /** Optional patient or order reference, masked. */
  reference: string | null;
  openedAt: string;
  updatedAt: string;
  assignee: Person | null;
  /** Recipient id of the channel whose thread carries the ticket's card, once posted. */
  channel: string | null;
  history: TicketEvent[];
}

/** The ticket after one more event: a new object, the old one untouched. */
export const withEvent = (
  ticket: Ticket,
  event: Omit<TicketEvent, 'version'>,
  change: Partial<Ticket> = {},
): Ticket => withVersionedEvent<TicketEvent, Ticket>(ticket, event, change);

export const isActive = (t: Ticket) => t.status === 'open' || t.status === 'taken';

/** When a person last did something to the ticket: what "untouched" is measured from. */
export const lastTouchedAt = (t: Ticket) =>
  new Date(t.history[t.history.length - 1]?.at ?? t.openedAt);
