import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { RunningApp } from '../../src/app.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { findAll, textOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { until } from '../storage/contract.js';
import { startFakeEntra } from '../tab/jwks.js';
import { askTopic, listTaught, teachApi, undoTaught } from './teach-api.js';
import {
  channelCard,
  SUPPORT_CHANNEL,
  ticketFlow,
  ticketIdOf,
  versionOf,
} from '../tickets/ticket-flow.js';

/** "Lär boten" through HTTP: the API, the questions through /api/messages, the ticket card. */

const ODD = 'grodorna i dammen hoppar över bäcken';
const ODD_PARAPHRASE = 'hoppar grodorna över bäcken vid dammen?';

describe('Lär boten: teaching through the API, answering through /api/messages', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let dataDir: string;
  const ask = (q: string, user?: string) => askTopic(bot, connector, q, user);

  beforeEach(async () => {
    connector = await startFakeConnector();
    dataDir = await tempDir();
    bot = await startBot(testConfig({ DATA_DIR: dataDir, KNOWLEDGE_WATCH_MS: '0' }));
    await ask('hej');
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('answers a taught phrase and a close paraphrase at once, not an unrelated question, and undo takes it back', async () => {
    assert.notEqual((await ask(ODD)).topicId, 'arbetsorder', 'not known before');
    const taught = await teachApi(bot.url, { question: ODD, topicId: 'arbetsorder' });
    assert.equal(taught.status, 201, JSON.stringify(taught.body));
    assert.equal(taught.body.question, ODD);
    assert.equal(taught.body.topicId, 'arbetsorder');
    assert.equal(taught.body.status, 'active');
    assert.equal(taught.body.taughtBy.id, 'lokal-flik');
    assert.ok(Date.parse(taught.body.taughtAt));

    assert.equal((await ask(ODD)).topicId, 'arbetsorder');
    assert.equal((await ask(ODD_PARAPHRASE)).topicId, 'arbetsorder');
    assert.notEqual(
      (await ask('grodorna')).topicId,
      'arbetsorder',
      'one shared word is not enough',
    );
    assert.notEqual((await ask('hur skriver jag en hämtorder')).topicId, 'arbetsorder');

    const undone = await undoTaught(bot.url, taught.body.id);
    assert.equal(undone.status, 200);
    assert.equal(undone.body.status, 'undone');
    assert.equal(undone.body.undoneBy.id, 'lokal-flik');
    assert.notEqual((await ask(ODD)).topicId, 'arbetsorder', 'undone: no longer answered');
    assert.equal((await undoTaught(bot.url, 'no-such-id')).status, 404);
  });

  it('a phrase taught as out of scope is held: no answer card, the way to support', async () => {
    const q = 'hur byter jag färg på skrivaren på avdelningen';
    const r = await teachApi(bot.url, { question: q, topicId: 'out-of-scope' });
    assert.equal(r.status, 201);
    for (const asked of [q, 'hur byter man färgen i skrivaren på avdelningen']) {
      const reply = await ask(asked);
      assert.equal(reply.topicId, undefined, asked);
      assert.match(reply.text, /Det kan jag tyvärr inte svara på/);
    }
  });

  it('the same phrase taught to two topics: the later wins, both stay in the history; undoing the later brings back the earlier', async () => {
    const first = await teachApi(bot.url, { question: ODD, topicId: 'arbetsorder' });
    const second = await teachApi(bot.url, {
      question: 'Grodorna hoppar över bäcken i dammen!',
      topicId: 'retur',
    });
    assert.equal(second.status, 201);
    assert.equal(second.body.replaced.id, first.body.id, 'the answer says what it replaced');
    assert.equal((await ask(ODD)).topicId, 'retur');
    const items = await listTaught(bot.url);
    assert.deepEqual(
      items.map((i) => [i.id, i.topicId, i.status, i.replacedBy]),
      [
        [first.body.id, 'arbetsorder', 'replaced', second.body.id],
        [second.body.id, 'retur', 'active', null],
      ],
    );
    await undoTaught(bot.url, second.body.id);
    assert.equal((await ask(ODD)).topicId, 'arbetsorder');
  });

  it('refuses bad input with a Swedish message and stores nothing', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['empty', { question: '   ', topicId: 'arbetsorder' }, /Skriv frågan/],
      ['10 kB', { question: 'a '.repeat(5000), topicId: 'arbetsorder' }, /för lång/],
      ['only filler', { question: 'hur gör jag', topicId: 'arbetsorder' }, /inga ord/],
      ['unknown topic', { question: ODD, topicId: 'finns-inte' }, /ämnet finns inte/],
      ['an out-of-scope file is not a topic', { question: ODD, topicId: 'utanfor-it' }, /ämnet/],
      ['no topic', { question: ODD }, /topicId/],
      ['not a string', { question: 42, topicId: 'arbetsorder' }, /question/],
      ['not JSON', '{"question": ', /./],
    ];
    for (const [name, body, message] of cases) {
      const r = await teachApi(bot.url, body);
      assert.ok(r.status >= 400 && r.status < 500, `${name}: ${r.status}`);
      assert.match(String(r.body.error ?? r.body.message), message, name);
    }
    assert.deepEqual(await listTaught(bot.url), []);
  });

  it('masks a personnummer before it is stored or matched', async () => {
    const r = await teachApi(bot.url, {
      question: 'grodorna hos 19121212-1212 hoppar över bäcken',
      topicId: 'arbetsorder',
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.question, 'grodorna hos [personnummer] hoppar över bäcken');
    const onDisk = await fs.readFile(path.join(dataDir, 'taught-phrases.json'), 'utf8');
    assert.doesNotMatch(onDisk, /1212/);
    assert.equal(
      (await ask('grodorna hos 19121212-1212 hoppar över bäcken')).topicId,
      'arbetsorder',
    );
  });

  it('keeps what was taught over a restart', async () => {
    await teachApi(bot.url, { question: ODD, topicId: 'arbetsorder' });
    await bot.stop();
    bot = await startBot(testConfig({ DATA_DIR: dataDir, KNOWLEDGE_WATCH_MS: '0' }));
    assert.equal((await ask(ODD)).topicId, 'arbetsorder');
  });
});

