import type { TurnContext } from 'botbuilder';
import type { Config } from '../config.js';
import type { Log } from '../log.js';
import { texts } from '../texts.js';
import { createBotAuthentication, type BotAuthentication } from './auth.js';
import { EdgeAuthenticatedAdapter } from './authenticated-turn.js';

/**
 * The Bot Framework adapter. With no MicrosoftAppId (local mode) it accepts unauthenticated
 * requests, which is why the server then listens on loopback only.
 */
export function createAdapter(
  config: Config,
  log: Log,
  auth: BotAuthentication = createBotAuthentication(config),
): EdgeAuthenticatedAdapter {
  const adapter = new EdgeAuthenticatedAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error(
      { err: { message: error.message, stack: error.stack }, activityType: context.activity.type },
      'turn failed',
    );
    if (context.activity.type === 'message') {
      await context
        .sendActivity(texts.somethingWentWrong)
        .catch((e: Error) => log.warn({ err: e.message }, 'could not tell the user'));
    }
  };
  return adapter;
}
