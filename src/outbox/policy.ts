import { checkMail } from './mail.js';
import { SendError, type OutgoingMessage } from './outbox.js';

/**
 * What to do with a send that failed, shared by every outbox implementation (the journal file
 * and PostgreSQL) so that both retry, wait and give up alike.
 */

/** Why a message is not sent at all: no point in retrying. */
export class Skip extends Error {
  constructor(
    readonly state: 'failed' | 'gone',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A send cut off by a crash between the connector taking it and us recording that: it may or may
 * not have arrived, and Teams offers no way to ask. Sending it again could make it arrive twice,
 * so it is given up and reported instead. Edits are idempotent and new ticket threads must reach
 * support, so those two are sent again; so is an e-mail, with the same Message-ID: a lost ticket
 * mail is worse than a repeat that the mail client can spot.
 */
export const INTERRUPTED =
  'interrupted mid-send by a restart; not sent again so that it cannot arrive twice';

/** Whether a message cut off mid-send goes again (see INTERRUPTED). */
export const resendsAfterInterruption = (op: OutgoingMessage['op']) => op !== 'send';

export interface FailureDecision {
  /** Try again after this long; undefined: give up with `state`. */
  retryInMs?: number;
  state?: 'failed' | 'gone';
  error: string;
  /** The recipient to mark gone (uninstalled, blocked). */
  markGone?: string;
}

/** Exponential backoff with jitter, so that many lanes failing together do not all come back at once. */
export function createBackoff(baseMs: number, maxMs: number, random: () => number) {
  return (attempts: number): number => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };
}

/**
 * 403/404: the user uninstalled or blocked the bot, or the conversation is gone: give up and mark
 * the recipient (for an update a 404 may only mean the message was deleted, so the recipient
 * stays). 429: wait for Retry-After. 0/408/412/5xx: back off and retry. Anything else: give up.
 */
export function decideAfterFailure(
  err: unknown,
  message: { op: OutgoingMessage['op']; attempts: number; recipientId: string },
  backoff: (attempts: number) => number,
): FailureDecision {
  if (err instanceof Skip) return { state: err.state, error: err.message };
  if (message.op === 'email') return decideAfterMailFailure(err, message.attempts, backoff);
  if (!(err instanceof SendError))
    return {
      retryInMs: backoff(message.attempts),
      error: `unexpected: ${(err as Error)?.message ?? err}`,
    };
  const error = `${err.status} ${err.message}`;
  if (err.status === 403 || err.status === 404)
    return {
      state: 'gone',
      error,
      markGone: message.op === 'update' ? undefined : message.recipientId,
    };
  if (err.status === 429)
    return {
      retryInMs:
        err.retryAfterSeconds !== undefined
          ? err.retryAfterSeconds * 1000
          : backoff(message.attempts),
      error,
    };
  if (err.status === 0 || err.status === 408 || err.status === 412 || err.status >= 500)
    return { retryInMs: backoff(message.attempts), error };
  return { state: 'failed', error };
}

/**
 * SMTP: a 4xx reply (mailbox busy, greylisting, too many connections) or no reply at all
 * (refused, timed out, cut off) is temporary: back off and retry. A 5xx is the server's final
 * word (no such mailbox, refused as spam): give up. No SMTP reply at all is treated as temporary.
 */
function decideAfterMailFailure(
  err: unknown,
  attempts: number,
  backoff: (attempts: number) => number,
): FailureDecision {
  if (!(err instanceof SendError))
    return { retryInMs: backoff(attempts), error: `unexpected: ${(err as Error)?.message ?? err}` };
  const error = `${err.status || 'no answer'} ${err.message}`;
  if (err.status >= 500) return { state: 'failed', error };
  return { retryInMs: backoff(attempts), error };
}

/** Why a message cannot be stored, or undefined when it can. */
export function checkMessage(m: OutgoingMessage): string | undefined {
  if (!m || typeof m !== 'object') return 'not a message';
  if (typeof m.key !== 'string' || !m.key || m.key.length > 500)
    return 'key must be a string of 1–500 characters';
  if (!['send', 'update', 'create-thread', 'email'].includes(m.op))
    return `unknown op ${String(m.op)}`;
  if (m.op === 'email') return checkMail(m.mail);
  if (!m.reply || (m.reply.kind !== 'card' && m.reply.kind !== 'text'))
    return 'reply must be a card or a text';
  return undefined;
}
