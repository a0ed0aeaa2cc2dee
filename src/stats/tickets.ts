/**
 * What statistics need to know about a ticket, and nothing more: the tickets module owns the
 * ticket, this is the question statistics ask it.
 */
export interface TicketFact {
  id: string;
  category: string | null;
  /** Opened after the bot answered with a topic: that answer did not solve it at nivå 0. */
  afterAnswer: boolean;
  openedAt: Date;
  /** First answer or pick-up by staff; null while nobody has responded. */
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  /** Highest support level the ticket reached: 1, 2 or 3. */
  maxLevel: number;
}

export interface TicketFactsSource {
  /** Tickets opened in [from, to). */
  openedBetween(from: Date, to: Date): Promise<TicketFact[]>;
}

/** Until tickets exist: no tickets, so the ticket figures read 0. */
export const noTickets: TicketFactsSource = { openedBetween: async () => [] };
