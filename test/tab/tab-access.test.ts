import http from 'node:http';
import assert from 'node:assert/strict';
import os from 'node:os';
import { generateKeyPair } from 'jose';
import type { RunningApp } from '../../src/app.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeEntra } from './jwks.js';

type Entra = Awaited<ReturnType<typeof startFakeEntra>>;

describe('statistics tab: who may read the figures (credentials set)', () => {
  let entra: Entra;
  let bot: RunningApp;

  before(async () => {
    entra = await startFakeEntra();
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), ...entra.config('staff-oid', 'coordinator-oid') }),
    );
  });
  after(async () => {
    await bot.stop();
    await entra.stop();
  });

  const get = async (authorization?: string) => {
    const res = await fetch(`${bot.url}/api/stats`, {
      headers: authorization ? { authorization } : {},
    });
    const body = await res.json();
    return { status: res.status, body };
  };
  const assertRefused = (r: { status: number; body: any }, status: number) => {
    assert.equal(r.status, status, JSON.stringify(r.body).slice(0, 200));
    assert.equal(r.body.figures, undefined, 'no figures in a refusal');
    assert.equal(r.body.gaps, undefined);
  };

  it('gives the figures to support staff and to the coordinator', async () => {
    for (const oid of ['staff-oid', 'coordinator-oid']) {
      const r = await get(`Bearer ${await entra.token({ oid })}`);
      assert.equal(r.status, 200, oid);
      assert.ok(Array.isArray(r.body.figures));
    }
  });

  it('answers 401 without a token, with a malformed one, or one not from Entra ID', async () => {
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    const valid = await entra.token({ oid: 'staff-oid' });
    const [h, p] = valid.split('.');
    const cases: [string, string | undefined][] = [
      ['no header', undefined],
      ['not bearer', `Basic ${Buffer.from('a:b').toString('base64')}`],
      ['garbage', 'Bearer not-a-token'],
      ['alg none', `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`],
      ['signature cut off', `Bearer ${h}.${p}.AAAA`],
      [
        'signed by another key',
        `Bearer ${await entra.token({ oid: 'staff-oid' }, { key: otherKey })}`,
      ],
      [
        'expired',
        `Bearer ${await entra.token({ oid: 'staff-oid', exp: Math.floor(Date.now() / 1000) - 3600 })}`,
      ],
      [
        'not yet valid',
        `Bearer ${await entra.token({ oid: 'staff-oid', nbf: Math.floor(Date.now() / 1000) + 3600 })}`,
      ],
      [
        'other audience',
        `Bearer ${await entra.token({ oid: 'staff-oid', aud: 'api://someone-else' })}`,
      ],
      [
        'other tenant',
        `Bearer ${await entra.token({ oid: 'staff-oid', iss: 'https://login.microsoftonline.com/other/v2.0' })}`,
      ],
      ['no oid', `Bearer ${await entra.token({})}`],
      [
        'unknown key id',
        `Bearer ${await entra.token({ oid: 'staff-oid' }, { kid: 'rotated-away' })}`,
      ],
      ['header injection', `Bearer ${valid}\r\nX-Evil: 1`.replace(/\r\n.*/, ' x')],
    ];
    for (const [name, header] of cases) {
      const r = await get(header).catch((e: Error) => ({ status: 0, body: { error: e.message } }));
      assert.equal(r.status, 401, `${name}: ${JSON.stringify(r.body).slice(0, 200)}`);
      assert.equal((r.body as any).figures, undefined, name);
    }
  });

  it('answers 403 to a valid token of someone who is not staff', async () => {
    assertRefused(await get(`Bearer ${await entra.token({ oid: 'ordinary-user' })}`), 403);
  });

  it('lets staff register a call from the tab, and nobody else', async () => {
    const post = async (authorization: string | undefined, body: unknown) =>
      fetch(`${bot.url}/api/stats/calls`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization ? { authorization } : {}),
        },
        body: JSON.stringify(body),
      });
    assert.equal((await post(undefined, { category: 'Beställning' })).status, 401);
    assert.equal(
      (
        await post(`Bearer ${await entra.token({ oid: 'ordinary-user' })}`, {
          category: 'Beställning',
        })
      ).status,
      403,
    );
    const staff = `Bearer ${await entra.token({ oid: 'staff-oid' })}`;
    assert.equal((await post(staff, { category: '' })).status, 400);
    assert.equal((await post(staff, { category: 'middag' })).status, 400);
    assert.equal((await post(staff, { category: ['Beställning'] })).status, 400);
    assert.equal((await post(staff, 'Beställning')).status, 400);
    const ok = await post(staff, { category: 'beställ' });
    assert.equal(ok.status, 201);
    assert.equal((await ok.json()).category, 'Beställning');
  });

  it('serves the page itself to anyone: it holds no figures', async () => {
    const res = await fetch(`${bot.url}/tab`);
    assert.equal(res.status, 200);
    assert.match(
      res.headers.get('content-security-policy') ?? '',
      /frame-ancestors[^;]*teams\.microsoft\.com/,
    );
    assert.equal((await fetch(`${bot.url}/tab/..%2Fconfig.ts`)).status, 404);
    assert.equal((await fetch(`${bot.url}/tab/package.json`)).status, 404);
  });
});

describe('statistics tab: local mode (no credentials)', () => {
  // An address of this machine that is not loopback, if it has one: a request from there stands
  // in for another machine on the network.
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

  it('answers this machine without a token', async () => {
    const bot = await startBot(testConfig({ DATA_DIR: await tempDir() }));
    try {
      assert.equal((await fetch(`${bot.url}/api/stats`)).status, 200);
      assert.equal((await fetch(`${bot.url}/api/stats?quarter=2025-Q5`)).status, 400);
      assert.equal((await fetch(`${bot.url}/api/stats?quarter=${'9'.repeat(5000)}`)).status, 400);
    } finally {
      await bot.stop();
    }
  });

  it('refuses another machine even when told to listen on every interface', async () => {
    const bot = await startBot(testConfig({ DATA_DIR: await tempDir(), HOST: '0.0.0.0' }));
    try {
      // From another address of this machine when it has one; else from 127.0.0.2, which the
      // check (only the canonical loopback addresses) refuses exactly as it refuses another host.
      const res = external
        ? await getJson(external, bot.port)
        : await getJson('127.0.0.1', bot.port, '127.0.0.2');
      assert.equal(res.status, 403);
      assert.equal(res.body.figures, undefined);
    } finally {
      await bot.stop();
    }
  });
});

/** GET /api/stats from a chosen source address (fetch cannot pick one). */
function getJson(
  host: string,
  port: number,
  localAddress?: string,
): Promise<{ status: number; body: { figures?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: '/api/stats', localAddress }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', reject);
  });
}
