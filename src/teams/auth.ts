import {
  CallerIdConstants,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type CloudAdapter,
} from 'botbuilder';
import type { Config } from '../config.js';
import type { Log } from '../log.js';

/** What CloudAdapter needs to run a turn for a request whose token has already been checked. */
export type AuthenticatedRequest = Exclude<Parameters<CloudAdapter['processActivity']>[0], string>;

export type BotAuthentication = ConfigurationBotFrameworkAuthentication;

/** botframework-connector's public-cloud AuthenticationConstants, which botbuilder does not re-export. */
const PUBLIC_CLOUD = {
  ValidateAuthority: true,
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl:
    'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: CallerIdConstants.PublicAzureChannel,
};

/**
 * Bot Framework authentication from the config. The OpenID metadata URLs are configurable so that
 * tests (and sovereign clouds) can name their own; empty means botbuilder's public-cloud default.
 */
export function createBotAuthentication(config: Config): BotAuthentication {
  const overridden = Boolean(
    config.ToBotFromChannelOpenIdMetadataUrl || config.ToBotFromEmulatorOpenIdMetadataUrl,
  );
  const settings = {
    MicrosoftAppId: config.MicrosoftAppId || undefined,
    MicrosoftAppPassword: config.MicrosoftAppPassword || undefined,
    MicrosoftAppType: config.MicrosoftAppType || undefined,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId || undefined,
    // botbuilder takes one overridden endpoint as "all are given": the rest must then be named too.
    ...(overridden
      ? {
          ...PUBLIC_CLOUD,
          ToBotFromChannelOpenIdMetadataUrl:
            config.ToBotFromChannelOpenIdMetadataUrl ||
            PUBLIC_CLOUD.ToBotFromChannelOpenIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl:
            config.ToBotFromEmulatorOpenIdMetadataUrl ||
            PUBLIC_CLOUD.ToBotFromEmulatorOpenIdMetadataUrl,
        }
      : {}),
  };
  return new ConfigurationBotFrameworkAuthentication(
    settings,
    new ConfigurationServiceClientCredentialFactory(settings),
  );
}

export type AuthOutcome =
  | { ok: true; request: AuthenticatedRequest }
  | {
      ok: false;
      reason: string;
      /** Our side failed (key metadata unreachable), not the caller's token. */ ours: boolean;
    };

export interface Authenticator {
  /** Never throws: every failure to prove the request came from the Bot Connector is a refusal. */
  authenticate(body: unknown, authorization: string): Promise<AuthOutcome>;
}

/**
 * Checks the Bot Framework token before anything else looks at the request.
 *
 * botbuilder's own check answers some bad tokens with 500: a signature that does not verify
 * rethrows jsonwebtoken's error, and unreachable key metadata throws a fetch error. For the caller
 * each of those means "not proven", so each becomes a refusal here (401 at the HTTP edge).
 */
export function createAuthenticator(auth: BotAuthentication, log: Log): Authenticator {
  return {
    async authenticate(body, authorization) {
      // Only the two fields the check reads; a hostile body cannot reach botbuilder's auth code.
      const fields =
        body && typeof body === 'object' && !Array.isArray(body)
          ? (body as Record<string, unknown>)
          : {};
      // '' rather than undefined: botbuilder's endorsement check calls channelId.trim(); an empty
      // serviceUrl skips the serviceUrl claim check, which the second call (with the body) makes.
      const activity = {
        channelId: typeof fields.channelId === 'string' ? fields.channelId : '',
        serviceUrl: typeof fields.serviceUrl === 'string' ? fields.serviceUrl : '',
      };
      try {
        const request = await auth.authenticateRequest(activity as never, authorization);
        return { ok: true, request };
      } catch (e) {
        const err = e as Error & { statusCode?: number; code?: string; type?: string };
        // botbuilder marks a metadata fetch failure with 500, node-fetch with type 'system'.
        const ours = err.statusCode === 500 || err.type === 'system' || err.name === 'FetchError';
        const reason = String(err.message ?? err).slice(0, 200);
        if (ours)
          log.error({ reason }, 'could not check a token: signing-key metadata unavailable');
        else log.warn({ reason }, 'request refused: token not valid');
        return { ok: false, reason, ours };
      }
    },
  };
}
