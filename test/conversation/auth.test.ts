import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { personalMessage, postActivity } from '../support/activities.js';
import { startFakeIssuer, strangerKey, type FakeIssuer } from '../support/auth-issuer.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';

const APP_ID = 'app-id';

const credentials = (metadataUrl: string, extra: Record<string, string> = {}) => ({
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-a-real-secret',
  MicrosoftAppType: 'MultiTenant',
  HOST: '127.0.0.1',
  ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
  // Tokens that claim an Entra ID issuer take botbuilder's emulator path: keep it on loopback too.
  ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
  ...extra,
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('only the Bot Connector may talk to the bot (credentials set)', () => {
  let connector: FakeConnector;
  let issuer: FakeIssuer;
  let bot: RunningApp;
  let dataDir: string;

  before(async () => {
    connector = await startFakeConnector();
    issuer = await startFakeIssuer();
    dataDir = await tempDir();
    bot = await startBot(
      testConfig({
        DATA_DIR: dataDir,
        ...credentials(issuer.metadataUrl),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      }),
    );
  });
  after(async () => {
    await bot.stop();
    await Promise.all([connector.stop(), issuer.stop()]);
  });

  const message = (text = 'hur skriver jag en hämtorder') =>
    personalMessage(connector.serviceUrl, text);
  const questionsLogged = async () =>
    (await fs.readFile(path.join(dataDir, 'questions.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean).length;

  it('refuses with 401 and does nothing: no header, wrong scheme, malformed, unknown key, expired, other audience, other serviceUrl', async () => {
    const cases: [string, Record<string, string>][] = [
      ['no header', {}],
      ['empty bearer', { authorization: 'Bearer ' }],
      ['basic', { authorization: 'Basic dXNlcjpwYXNz' }],
      ['not a jwt', bearer('abc')],
      ['three garbage parts', bearer('a.b.c')],
      [
        'alg none',
        bearer(
          `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'https://api.botframework.com', aud: APP_ID })).toString('base64url')}.`,
        ),
      ],
      [
        'unknown kid',
        bearer(
          await issuer.sign({
            aud: APP_ID,
            serviceurl: connector.serviceUrl,
            kid: 'not-published',
          }),
        ),
      ],
      [
        'published kid, other key',
        bearer(
          await issuer.sign({ aud: APP_ID, serviceurl: connector.serviceUrl }, await strangerKey()),
        ),
      ],
      [
        'expired',
        bearer(
          await issuer.sign({ aud: APP_ID, serviceurl: connector.serviceUrl, expiresIn: -3600 }),
        ),
      ],
      [
        'other audience',
        bearer(await issuer.sign({ aud: 'someone-else', serviceurl: connector.serviceUrl })),
      ],
      [
        'other issuer',
        bearer(
          await issuer.sign({
            aud: APP_ID,
            iss: 'https://evil.example',
            serviceurl: connector.serviceUrl,
          }),
        ),
      ],
      [
        'other serviceUrl',
        bearer(await issuer.sign({ aud: APP_ID, serviceurl: 'http://127.0.0.1:1/' })),
      ],
    ];
    const before = await questionsLogged();
    for (const [name, headers] of cases) {
      const res = await postActivity(bot.url, message(), headers);
      assert.equal(res.status, 401, name);
    }
    assert.equal(connector.requests, 0, 'nothing was sent anywhere');
    assert.equal(await questionsLogged(), before, 'no question was logged');
  });

  it('decides on the token before looking at the body: broken, non-JSON or huge bodies without a token get 401', async () => {
    for (const body of [
      '{"type": "message",',
      'inte json',
      JSON.stringify({ type: 'message' }),
      JSON.stringify([]),
      'x'.repeat(2_000_000),
    ]) {
      const res = await postActivity(bot.url, body);
      assert.equal(res.status, 401, body.slice(0, 40));
    }
    const forged = bearer(await issuer.sign({ aud: 'someone-else' }));
    assert.equal((await postActivity(bot.url, { type: 'message' }, forged)).status, 401);
  });

  it('runs the turn for a valid token, and a valid token with a broken activity gets 400', async () => {
    const token = await issuer.sign({ aud: APP_ID, serviceurl: connector.serviceUrl });
    const before = await questionsLogged();
    const res = await postActivity(bot.url, message(), bearer(token));
    assert.equal(res.status, 200);
    // The reply itself needs an outbound token from Entra ID, which this machine cannot reach;
    // that the question was logged shows the turn ran.
    await bot.stop();
    assert.equal(await questionsLogged(), before + 1);
    bot = await startBot(testConfig({ DATA_DIR: dataDir, ...credentials(issuer.metadataUrl) }));

    const broken = { ...message(), conversation: undefined };
    assert.equal((await postActivity(bot.url, broken, bearer(token))).status, 400);
  });
});

describe('when the signing-key metadata cannot be fetched', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let issuer: FakeIssuer;
  let refusing: http.Server;

  before(async () => {
    connector = await startFakeConnector();
    issuer = await startFakeIssuer(); // only to sign; the bot is pointed elsewhere
    // A port that was ours a moment ago and is closed now: connection refused, as when offline.
    refusing = http.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => refusing.once('listening', r));
    const port = (refusing.address() as AddressInfo).port;
    await new Promise((r) => refusing.close(r));
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        ...credentials(`http://127.0.0.1:${port}/v1/.well-known/openidconfiguration`),
      }),
    );
  });
  after(async () => {
    await bot.stop();
    await Promise.all([connector.stop(), issuer.stop()]);
  });

  it('answers 401, never 5xx, for bogus and well-formed tokens alike', async () => {
    const tokens = [
      await issuer.sign({ aud: APP_ID, serviceurl: connector.serviceUrl }),
      await issuer.sign({
        aud: APP_ID,
        iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
        extra: { ver: '1.0', appid: APP_ID },
      }),
      'a.b.c',
    ];
    for (const token of tokens) {
      const res = await postActivity(
        bot.url,
        personalMessage(connector.serviceUrl, 'hej'),
        bearer(token),
      );
      assert.equal(res.status, 401, token.slice(0, 20));
    }
    assert.equal(connector.requests, 0);
  });
});

