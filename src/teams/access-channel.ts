import { TeamsInfo, type Middleware, type TurnContext } from 'botbuilder';
import { asksForAccess, asksForMyRequests } from '../access/intent.js';
import type { AccessRequestRepository } from '../access/repository.js';
import type { Log } from '../log.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { maskedText, toRequester } from './activity.js';
import { recipientFromActivity } from './conversations.js';

export interface AccessChannelDeps {
  /** Whether a card action with this verb keeps the chat (the access feature says). */
  remembersChat: (verb: string) => boolean;
  recipients: RecipientRepository;
  emails: Pick<AccessRequestRepository, 'rememberEmail'>;
  now: () => Date;
  log: Log;
}

/**
 * The Teams side of access requests, as adapter middleware because it needs the turn:
 * - an access card action in a personal chat keeps the person reachable, so that every later step
 *   (the manager's approval card, the applicant's notices) reaches them;
 * - the e-mail address of someone who uses access requests (a card, "jag behöver behörighet",
 *   "mina ansökningar"), as Teams gives it, is remembered once, so that an applicant who typed a
 *   manager's address instead of picking them finds that manager. One connector call per person
 *   and process, and only for them: not for every question.
 */
export function accessChannelMiddleware({
  remembersChat,
  recipients,
  emails,
  now,
  log,
}: AccessChannelDeps): Middleware {
  const asked = new Set<string>();
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>) {
      const activity = context.activity;
      const requester = toRequester(activity);
      if (activity.type === 'invoke' && requester.conversationType === 'personal') {
        const verb = String(
          (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb ?? '',
        );
        if (remembersChat(verb)) {
          const recipient = recipientFromActivity(activity, now());
          if (recipient) await recipients.upsert(recipient);
          await learnEmail(context, requester.userId);
        }
      }
      if (activity.type === 'message' && requester.conversationType === 'personal') {
        const said = maskedText(activity);
        if (said && (asksForAccess(said) || asksForMyRequests(said)))
          await learnEmail(context, requester.userId);
      }
      await next();
    },
  };

  async function learnEmail(context: TurnContext, userId: string) {
    if (asked.has(userId)) return;
    asked.add(userId);
    try {
      const member = await TeamsInfo.getMember(context, context.activity.from.id);
      const email = (member.email || member.userPrincipalName || '').toLowerCase();
      if (email.includes('@')) await emails.rememberEmail(email, userId);
    } catch (e) {
      // Not knowing the address only means a typed one is not matched: the request still goes on.
      log.info({ err: (e as Error).message.slice(0, 200) }, 'could not read the member e-mail');
    }
  }
}
