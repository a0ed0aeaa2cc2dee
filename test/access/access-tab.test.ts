import assert from 'node:assert/strict';
import type { RunningApp } from '../../src/app.js';
import { quarterOf } from '../../src/stats/quarter.js';
import { cardsOf } from '../support/activities.js';
import { startBot, tempDir, testConfig } from '../support/bot.js';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector.js';
import {
  accessFlow,
  APPLICANT,
  filledForm,
  MANAGER,
  requestIdOf,
  STAFF,
  versionOf,
} from './access-flow.js';

describe('access requests on the tab: per quarter, search, CSV, statistics', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  const flow = accessFlow(
    () => bot.url,
    () => connector,
  );
  const get = async (path: string) => {
    const res = await fetch(`${bot.url}${path}`);
    // Decoded by hand: Response.text() drops the BOM that Excel needs.
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, headers: res.headers, text: bytes.toString('utf8') };
  };

  before(async () => {
    connector = await startFakeConnector();
    bot = await startBot(
      testConfig({
        DATA_DIR: await tempDir(),
        SUPPORT_STAFF_IDS: `aad-${STAFF}`,
        RATE_LIMIT_BURST: '1000',
      }),
    );
    await flow.inChannel(STAFF, 'registrera supportkanal');
    await flow.say(MANAGER, 'hej');
    await flow.apply(APPLICANT);
    const card = cardsOf(await flow.waitInChat(MANAGER, /Godkänn behörighetsansökan 1/))[0];
    await flow.click(MANAGER, 'access.approve', {
      requestId: requestIdOf(card),
      version: versionOf(card),
    });
    await flow.apply(
      APPLICANT,
      filledForm({
        kind: 'andring',
        subjectName: '=Sven;"Ändrad"',
        subjectContact: 'sven@example.se',
        managerId: `aad-${APPLICANT}`,
      }),
    );
  });
  after(() => Promise.all([bot.stop(), connector.stop()]));

  it('lists the quarter’s requests with who applied and approved, and counts them per kind', async () => {
    const res = await get(`/api/access-requests?quarter=${quarterOf(new Date())}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = JSON.parse(res.text);
    assert.equal(body.counts.total, 2);
    assert.deepEqual(
      body.counts.byKind.map((k: { count: number }) => k.count),
      [1, 1, 0],
    );
    const first = body.rows.find((r: string[]) => r[0] === '1');
    assert.equal(first[4], 'Nils Nyanställd');
    assert.match(first[11], /Anna Andersson/);
    assert.match(first[12], /Maria Chef/, 'approved by, with the time');
    const other = body.rows.find((r: string[]) => r[0] === '2');
    assert.match(other[15], /angav sig själv som chef/);

    const empty = JSON.parse((await get('/api/access-requests?quarter=2020-Q1')).text);
    assert.equal(empty.counts.total, 0);
  });

  it('finds requests by the person concerned, by name or e-mail', async () => {
    const byName = JSON.parse((await get('/api/access-requests?q=nyanställd')).text);
    assert.deepEqual(
      byName.rows.map((r: string[]) => r[0]),
      ['1'],
    );
    const byMail = JSON.parse((await get('/api/access-requests?q=NILS.NYANSTALLD@example')).text);
    assert.deepEqual(
      byMail.rows.map((r: string[]) => r[0]),
      ['1'],
    );
    const none = JSON.parse((await get('/api/access-requests?q=%25')).text);
    assert.equal(none.rows.length, 0, 'a % is a character, not a pattern');
  });

  it('exports CSV for Excel: BOM, semicolons, quoted cells, no formulas', async () => {
    const res = await get(`/api/access-requests.csv?quarter=${quarterOf(new Date())}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    assert.match(
      res.headers.get('content-disposition') ?? '',
      /behorighetsansokningar-\d{4}-Q\d\.csv/,
    );
    assert.ok(res.text.startsWith('\ufeffNummer;Skickad;Gäller;Status;Person'));
    assert.match(res.text, /"'=Sven;""Ändrad"""/);
    assert.equal(res.text.trimEnd().split('\r\n').length, 3);
  });

  it('refuses bad input with 400', async () => {
    assert.equal((await get('/api/access-requests?quarter=2025-Q9')).status, 400);
    assert.equal((await get(`/api/access-requests?q=${'x'.repeat(201)}`)).status, 400);
    assert.equal((await get('/api/access-requests.csv?quarter=nej')).status, 400);
  });

  it('counts access requests as their own category in the quarter’s statistics', async () => {
    const report = JSON.parse((await get(`/api/stats?quarter=${quarterOf(new Date())}`)).text);
    const tickets = report.figures.find((f: { id: string }) => f.id === 'tickets');
    const row = tickets.rows.find((r: { label: string }) => r.label === 'Behörighetsansökningar');
    assert.equal(row.current, 2);
  });

  it('serves its script beside the statistics page', async () => {
    const res = await get('/tab/access-requests.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /javascript/);
    assert.match((await get('/tab')).text, /access-requests\.js/);
  });
});
