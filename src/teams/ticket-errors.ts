import { text, type ActionResult, type Requester } from '../conversation/replies.js';
import type { Log } from '../log.js';
import { staffCard, userCard, type CardContext } from '../tickets/cards.js';
import {
  InvalidInputError,
  InvalidTransitionError,
  NotAllowedError,
  StaleTicketError,
  TicketError,
  TicketNotFoundError,
} from '../tickets/errors.js';
import { ticketTexts as T } from '../tickets/texts.js';

export interface TicketErrorDeps {
  cards: CardContext;
  staff: () => Promise<Record<string, string>>;
  log: Log;
}

/**
 * Turns the ticket domain's named errors into what the clicker sees. On an invoke a text
 * "updated card" is shown to the clicker alone, so a refusal never lands in the channel for all.
 */
export function createTicketErrorExplainer({ cards, staff, log }: TicketErrorDeps) {
  const say = (s: string): ActionResult => ({ replies: [], updatedCard: text(s) });

  return async function explain(
    e: unknown,
    requester: Requester,
  ): Promise<ActionResult | undefined> {
    if (!(e instanceof TicketError)) return undefined;
    log.info(
      { error: e.constructor.name, reason: e.message.slice(0, 200), user: requester.userId },
      'ticket action refused',
    );
    if (e instanceof StaleTicketError) {
      const t = e.current;
      if (!t) return say(T.notFound);
      // The card the clicker had is replaced by the current one: they see what changed, nothing runs twice.
      if (t.requester.id === requester.userId && requester.conversationType === 'personal')
        return { replies: [], updatedCard: userCard(t, cards, `Ärende ${t.number}`, [T.stale]) };
      return { replies: [], updatedCard: staffCard(t, cards, await staff(), requester.userId) };
    }
    if (e instanceof NotAllowedError)
      return say(
        e.reason === 'not-staff'
          ? T.notStaff
          : e.reason === 'other-tenant'
            ? T.otherTenant
            : T.notRequester,
      );
    if (e instanceof TicketNotFoundError) return say(T.notFound);
    if (e instanceof InvalidTransitionError) {
      const message = {
        closed: T.closed,
        'not-closed': T.notClosed,
        'top-level': T.topLevel,
        'already-yours': T.alreadyYours,
        'same-assignee': T.sameAssignee,
      }[e.reason];
      return say(message);
    }
    if (e instanceof InvalidInputError) {
      const name = T.field[e.field] ?? e.field;
      if (e.problem === 'too-long')
        return say(T.tooLong(name.charAt(0).toUpperCase() + name.slice(1), e.max ?? 0));
      return say(e.problem === 'missing' ? T.missing(name) : T.unknownValue(name));
    }
    return say(T.noChannel);
  };
}