describe('Lär boten on a resolved ticket card in the support channel', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );
  // Wednesday 15 January 2025, 09:30 in Stockholm: support is open.
  const now = new Date('2025-01-15T08:30:00Z');

  beforeEach(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SUPPORT_STAFF_IDS: 'aad-staff-1,aad-staff-2',
        KNOWLEDGE_WATCH_MS: '0',
      }),
      { now: () => now },
    );
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await flow.say('user-1', 'hej');
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  it('staff choose the topic on the resolved card; the user then gets it; others are refused', async () => {
    await flow.openTicket('user-1', ODD);
    assert.ok(await connector.waitFor(() => connector.created.length === 1));
    let card = channelCard(connector);
    assert.ok(!findAll(card, 'verb').includes('knowledge.teach'), 'not on an open ticket');
    await flow.staffClick('staff-1', 'ticket.resolve', {
      ticketId: ticketIdOf(card),
      version: versionOf(card),
      solution: 'Se guiden om arbetsordrar.',
    });
    assert.ok(
      await connector.waitFor(() =>
        findAll(channelCard(connector), 'verb').includes('knowledge.teach'),
      ),
    );
    card = channelCard(connector);
    const choices = findAll(card, 'choices').flat() as { title: string; value: string }[];
    assert.ok(choices.some((c) => c.value === 'arbetsorder'));
    assert.ok(choices.some((c) => c.value === 'out-of-scope' && c.title === 'Utanför webSesam'));
    assert.equal(findAll(card, 'value').includes(ODD), true, 'the question is filled in');

    const data = {
      ticketId: ticketIdOf(card),
      version: versionOf(card),
      teachTopicId: 'arbetsorder',
    };
    // Not staff: refused, nothing learnt.
    const before = connector.sent.length;
    await flow.staffClick('user-1', 'knowledge.teach', data);
    assert.match(
      textOf(connector.sent.slice(before).map((s) => s.activity)),
      /Bara supportpersonalen/,
    );
    assert.notEqual((await askTopic(bot, connector, ODD, 'user-2')).topicId, 'arbetsorder');

    const mark = connector.sent.length;
    await flow.staffClick('staff-1', 'knowledge.teach', { ...data, teachQuestion: '' });
    assert.match(
      textOf(connector.sent.slice(mark).map((s) => s.activity)),
      /Sara Support lärde boten: .*grodorna.* får nu svaret "Skapa en arbetsorder"/,
    );
    assert.equal((await askTopic(bot, connector, ODD_PARAPHRASE, 'user-2')).topicId, 'arbetsorder');
    const [item] = await listTaught(bot.url);
    assert.deepEqual(
      [item.via, item.taughtBy, item.question],
      ['ticket', { id: 'aad-staff-1', name: 'Sara Support' }, ODD],
    );

    // An unknown topic from a tampered card: a message, nothing stored.
    const m2 = connector.sent.length;
    await flow.staffClick('staff-1', 'knowledge.teach', { ...data, teachTopicId: 'hittepå' });
    assert.match(textOf(connector.sent.slice(m2).map((s) => s.activity)), /ämnet finns inte/);
    assert.equal((await listTaught(bot.url)).length, 1);
  });
});

