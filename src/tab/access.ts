import type { IncomingMessage } from 'node:http';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { Config } from '../config.js';
import type { Log } from '../log.js';

export type AccessResult =
  { ok: true; userId: string } | { ok: false; status: 401 | 403; reason: string };

export interface TabAccessOptions {
  localMode: boolean;
  jwksUrl: string;
  issuers: string[];
  audiences: string[];
  /** Support staff and coordinators, by Entra ID object id. */
  allowed: (oid: string) => boolean;
  log: Log;
}

/** Who uses the tab in local mode: nobody signed in, only someone on this machine. */
export const LOCAL_TAB_USER = 'lokal-flik';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/** The token settings for Entra ID, from the bot's own registration unless set explicitly. */
export function tabAccessOptions(config: Config, log: Log): TabAccessOptions {
  const tenant = config.MicrosoftAppTenantId;
  const allowed = new Set([...config.SUPPORT_STAFF_IDS, ...config.COORDINATOR_IDS]);
  return {
    localMode: config.localMode,
    jwksUrl:
      config.TAB_JWKS_URL ||
      (tenant ? `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys` : ''),
    // v2 tokens name the tenant's v2.0 issuer, v1 tokens sts.windows.net; Teams SSO can hand out either.
    issuers: config.TAB_TOKEN_ISSUER.length
      ? config.TAB_TOKEN_ISSUER
      : tenant
        ? [`https://login.microsoftonline.com/${tenant}/v2.0`, `https://sts.windows.net/${tenant}/`]
        : [],
    audiences: config.TAB_TOKEN_AUDIENCE.length
      ? config.TAB_TOKEN_AUDIENCE
      : config.MicrosoftAppId
        ? [config.MicrosoftAppId, `api://${config.MicrosoftAppId}`]
        : [],
    allowed: (oid) => allowed.has(oid),
    log,
  };
}

/**
 * Decides who may read the figures. Local mode: only requests from this machine. Otherwise: only a
 * valid Entra ID token (signature from the tenant's JWKS, issuer, audience, expiry) whose user is
 * staff or coordinator.
 */
export function createTabAccess(o: TabAccessOptions) {
  const configured = o.jwksUrl !== '' && o.issuers.length > 0 && o.audiences.length > 0;
  // Fails closed: with credentials but no way to check tokens, nobody gets figures.
  if (!o.localMode && !configured)
    o.log.warn(
      'statistics tab: no tenant, TAB_JWKS_URL, issuer or audience configured; the API refuses everyone',
    );
  const jwks = configured
    ? createRemoteJWKSet(new URL(o.jwksUrl), { timeoutDuration: 5000 })
    : undefined;

  return async function check(req: IncomingMessage): Promise<AccessResult> {
    if (o.localMode) {
      return LOOPBACK.has(req.socket.remoteAddress ?? '')
        ? { ok: true, userId: LOCAL_TAB_USER }
        : { ok: false, status: 403, reason: 'local mode answers this machine only' };
    }
    const m = BEARER.exec(req.headers.authorization ?? '');
    if (!m) return { ok: false, status: 401, reason: 'no bearer token' };
    if (!jwks) return { ok: false, status: 401, reason: 'token checking not configured' };
    let payload;
    try {
      ({ payload } = await jwtVerify(m[1], jwks, {
        issuer: o.issuers,
        audience: o.audiences,
        algorithms: ['RS256'],
        clockTolerance: 60,
        requiredClaims: ['exp', 'oid'],
      }));
    } catch (e) {
      if (!(e instanceof joseErrors.JOSEError)) throw e;
      // Unreachable JWKS is logged louder: it locks out everyone, not one bad token.
      const level =
        e instanceof joseErrors.JWKSTimeout || e.code === 'ERR_JOSE_GENERIC' ? 'warn' : 'info';
      o.log[level]({ code: e.code }, 'statistics tab: token refused');
      return { ok: false, status: 401, reason: e.code };
    }
    const oid = typeof payload.oid === 'string' ? payload.oid : '';
    if (!oid || !o.allowed(oid))
      return { ok: false, status: 403, reason: 'not support staff or coordinator' };
    return { ok: true, userId: oid };
  };
}
