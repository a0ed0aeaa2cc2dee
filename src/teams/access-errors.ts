import { text, type ActionResult, type Requester } from '../conversation/replies.js';
import type { Log } from '../log.js';
import { approvalCard, staffCard, userCard, type AccessCardContext } from '../access/cards.js';
import { problemText } from '../access/chat.js';
import {
  AccessError,
  AccessInputError,
  AccessNotAllowedError,
  AccessNotFoundError,
  AccessTransitionError,
  StaleAccessError,
} from '../access/errors.js';
import { accessTexts as T } from '../access/texts.js';

/**
 * Turns the access domain's named errors into what the clicker sees. On an invoke a text
 * "updated card" is shown to the clicker alone, so a refusal never lands in the channel for all.
 */
export function createAccessErrorExplainer({ cards, log }: { cards: AccessCardContext; log: Log }) {
  const say = (s: string): ActionResult => ({ replies: [], updatedCard: text(s) });

  return async function explain(
    e: unknown,
    requester: Requester,
  ): Promise<ActionResult | undefined> {
    if (!(e instanceof AccessError)) return undefined;
    log.info(
      { error: e.constructor.name, reason: e.message.slice(0, 200), user: requester.userId },
      'access action refused',
    );
    if (e instanceof StaleAccessError) {
      const r = e.current;
      if (!r) return say(T.notFound);
      // The clicker's card is replaced by the current one: they see what changed, nothing runs twice.
      const personal = requester.conversationType === 'personal';
      if (personal && r.manager.id === requester.userId && r.applicant.id !== requester.userId)
        return {
          replies: [],
          updatedCard: approvalCard(
            cards,
            r,
            r.status === 'awaiting-manager'
              ? { notice: T.stale }
              : { decided: `${T.stale} ${T.status[r.status]}.` },
          ),
        };
      if (personal && r.applicant.id === requester.userId)
        return { replies: [], updatedCard: userCard(cards, r, T.heading(r.number), [T.stale]) };
      if (r.applicant.tenantId === requester.tenantId && !personal)
        return { replies: [], updatedCard: staffCard(cards, r) };
      return say(T.stale);
    }
    if (e instanceof AccessNotAllowedError)
      return say(
        {
          'not-manager': T.notManager,
          'not-staff': T.notStaff,
          'not-applicant': T.notApplicant,
          'other-tenant': T.otherTenant,
          'not-personal': T.onlyPersonal,
        }[e.reason],
      );
    if (e instanceof AccessNotFoundError) return say(T.notFound);
    if (e instanceof AccessTransitionError)
      return say(
        {
          'not-awaiting-manager': T.notAwaitingManager,
          'not-at-support': T.notAtSupport,
          'not-needs-info': T.notNeedsInfo,
        }[e.reason],
      );
    if (e instanceof AccessInputError) return say(problemText(e));
    return say(T.notFound);
  };
}
