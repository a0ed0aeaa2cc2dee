import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export const TENANT = '11111111-2222-3333-4444-555555555555';
export const APP_ID = '99999999-8888-7777-6666-555555555555';
export const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

/**
 * Entra ID as far as the tab can tell: a JWKS endpoint on loopback and a key to sign real RS256
 * tokens with. Only the keys are faked; the tab's code verifies the signature for real.
 */
export async function startFakeEntra() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  let requests = 0;
  const server = http.createServer((_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;

  /** A token as Teams SSO hands it out, signed with the published key unless told otherwise. */
  async function token(
    claims: JWTPayload & { oid?: string },
    o: { key?: CryptoKey; kid?: string } = {},
  ) {
    const now = Math.floor(Date.now() / 1000);
    // Claims given by the test win: that is how it makes an expired or foreign token.
    return new SignJWT({
      tid: TENANT,
      name: 'Test Person',
      iss: ISSUER,
      aud: APP_ID,
      iat: now,
      exp: now + 3600,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'test-key', typ: 'JWT' })
      .sign(o.key ?? privateKey);
  }

  return {
    jwksUrl,
    token,
    get requests() {
      return requests;
    },
    /** Config for a bot with credentials whose tab trusts this fake Entra ID. */
    config: (staff: string, coordinator: string): Record<string, string> => ({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'test-secret',
      MicrosoftAppTenantId: TENANT,
      MicrosoftAppType: 'SingleTenant',
      HOST: '127.0.0.1',
      TAB_JWKS_URL: jwksUrl,
      SUPPORT_STAFF_IDS: staff,
      COORDINATOR_IDS: coordinator,
    }),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
