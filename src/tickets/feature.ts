import type { Feature } from '../features/feature.js';
import { ticketTemplates } from './cards.js';
import type { setupTickets } from './setup.js';

type TicketsSetup = Awaited<ReturnType<typeof setupTickets>>;
type TicketVerb = keyof TicketsSetup['chat']['verbs'];

/** Tickets: their cards, what the buttons do, the chat commands. */
export function ticketsFeature(tickets: TicketsSetup): Feature<TicketVerb> {
  const verbs = tickets.chat.verbs;
  return {
    name: 'tickets',
    verbs,
    templates: ticketTemplates,
    handlers: [tickets.chat.handler],
    // Every ticket action in a personal chat keeps the user reachable for the ticket's later steps.
    remembersChat: Object.keys(verbs) as TicketVerb[],
  };
}