describe('edited topic files are picked up without a restart', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  let dir: string;
  const flow = ticketFlow(
    () => bot,
    () => connector,
  );
  const ask = (q: string) => askTopic(bot, connector, q);
  const health = async () => (await (await fetch(`${bot.url}/healthz`)).json()) as any;

  beforeEach(async () => {
    dir = await tempDir('wsh-knowledge-');
    await fs.cp(path.join(PROJECT_ROOT, 'knowledge'), dir, { recursive: true });
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        KNOWLEDGE_DIR: dir,
        KNOWLEDGE_WATCH_MS: '20',
        SUPPORT_STAFF_IDS: 'aad-staff-1',
      }),
    );
    await flow.inChannel('staff-1', '<at>webSesam-hjälpen</at> registrera supportkanal');
    await ask('hej');
  });
  afterEach(async () => {
    await bot.stop();
    await connector.stop();
  });

  const addKeyword = (source: string, word: string) =>
    source.replace(/^keywords:\n/m, `keywords:\n  - ${word}\n`);

  it('a file watch reloads a changed file; a broken file keeps the old knowledge and tells staff which file and why', async () => {
    const file = path.join(dir, 'arbetsorder.md');
    const original = await fs.readFile(file, 'utf8');
    assert.notEqual((await ask('grodfixare')).topicId, 'arbetsorder');
    const loadedAt = (await health()).knowledge.loadedAt;
    await fs.writeFile(file, addKeyword(original, 'grodfixare'));
    assert.ok(await until(async () => (await health()).knowledge.loadedAt !== loadedAt));
    assert.equal((await ask('grodfixare')).topicId, 'arbetsorder');

    // Broken: the YAML head does not close. The old knowledge still answers.
    await fs.writeFile(file, original.replace(/^id: arbetsorder$/m, 'id: [trasig'));
    assert.ok(await until(async () => (await health()).knowledge.status === 'warning'));
    const h = await health();
    assert.equal(h.status, 'ok', 'the bot still works');
    assert.equal(h.knowledge.file, 'arbetsorder.md');
    assert.match(h.knowledge.error, /^Kunskapsfilen arbetsorder\.md är trasig/);
    assert.ok(!h.knowledge.error.includes(dir), 'no server paths on an open endpoint');
    assert.equal((await ask('grodfixare')).topicId, 'arbetsorder', 'old knowledge kept');
    // Staff hear of it in their channel, naming the file.
    assert.ok(
      await connector.waitFor(() =>
        /arbetsorder\.md/.test(textOf(connector.to(SUPPORT_CHANNEL).map((s) => s.activity))),
      ),
    );

    // Fixed again: the warning goes.
    await fs.writeFile(file, original);
    assert.ok(await until(async () => (await health()).knowledge.status === 'ok'));
    assert.notEqual((await ask('grodfixare')).topicId, 'arbetsorder');
  });

  it('"ladda om kunskap" reloads for staff, says which file is broken, and is refused to others', async () => {
    await bot.stop();
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        KNOWLEDGE_DIR: dir,
        KNOWLEDGE_WATCH_MS: '0',
        SUPPORT_STAFF_IDS: 'aad-staff-1',
      }),
    );
    const file = path.join(dir, 'retur.md');
    const original = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, addKeyword(original, 'grodkvack'));
    assert.notEqual((await ask('grodkvack')).topicId, 'retur', 'no watch: not yet');

    assert.match(
      (await askTopic(bot, connector, 'ladda om kunskap', 'user-9')).text,
      /Bara supportpersonalen/,
    );
    assert.notEqual((await ask('grodkvack')).topicId, 'retur');
    assert.match(
      (await askTopic(bot, connector, 'ladda om kunskap', 'staff-1')).text,
      /Kunskapsbasen är omladdad: \d+ ämnen/,
    );
    assert.equal((await ask('grodkvack')).topicId, 'retur');

    await fs.writeFile(file, original.replace(/^title: .*$/m, 'title: ""'));
    const reply = (await askTopic(bot, connector, 'Ladda om kunskapen', 'staff-1')).text;
    assert.match(reply, /laddades inte om/);
    assert.match(reply, /retur\.md/);
    assert.match(reply, /title/);
    assert.equal((await ask('grodkvack')).topicId, 'retur', 'old knowledge kept');
  });
});

describe('Lär boten API with credentials: only staff and coordinators, by Entra ID token', () => {
  let entra: Awaited<ReturnType<typeof startFakeEntra>>;
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

  it('refuses no token (401) and someone else (403) on every method; a staff token teaches, lists and undoes', async () => {
    const body = { question: ODD, topicId: 'arbetsorder' };
    const other = { authorization: `Bearer ${await entra.token({ oid: 'someone-else' })}` };
    assert.equal((await teachApi(bot.url, body)).status, 401);
    assert.equal((await teachApi(bot.url, body, other)).status, 403);
    for (const [method, where] of [
      ['GET', '/api/knowledge/taught'],
      ['DELETE', '/api/knowledge/taught/x'],
      ['GET', '/api/knowledge/topics'],
    ]) {
      const res = await fetch(`${bot.url}${where}`, { method, headers: other });
      assert.equal(res.status, 403, `${method} ${where}`);
      assert.deepEqual(await res.json(), { error: 'Ingen behörighet' });
    }
    const staff = { authorization: `Bearer ${await entra.token({ oid: 'staff-oid' })}` };
    const r = await teachApi(bot.url, body, staff);
    assert.equal(r.status, 201);
    assert.equal(r.body.taughtBy.id, 'staff-oid');
    const list = await fetch(`${bot.url}/api/knowledge/taught`, { headers: staff });
    assert.equal(((await list.json()) as { items: unknown[] }).items.length, 1);
    const undo = await fetch(`${bot.url}/api/knowledge/taught/${r.body.id}`, {
      method: 'DELETE',
      headers: staff,
    });
    assert.equal(undo.status, 200);
  });
});
