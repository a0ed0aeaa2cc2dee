import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticatedRequest } from './auth.js';

/**
 * CloudAdapter with its turn-running step opened up: `processActivity` accepts an already
 * authenticated request, but is protected, and the public `processActivityDirect` drops the
 * invoke response a card click needs.
 */
export class EdgeAuthenticatedAdapter extends CloudAdapter {
  runAuthenticated(
    request: AuthenticatedRequest,
    activity: Activity,
    logic: Logic,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(request, activity, logic);
  }
}

export interface TurnOutcome {
  status: number;
  body?: unknown;
}

export type Logic = (context: TurnContext) => Promise<void>;

/**
 * Runs one turn for a request the edge has already authenticated and checked, and says what to
 * answer. It is CloudAdapter.process without its token check, which the edge must do first so that
 * an unauthenticated request is refused before anything reads its body.
 */
export function createTurnRunner(adapter: EdgeAuthenticatedAdapter) {
  return async function runTurn(
    request: AuthenticatedRequest,
    body: Record<string, unknown>,
    logic: Logic,
  ): Promise<TurnOutcome> {
    const activity = withDates(body) as unknown as Activity;
    const invokeResponse = await adapter.runAuthenticated(request, activity, logic);
    // botbuilder answers an invoke that no handler took (an unknown or missing name) with 501.
    // Asking for an operation this bot does not have is the caller's mistake, so it gets a 4xx:
    // a 5xx would say we are broken, and alert (and make callers retry) for no reason.
    if (invokeResponse?.status === 501) return { status: 400, body: { error: 'Okänd invoke' } };
    return { status: invokeResponse?.status ?? 200, body: invokeResponse?.body };
  };
}

export type TurnRunner = ReturnType<typeof createTurnRunner>;

/** As CloudAdapter does it: the wire has ISO strings, TurnContext users expect Dates. */
function withDates(body: Record<string, unknown>): Record<string, unknown> {
  const activity: Record<string, unknown> = { ...body };
  for (const [key, raw] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    if (typeof activity[key] === 'string') {
      activity[raw] = activity[key];
      activity[key] = new Date(activity[key] as string);
    }
  }
  return activity;
}

/** A turn that only tells the sender one thing, for requests the edge answers itself. */
export const sayOnly =
  (text: string): Logic =>
  async (context) => {
    await context.sendActivity({ type: 'message', text, textFormat: 'plain' });
  };
