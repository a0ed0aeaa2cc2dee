import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** Bot Framework's channel token issuer, as botbuilder expects it in `iss`. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface TokenClaims {
  aud?: string;
  iss?: string;
  serviceurl?: string;
  /** Seconds from now; negative for a token that has expired. */
  expiresIn?: number;
  kid?: string;
  extra?: Record<string, unknown>;
}

/**
 * A stand-in for Bot Framework's OpenID metadata and key set, on loopback: the bot fetches the
 * keys from here and the test signs real RS256 tokens with the matching private key.
 */
export interface FakeIssuer {
  metadataUrl: string;
  kid: string;
  /** Requests for the metadata and the keys seen so far. */
  fetches: number;
  sign(claims: TokenClaims, key?: CryptoKey): Promise<string>;
  stop(): Promise<void>;
}

export async function startFakeIssuer(): Promise<FakeIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'test-key-1';
  const jwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid,
    use: 'sig',
    alg: 'RS256',
    endorsements: ['msteams'],
  } as JWK;
  let fetches = 0;
  const server = http.createServer((req, res) => {
    fetches++;
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    res.setHeader('content-type', 'application/json');
    if (req.url === '/v1/.well-known/openidconfiguration') {
      res.end(
        JSON.stringify({
          issuer: BOT_FRAMEWORK_ISSUER,
          jwks_uri: `${base}/v1/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
        }),
      );
    } else if (req.url === '/v1/keys') {
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`,
    kid,
    get fetches() {
      return fetches;
    },
    async sign(c, key = privateKey) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ ...(c.serviceurl ? { serviceurl: c.serviceurl } : {}), ...c.extra })
        .setProtectedHeader({ alg: 'RS256', kid: c.kid ?? kid, typ: 'JWT' })
        .setIssuer(c.iss ?? BOT_FRAMEWORK_ISSUER)
        .setAudience(c.aud ?? 'app-id')
        .setIssuedAt(now - 60)
        .setNotBefore(now - 60)
        .setExpirationTime(now + (c.expiresIn ?? 600))
        .sign(key);
    },
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A private key the issuer never published. */
export async function strangerKey(): Promise<CryptoKey> {
  return (await generateKeyPair('RS256')).privateKey;
}
