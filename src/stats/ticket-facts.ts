import type { TicketFact, TicketFactsSource } from './tickets.js';

/**
 * The part of a ticket (src/tickets/ticket.ts) that statistics read. Structural, so statistics
 * depend on the ticket's shape, not on the tickets module.
 */
export interface TicketLike {
  id: string;
  category: string | null;
  /** The topic the bot answered with before the ticket, if it answered. */
  topicId?: string | null;
  level: number;
  openedAt: string;
  history: { kind: string; at: string; level?: number; byRequester?: boolean }[];
}

// Staff picking a ticket up or answering it is the first response; a requester's own
// events ("Ja, det löste det") are not.
const RESPONSES = new Set(['taken', 'answered', 'resolved']);

/** What a ticket's history says for statistics. */
export function factOf(t: TicketLike): TicketFact {
  let firstResponseAt: Date | null = null;
  let resolvedAt: Date | null = null;
  let maxLevel = Math.max(1, t.level || 1);
  for (const e of t.history) {
    if (!firstResponseAt && RESPONSES.has(e.kind) && !e.byRequester)
      firstResponseAt = new Date(e.at);
    if (e.kind === 'escalated' && typeof e.level === 'number')
      maxLevel = Math.max(maxLevel, e.level);
    // Reopened means not resolved after all: the resolution time is that of the last resolve.
    if (e.kind === 'resolved') resolvedAt = new Date(e.at);
    if (e.kind === 'reopened') resolvedAt = null;
  }
  return {
    id: t.id,
    category: t.category,
    afterAnswer: typeof t.topicId === 'string' && t.topicId !== '',
    openedAt: new Date(t.openedAt),
    firstResponseAt,
    resolvedAt,
    maxLevel,
  };
}

/**
 * Ticket facts from any list of tickets. Tickets are few (hundreds a quarter), so they are read
 * on request instead of counted on append.
 */
export function ticketFactsFrom(list: () => Promise<TicketLike[]>): TicketFactsSource {
  return {
    async openedBetween(from, to) {
      const a = from.getTime();
      const b = to.getTime();
      return (await list())
        .filter((t) => {
          const at = Date.parse(t.openedAt);
          return at >= a && at < b;
        })
        .map(factOf);
    },
  };
}
