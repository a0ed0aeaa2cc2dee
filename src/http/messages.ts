import type { Request, Response, Next, Server } from 'restify';
import type { Log } from '../log.js';
import type { Authenticator } from '../teams/auth.js';
import type { Logic, TurnRunner } from '../teams/authenticated-turn.js';
import { checkIncoming } from '../teams/incoming.js';
import type { RateLimiter } from './rate-limit.js';

export const MESSAGES_PATH = '/api/messages';

export interface MessagesDeps {
  authenticator: Authenticator;
  runTurn: TurnRunner;
  /** The bot's turn. */
  logic: Logic;
  tenantAllowed: (body: Record<string, unknown>) => boolean;
  rateLimiter: RateLimiter;
  /** The one turn a user over the rate limit gets: a short notice. */
  throttledNotice: Logic;
  log: Log;
}

/**
 * `POST /api/messages`, checked in this order, each with an early answer:
 * token (401) → shape (400) → tenant (403) → the sender's rate (202/429) → the turn.
 */
export function registerMessages(server: Server, deps: MessagesDeps): void {
  const { authenticator, runTurn, logic, tenantAllowed, rateLimiter, throttledNotice, log } = deps;

  // Before the body is read: a request without a valid token is refused without parsing (or
  // buffering) what it sent, so it gets 401 even if its body is broken or too large. The channel
  // and serviceUrl claims are checked again below, once the body is there.
  server.pre((req: Request, res: Response, next: Next) => {
    if (req.method !== 'POST' || req.getPath() !== MESSAGES_PATH) return next();
    authenticator.authenticate(undefined, authorizationOf(req)).then(
      (outcome) => {
        if (outcome.ok) return next();
        res.setHeader('connection', 'close');
        res.send(401, { error: 'Unauthorized' });
        return next(false);
      },
      (e: Error) => next(e),
    );
  });

  server.post(MESSAGES_PATH, async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const auth = await authenticator.authenticate(body, authorizationOf(req));
    if (!auth.ok) {
      res.send(401, { error: 'Unauthorized' });
      return;
    }
    const check = checkIncoming(body);
    if (!check.ok) {
      res.send(400, { error: 'Ogiltig aktivitet', detail: check.problem });
      return;
    }
    const activity = body as Record<string, any>;
    if (!tenantAllowed(activity)) {
      // A refusal we do not tell the sender about in the chat: writing into a tenant that is not
      // ours would itself be acting for it.
      log.warn(
        {
          tenant: String(
            activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? '',
          ).slice(0, 64),
        },
        'tenant not allowed',
      );
      res.send(403, { error: 'Tenant not allowed' });
      return;
    }

    const decision = rateLimiter.take(senderOf(activity));
    if (decision !== 'allowed') {
      const userFacing = activity.type === 'message' || activity.type === 'invoke';
      if (decision === 'refused-first' && userFacing) {
        log.warn({ user: senderOf(activity).slice(0, 64) }, 'rate limit reached');
        await runTurn(auth.request, activity, throttledNotice).catch((e: Error) =>
          log.warn({ err: e.message }, 'could not tell a user to slow down'),
        );
      }
      // A card click waits for an answer, so it gets an honest 429 that the card shows as failed.
      // A message is acknowledged and dropped: an error code would make Teams mark it undelivered
      // and invite the user (or a retry) to send it again, which is the opposite of what we want.
      res.send(activity.type === 'invoke' ? 429 : 202);
      return;
    }

    try {
      const outcome = await runTurn(auth.request, activity, logic);
      res.send(outcome.status, outcome.body);
    } catch (e) {
      const err = e as Error;
      log.error(
        {
          err: { message: err.message, stack: err.stack },
          activityType: String(activity.type).slice(0, 64),
        },
        'turn could not run',
      );
      res.send(500, { error: 'Internt fel' });
    }
  });
}

function authorizationOf(req: Request): string {
  const header = req.headers.authorization;
  return typeof header === 'string' ? header : '';
}

/** The user the rate limit counts against: the Entra id when Teams gives one, else the channel id. */
function senderOf(activity: Record<string, any>): string {
  const from = activity.from ?? {};
  return String(from.aadObjectId || from.id || 'okänd');
}
