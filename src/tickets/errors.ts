import type { Ticket } from './ticket.js';

/** Named errors of the ticket domain; `teams/ticket-errors.ts` turns them into short Swedish replies. */
export class TicketError extends Error {}

export class TicketNotFoundError extends TicketError {
  constructor(readonly ticketId: string) {
    super(`No ticket ${ticketId.slice(0, 80)}`);
  }
}

/** The actor may not do this: not support staff, not the requester, or another tenant. */
export class NotAllowedError extends TicketError {
  constructor(
    readonly actorId: string,
    readonly reason: 'not-staff' | 'not-requester' | 'other-tenant' | 'not-personal',
  ) {
    super(`${actorId.slice(0, 80)} may not act: ${reason}`);
  }
}

/** The card acted on shows an older version: nothing is changed, the caller gets the current ticket. */
export class StaleTicketError extends TicketError {
  constructor(
    readonly ticketId: string,
    readonly current?: Ticket,
  ) {
    super(`Ticket ${ticketId} changed since the card was shown`);
  }
}

/** The action does not fit the ticket's state (answer a resolved ticket, escalate past the top). */
export class InvalidTransitionError extends TicketError {
  constructor(
    readonly ticket: Ticket,
    readonly reason: 'closed' | 'not-closed' | 'top-level' | 'already-yours' | 'same-assignee',
  ) {
    super(`Ticket ${ticket.id}: ${reason}`);
  }
}

/** Input the domain refuses: empty or too long text, unknown urgency, unknown staff member. */
export class InvalidInputError extends TicketError {
  constructor(
    readonly field: string,
    readonly problem: 'missing' | 'too-long' | 'unknown',
    readonly max?: number,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** No support channel is registered yet, so nothing can be routed. */
export class NoSupportChannelError extends TicketError {}