describe('only the configured tenants may talk to the bot', () => {
  let connector: FakeConnector;
  let bot: RunningApp;

  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({ DATA_DIR: await tempDir(), ALLOWED_TENANTS: 'tenant-1, TENANT-2' }),
    );
  });
  after(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('answers users of an allowed tenant (any case)', async () => {
    for (const tenantId of ['tenant-1', 'Tenant-2']) {
      const before = connector.sent.length;
      const res = await postActivity(
        bot.url,
        personalMessage(connector.serviceUrl, 'hej', { tenantId, user: tenantId }),
      );
      assert.equal(res.status, 200);
      assert.ok(connector.sent.length > before, tenantId);
    }
  });

  it('refuses another tenant, or none, with 403 and sends nothing', async () => {
    const before = connector.requests;
    const other = personalMessage(connector.serviceUrl, 'hej', {
      tenantId: 'tenant-evil',
      user: 'mallory',
    });
    const none = {
      ...personalMessage(connector.serviceUrl, 'hej', { user: 'nobody' }),
      channelData: {},
      conversation: { id: 'a:x' },
    };
    // The Bot Connector sets channelData.tenant; a conversation.tenantId that disagrees does not win.
    const mixed = { ...other, conversation: { id: 'a:y', tenantId: 'tenant-1' } };
    for (const activity of [other, none, mixed]) {
      const res = await postActivity(bot.url, activity);
      assert.equal(res.status, 403, JSON.stringify(activity).slice(0, 80));
    }
    assert.equal(connector.requests, before);
  });
});
