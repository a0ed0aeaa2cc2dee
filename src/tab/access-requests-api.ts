import fs from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';
import type { AccessForm } from '../access/form.js';
import { ACCESS_COLUMNS, accessCounts, accessRow, toCsv } from '../access/report.js';
import type { AccessRequestRepository } from '../access/repository.js';
import { PROJECT_ROOT } from '../config.js';
import type { Log } from '../log.js';
import {
  isQuarterKey,
  quarterBounds,
  quarterLabel,
  quarterOf,
  previousQuarter,
  type QuarterKey,
} from '../stats/quarter.js';
import type { AccessResult } from './access.js';

export interface AccessRequestsApiDeps {
  repo: AccessRequestRepository;
  form: AccessForm;
  timeZone: string;
  /** Who may read: support staff and coordinators, as for the statistics. */
  access: (req: restify.Request) => Promise<AccessResult>;
  now: () => Date;
  log: Log;
}

const PAGE = path.join(PROJECT_ROOT, 'src', 'tab', 'page', 'access-requests.js');
const API_HEADERS = { 'cache-control': 'no-store' };
const MAX_SEARCH = 200;

/**
 * The access requests part of the tab: its script at /tab/access-requests.js, the quarter's list
 * and counts at /api/access-requests, the same as CSV at /api/access-requests.csv, and a search by
 * the person concerned (?q=). Personal data: the same 401/403 as the statistics, never cached.
 */
export function accessRequestsApi({
  repo,
  form,
  timeZone,
  access,
  now,
  log,
}: AccessRequestsApiDeps) {
  async function allowed(req: restify.Request, res: restify.Response) {
    const who = await access(req);
    if (who.ok) return who;
    res.send(
      who.status,
      { error: who.status === 401 ? 'Inloggning krävs' : 'Ingen behörighet' },
      API_HEADERS,
    );
    return undefined;
  }

  /** The quarter asked for (default: this one), the search text, or a 400. */
  function query(req: restify.Request, res: restify.Response) {
    const params = new URL(req.url ?? '', 'http://x').searchParams;
    const q = (params.get('q') ?? '').trim();
    if (q.length > 200) {
      res.send(400, { error: 'Sökningen är för lång' }, API_HEADERS);
      return undefined;
    }
    const asked = params.get('quarter');
    if (asked !== null && !isQuarterKey(asked)) {
      res.send(400, { error: 'Ogiltigt kvartal, skriv t.ex. 2025-Q1' }, API_HEADERS);
      return undefined;
    }
    return { quarter: (asked ?? quarterOf(now())) as QuarterKey, q };
  }

  async function rows(quarter: QuarterKey, q: string) {
    if (q) return repo.search(q, MAX_SEARCH);
    const { from, to } = quarterBounds(quarter);
    return repo.listCreatedBetween(from, to);
  }

  const quarters = () => {
    const list: QuarterKey[] = [quarterOf(now())];
    while (list.length < 8) list.push(previousQuarter(list[list.length - 1]));
    return list.map((key) => ({ key, label: quarterLabel(key) }));
  };

  return (server: restify.Server) => {
    server.get('/tab/access-requests.js', async (_req, res) => {
      res.sendRaw(200, await fs.readFile(PAGE), {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
    });

    server.get('/api/access-requests', async (req, res) => {
      if (!(await allowed(req, res))) return;
      const asked = query(req, res);
      if (!asked) return;
      const list = await rows(asked.quarter, asked.q);
      res.send(
        200,
        {
          quarter: asked.quarter,
          quarterLabel: quarterLabel(asked.quarter),
          quarters: quarters(),
          search: asked.q || null,
          counts: accessCounts(form, list),
          columns: ACCESS_COLUMNS,
          rows: list.map((r) => accessRow(form, r, timeZone).cells),
        },
        API_HEADERS,
      );
    });

    server.get('/api/access-requests.csv', async (req, res) => {
      const who = await allowed(req, res);
      if (!who) return;
      const asked = query(req, res);
      if (!asked) return;
      const list = await rows(asked.quarter, asked.q);
      log.info(
        { user: who.userId, quarter: asked.quarter, rows: list.length },
        'access requests exported',
      );
      const name = asked.q
        ? 'behorighetsansokningar-sok'
        : `behorighetsansokningar-${asked.quarter}`;
      res.sendRaw(
        200,
        toCsv([ACCESS_COLUMNS, ...list.map((r) => accessRow(form, r, timeZone).cells)]),
        {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="${name}.csv"`,
          ...API_HEADERS,
        },
      );
    });
  };
}
