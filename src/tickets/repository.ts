import type { Ticket, TicketId } from './ticket.js';

/** Where tickets are kept. Every method that changes something resolves only once it is durable. */
export interface TicketRepository {
  get(id: TicketId): Promise<Ticket | undefined>;
  /** The ticket made from a form, so that submitting a form twice opens one ticket. */
  byDraft(draftId: string): Promise<Ticket | undefined>;
  /** A number no confirmed ticket has: the sequence is stored with each ticket that uses it. */
  nextNumber(): Promise<number>;
  /** Resolves once durable; throws StaleTicketError unless stored version = ticket.version - 1. */
  save(ticket: Ticket): Promise<void>;
  listByRequester(userId: string): Promise<Ticket[]>;
  /** Tickets still being worked on (open or taken). */
  listActive(): Promise<Ticket[]>;
  /** Tickets whose messages for versions after `notified` may not have reached the outbox. */
  listUnnotified(): Promise<{ ticket: Ticket; notified: number }[]>;
  /** Records that the outbox holds every message up to this version (recovery bookkeeping). */
  markNotified(id: TicketId, version: number): Promise<void>;
}

/** The channels tickets are posted in, registered by staff: the default one and named ones. */
export interface SupportChannelRepository {
  /** Recipient id of the channel registered under a name ('' is the support channel). */
  get(name: string): Promise<string | undefined>;
  set(name: string, recipientId: string): Promise<void>;
  /** Staff members seen acting, so that Tilldela can offer them by name. */
  staff(): Promise<Record<string, string>>;
  rememberStaff(id: string, name: string): Promise<void>;
}
