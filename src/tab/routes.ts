import fs from 'node:fs/promises';
import path from 'node:path';
import type restify from 'restify';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config.js';
import type { Log } from '../log.js';
import { isQuarterKey, type QuarterKey } from '../stats/quarter.js';
import { NotStaffError, UnknownCategoryError, type Statistics } from '../stats/statistics.js';
import type { AccessResult } from './access.js';

export interface TabRoutesDeps {
  statistics: Statistics;
  access: (req: restify.Request) => Promise<AccessResult>;
  log: Log;
}

const PAGE_DIR = path.join(PROJECT_ROOT, 'src', 'tab', 'page');
const MODULES = path.join(PROJECT_ROOT, 'node_modules');

// Only these files are served: a name from the URL never becomes a path.
const PAGE_FILES: Record<string, [string, string]> = {
  'index.html': [path.join(PAGE_DIR, 'index.html'), 'text/html; charset=utf-8'],
  'tab.js': [path.join(PAGE_DIR, 'tab.js'), 'text/javascript; charset=utf-8'],
  'tab.css': [path.join(PAGE_DIR, 'tab.css'), 'text/css; charset=utf-8'],
  'teach.js': [path.join(PAGE_DIR, 'teach.js'), 'text/javascript; charset=utf-8'],
  // The browser bundles of the installed packages, so the page needs no network but this server.
  'teams.js': [
    path.join(MODULES, '@microsoft/teams-js/dist/umd/MicrosoftTeams.min.js'),
    'text/javascript; charset=utf-8',
  ],
  'chart.js': [
    path.join(MODULES, 'chart.js/dist/chart.umd.min.js'),
    'text/javascript; charset=utf-8',
  ],
};

const PAGE_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  // Teams shows the tab in a frame of its own domains; nothing else may frame it. Inside Teams,
  // teams-js fetches its list of valid domains from res.cdn.office.net.
  'content-security-policy':
    "default-src 'self'; connect-src 'self' https://res.cdn.office.net; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.cloud.microsoft https://*.microsoft365.com",
};

const API_HEADERS = { 'cache-control': 'no-store' };

const callBody = z.object({ category: z.string().trim().min(1).max(100) });

/** The statistics tab: its page at /tab, its figures at /api/stats. */
export function tabRoutes({ statistics, access, log }: TabRoutesDeps) {
  async function sendFile(res: restify.Response, name: string) {
    const file = PAGE_FILES[name];
    if (!file) {
      res.send(404, { error: 'Finns inte' });
      return;
    }
    res.sendRaw(200, await fs.readFile(file[0]), { 'content-type': file[1], ...PAGE_HEADERS });
  }

  /** Answers 401/403 with no figures unless the caller may read them. */
  async function allowed(req: restify.Request, res: restify.Response) {
    const who = await access(req);
    if (!who.ok) {
      res.send(
        who.status,
        { error: who.status === 401 ? 'Inloggning krävs' : 'Ingen behörighet' },
        API_HEADERS,
      );
      return undefined;
    }
    return who;
  }

  return (server: restify.Server) => {
    server.get('/tab', async (_req, res) => sendFile(res, 'index.html'));
    server.get('/tab/:file', async (req, res) => sendFile(res, String(req.params.file)));

    server.get('/api/stats', async (req, res) => {
      if (!(await allowed(req, res))) return;
      const asked = new URL(req.url ?? '', 'http://x').searchParams.get('quarter');
      if (asked !== null && !isQuarterKey(asked)) {
        res.send(400, { error: 'Ogiltigt kvartal, skriv t.ex. 2025-Q1' }, API_HEADERS);
        return;
      }
      const quarter = (asked ?? statistics.currentQuarter()) as QuarterKey;
      const report = await statistics.report(quarter);
      res.send(200, { ...report, callCategories: statistics.callCategories() }, API_HEADERS);
    });

    server.post('/api/stats/calls', async (req, res) => {
      const who = await allowed(req, res);
      if (!who) return;
      const body = callBody.safeParse(req.body);
      if (!body.success) {
        res.send(400, { error: 'Ange samtalets kategori' }, API_HEADERS);
        return;
      }
      try {
        const r = await statistics.registerCall(who.userId, body.data.category, 'tab');
        log.info({ category: r.entry.category, via: 'tab' }, 'call registered');
        res.send(
          201,
          { category: r.entry.category, quarter: r.quarterLabel, countInQuarter: r.countInQuarter },
          API_HEADERS,
        );
      } catch (e) {
        if (e instanceof UnknownCategoryError)
          res.send(400, { error: 'Okänd kategori' }, API_HEADERS);
        else if (e instanceof NotStaffError)
          res.send(403, { error: 'Ingen behörighet' }, API_HEADERS);
        else throw e;
      }
    });
  };
}
