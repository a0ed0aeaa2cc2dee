import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { cardsOf, findAll } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import { postgresForSuite, type TestPostgres } from '../support/postgres.js';
import {
  accessFlow,
  APPLICANT,
  filledForm,
  MANAGER,
  personalChat,
  requestIdOf,
  shown,
  STAFF,
  supportCard,
  threadOf,
  versionOf,
} from './access-flow.js';

/**
 * The whole access request between three people, through /api/messages and the connector
 * stand-in: the applicant applies, the manager approves in their own chat, support registers.
 */
function lifecycle(store: () => Promise<Record<string, string>>) {
  let connector: FakeConnector;
  let bot: RunningApp;
  const flow = accessFlow(
    () => bot.url,
    () => connector,
  );

  beforeEach(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({
        SUPPORT_STAFF_IDS: `aad-${STAFF}`,
        RATE_LIMIT_BURST: '1000',
        ACCESS_TICK_SECONDS: '1', // the check for undeliverable approval cards runs on the tick
        ...(await store()),
      }),
    );
    await flow.inChannel(STAFF, 'registrera supportkanal');
    await flow.say(MANAGER, 'hej'); // the manager has talked with the bot: reachable
  });
  afterEach(() => Promise.all([bot.stop(), connector.stop()]));

  it('applies, the manager approves in their chat, support asks, the applicant answers, support registers', async () => {
    const { formCard, summary, confirmation } = await flow.apply(APPLICANT);
    // The manager is picked with the people picker, a typed e-mail as the fallback.
    const picker = findAll(formCard, 'choices.data')[0] as Record<string, string>;
    assert.deepEqual(picker, { type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    assert.ok(findAll(formCard, 'id').includes('managerEmail'));
    // Without a placeholder the client shows its own English "Select a date...".
    const dateInput = (formCard.body as any[]).find((e) => e.type === 'Input.Date');
    assert.equal(dateInput?.placeholder, 'åååå-mm-dd');
    assert.match(shown(summary), /Nils Nyanställd/);
    assert.match(shown(confirmation), /Din ansökan har nummer 1/);
    assert.match(shown(confirmation), /skickats till Maria Chef för godkännande/);

    const approval = await flow.waitInChat(MANAGER, /Godkänn behörighetsansökan 1/);
    const card = cardsOf(approval)[0];
    const requestId = requestIdOf(card);
    assert.ok(findAll(card, 'verb').includes('access.decline'));

    const approved = await flow.click(MANAGER, 'access.approve', {
      requestId,
      version: versionOf(card),
      comment: 'Ok, börjar 14 december',
    });
    assert.match(shown(approved.value), /Du har godkänt ansökan/);
    assert.doesNotMatch(JSON.stringify(approved.value), /access\.approve/, 'no buttons left');
    await flow.waitInChat(APPLICANT, /Maria Chef har godkänt din behörighetsansökan 1/);

    assert.ok(await connector.waitFor(() => !!threadOf(connector), 15_000), 'support card posted');
    const staffCard = supportCard(connector);
    assert.match(shown(staffCard), /Behörighetsansökan 1/);
    assert.match(shown(staffCard), /Godkände: Ok, börjar 14 december/);
    assert.match(shown(staffCard), /nils\\?\.nyanstalld@example\\?\.se/);
    assert.equal(threadOf(connector).params.channelData.channel.id, '19:support@thread.tacv2');

    const asked = await flow.staffClick(STAFF, 'access.ask', {
      requestId,
      version: versionOf(staffCard),
      question: 'Vilken enhet i Mölndal?',
    });
    assert.match(shown(asked.value), /Supporten behöver komplettering/);
    const question = await flow.waitInChat(APPLICANT, /Supporten behöver mer om din/);
    assert.match(shown(question), /Vilken enhet i Mölndal\?/);
    const answered = await flow.click(APPLICANT, 'access.answer', {
      requestId,
      version: versionOf(cardsOf(question)[0]),
      answer: 'Rehab Mölndal, plan 3',
    });
    assert.match(shown(answered.value), /Svaret har skickats/);
    assert.ok(
      await connector.waitFor(() =>
        /Kompletterade: Rehab Mölndal/.test(shown(supportCard(connector))),
      ),
    );

    const outsider = await flow.staffClick('user-2', 'access.register', {
      requestId,
      version: versionOf(supportCard(connector)),
    });
    assert.match(String(outsider.value), /Bara webSesam-supporten/);
    const cardBefore = supportCard(connector);
    const registered = await flow.staffClick(STAFF, 'access.register', {
      requestId,
      version: versionOf(supportCard(connector)),
      note: 'Klart i behörighetssystemet',
    });
    assert.match(shown(registered.value), /Registrerad/);
    // A second click on the same card (a double click, a colleague) changes nothing.
    const twice = await flow.staffClick(STAFF, 'access.reject', {
      requestId,
      version: versionOf(cardBefore),
      reason: 'fel',
    });
    assert.ok(findAll(twice.value, 'text').includes('Registrerad'), 'the current card instead');
    assert.deepEqual(findAll(twice.value, 'verb'), [], 'nothing left to do on it');
    assert.doesNotMatch(shown(twice.value), /Avslog/);
    await flow.waitInChat(
      APPLICANT,
      /behörighetsansökan 1 är registrerad[\s\S]*Klart i behörighetssystemet/,
    );
    await flow.waitInChat(MANAGER, /Behörighetsansökan 1 för Nils Nyanställd är registrerad/);

    // Documented: who applied, approved, asked, answered and registered, and when.
    assert.ok(await connector.waitFor(() => /Registrerade/.test(shown(supportCard(connector)))));
    const history = shown(supportCard(connector));
    for (const who of [
      'Anna Andersson: Skickade',
      'Maria Chef: Godkände',
      'Sara Support: Bad om',
      'Anna Andersson: Kompletterade',
      'Sara Support: Registrerade',
    ])
      assert.match(history, new RegExp(who));

    const mine = shown(await flow.say(APPLICANT, 'mina ansökningar'));
    assert.match(mine, /Ansökan 1: Registrerad/);
    assert.match(shown(await flow.say(MANAGER, 'mina ansökningar')), /Ansökan 1: Registrerad/);
  });

  it('refuses a forged approval: another user, another tenant, a stale version; nothing changes', async () => {
    await flow.apply(APPLICANT);
    const card = cardsOf(await flow.waitInChat(MANAGER, /Godkänn behörighetsansökan 1/))[0];
    const data = { requestId: requestIdOf(card), version: versionOf(card) };
    const before = connector.sent.length;

    const applicant = await flow.click(APPLICANT, 'access.approve', data);
    assert.match(String(applicant.value), /Bara den chef som ansökan anger/);
    const other = await flow.click('user-2', 'access.approve', data);
    assert.match(String(other.value), /Bara den chef som ansökan anger/);
    const tenant = await flow.click(MANAGER, 'access.approve', data, 'tenant-2');
    assert.match(String(tenant.value), /annan organisation/);
    const stale = await flow.click(MANAGER, 'access.approve', {
      ...data,
      version: data.version + 5,
    });
    assert.match(shown(stale.value), /Ansökan har ändrats sedan kortet visades/);
    const staffTry = await flow.click(STAFF, 'access.register', data);
    assert.match(String(staffTry.value), /Inget har ändrats/);

    assert.equal(threadOf(connector), undefined, 'nothing went to support');
    assert.equal(connector.sent.length, before, 'nobody was told anything');
    assert.match(
      shown(await flow.say(APPLICANT, 'mina ansökningar')),
      /Väntar på chefens godkännande/,
    );

    // The manager's real click still works, once; the same click again changes nothing.
    await flow.click(MANAGER, 'access.decline', { ...data, comment: 'Fel enhet' });
    await flow.waitInChat(
      APPLICANT,
      /Maria Chef har avslagit din behörighetsansökan 1:\s+Fel enhet/,
    );
    const again = await flow.click(MANAGER, 'access.approve', { ...data, comment: '' });
    assert.match(shown(again.value), /inget har ändrats/i);
    assert.match(shown(await flow.say(APPLICANT, 'mina ansökningar')), /Ansökan 1: Avslagen/);
  });

  it('routes to support, marked, when the applicant names themselves or a manager the bot cannot reach', async () => {
    const self = await flow.apply(APPLICANT, filledForm({ managerId: `aad-${APPLICANT}` }));
    assert.match(shown(self.confirmation), /Du angav dig själv som ansvarig chef/);
    assert.ok(await connector.waitFor(() => !!threadOf(connector, 0)));
    assert.match(shown(supportCard(connector, 0)), /angav sig själv som chef/);

    const unknown = await flow.apply(
      APPLICANT,
      filledForm({ managerId: '', managerEmail: 'okand.chef@example.se' }),
    );
    assert.match(
      shown(unknown.confirmation),
      /kan inte skicka ansökan till okand\\?\.chef@example\\?\.se/,
    );
    assert.ok(await connector.waitFor(() => !!threadOf(connector, 1)));
    assert.match(shown(supportCard(connector, 1)), /kunde inte nå chefen/);
    assert.equal(connector.to(personalChat('okand')).length, 0);

    // A picked id the bot knows nothing of (no name, no e-mail) is still named in a sentence.
    const picked = await flow.apply(APPLICANT, filledForm({ managerId: 'aad-never-seen' }));
    assert.match(
      shown(picked.confirmation),
      /kan inte skicka ansökan till den chef du angav i Teams/,
    );
  });

  it('finds a manager by typed e-mail once Teams has given the bot that address', async () => {
    // Teams' member lookup gives the e-mail address; the stand-in is told to answer with one.
    connector.setFault((req) =>
      req.method === 'GET' && decodeURIComponent(req.path).endsWith(`/members/29:${MANAGER}`)
        ? {
            status: 200,
            body: {
              id: `29:${MANAGER}`,
              name: 'Maria Chef',
              aadObjectId: `aad-${MANAGER}`,
              email: 'Maria.Chef@example.se',
            },
          }
        : undefined,
    );
    await flow.say(MANAGER, 'mina ansökningar');
    const { confirmation } = await flow.apply(
      APPLICANT,
      filledForm({ managerId: '', managerEmail: 'maria.chef@EXAMPLE.se' }),
    );
    assert.match(shown(confirmation), /skickats till Maria Chef för godkännande/);
    await flow.waitInChat(MANAGER, /Godkänn behörighetsansökan 1/);
  });

  it('sends the request to support, marked, when Teams refuses the approval card (403)', async () => {
    connector.setFault((req) =>
      req.method === 'POST' && req.conversationId === personalChat(MANAGER)
        ? { status: 403, body: { error: { code: 'BotDisabledByAdmin', message: 'blocked' } } }
        : undefined,
    );
    const { confirmation } = await flow.apply(APPLICANT);
    assert.match(shown(confirmation), /skickats till Maria Chef/);
    await flow.waitInChat(
      APPLICANT,
      /kunde inte nå Maria Chef i Teams med din behörighetsansökan 1/,
    );
    assert.ok(await connector.waitFor(() => !!threadOf(connector), 15_000));
    assert.match(shown(supportCard(connector)), /kunde inte nå chefen/);
    assert.match(
      shown(supportCard(connector)),
      /Chefen kunde inte nås i Teams: ansökan gick till supporten/,
    );
    // Later applications naming the same manager go to support at once.
    const again = await flow.apply(APPLICANT, filledForm({ subjectName: 'Nora Nästa' }));
    assert.match(shown(again.confirmation), /kan inte skicka ansökan till Maria Chef/);
  });

  it('lets the manager file an avslut for someone who has left, straight to support', async () => {
    const { confirmation } = await flow.apply(
      MANAGER,
      filledForm({
        kind: 'avslut',
        role: '',
        subjectName: 'Sven Slutat',
        managerId: `aad-${MANAGER}`,
      }),
    );
    assert.match(shown(confirmation), /ansökan om avslut går direkt till webSesam-supporten/);
    assert.ok(await connector.waitFor(() => !!threadOf(connector)));
    const card = supportCard(connector);
    assert.match(shown(card), /Avslut av behörighet/);
    assert.match(shown(card), /Sven Slutat/);
    assert.doesNotMatch(shown(card), /godkännande saknas/);

    // Support can file one too, without the person and without waiting for a manager.
    const bySupport = await flow.apply(
      STAFF,
      filledForm({
        kind: 'avslut',
        role: '',
        subjectName: 'Stina Slutat',
        managerId: `aad-${MANAGER}`,
      }),
    );
    assert.match(
      shown(bySupport.confirmation),
      /Ansökan om avslut ligger nu hos webSesam-supporten/,
    );
    assert.ok(await connector.waitFor(() => !!threadOf(connector, 1)));
    assert.match(shown(supportCard(connector, 1)), /Stina Slutat/);
    assert.equal(
      connector
        .to(personalChat(MANAGER))
        .filter((s) => /Godkänn behörighetsansökan/.test(shown(s.activity))).length,
      0,
      'no approval asked of the manager',
    );
  });

  it('asks again for a missing field, a bad date, a 10 kB note; masks a personnummer', async () => {
    const replies = await flow.say(APPLICANT, 'ny användare i websesam');
    // The form card, not an earlier request's notice the outbox delivered meanwhile.
    const form = replies
      .flatMap((r) => cardsOf(r))
      .find((card) => findAll(card, 'verb').includes('access.review'));
    assert.ok(form, 'the form card');
    const { draftId } = findAll(form, 'data')[0] as { draftId: string };
    assert.equal(findAll(form, 'value').includes('ny'), true, 'kind ny is preselected');

    const missing = await flow.click(APPLICANT, 'access.review', {
      draftId,
      ...filledForm({ unit: ' ' }),
    });
    assert.match(shown(missing.value), /Fyll i arbetsplats eller enhet/);
    assert.ok(
      findAll(missing.value, 'verb').includes('access.review'),
      'the form again, filled in',
    );
    assert.ok(findAll(missing.value, 'value').includes('Nils Nyanställd'));
    const date = await flow.click(APPLICANT, 'access.review', {
      draftId,
      ...filledForm({ fromDate: '2026-02-30' }),
    });
    assert.match(shown(date.value), /Kontrollera datumet/);
    const noManager = await flow.click(APPLICANT, 'access.review', {
      draftId,
      ...filledForm({ managerId: '' }),
    });
    assert.match(shown(noManager.value), /Fyll i ansvarig chef/);
    const forged = await flow.click(APPLICANT, 'access.submit', {
      ...filledForm(),
      draftId: '../../x',
    });
    assert.match(shown(forged.value), /känner inte igen formuläret/);
    const kind = await flow.click(APPLICANT, 'access.review', {
      draftId,
      ...filledForm({ kind: 'allt' }),
    });
    assert.match(shown(kind.value), /Välj vad ansökan gäller/);

    const pnr = await flow.apply(APPLICANT, filledForm({ role: 'Förskrivare, pnr 19121212-1212' }));
    assert.match(shown(pnr.summary), /\\?\[personnummer\\?\]/);
    const approval = cardsOf(await flow.waitInChat(MANAGER, /Godkänn behörighetsansökan 1/))[0];
    const data = { requestId: requestIdOf(approval), version: versionOf(approval) };
    const long = await flow.click(MANAGER, 'access.approve', {
      ...data,
      comment: 'x'.repeat(10_000),
    });
    assert.match(String(long.value), /för lång \(högst 2000 tecken\)/);
    const empty = await flow.click(MANAGER, 'access.decline', { ...data, comment: '  ' });
    assert.match(String(empty.value), /Fyll i en kommentar/);
    await flow.click(MANAGER, 'access.approve', { ...data, comment: 'Ok' });
    assert.ok(await connector.waitFor(() => !!threadOf(connector)));
    assert.doesNotMatch(JSON.stringify(connector.sent), /121212-?1212/);
    assert.doesNotMatch(JSON.stringify(connector.created), /121212-?1212/);
  });
}

describe('access requests: lowdb', () => {
  lifecycle(async () => ({ DATA_DIR: await tempDir() }));
});

describe('access requests: PostgreSQL', function () {
  let server: TestPostgres;
  before(async function () {
    server = await postgresForSuite(this);
  });
  after(async () => server?.stop());
  lifecycle(async () => ({
    DATA_DIR: await tempDir(),
    DATABASE_URL: await server.freshDatabase(),
  }));
});
