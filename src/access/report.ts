import type { TicketFact, TicketFactsSource } from '../stats/tickets.js';
import { formatTime } from '../tickets/cards.js';
import type { AccessForm } from './form.js';
import type { AccessRequestRepository } from './repository.js';
import { ACCESS_KINDS, type AccessRequest } from './request.js';
import { accessTexts as T } from './texts.js';

/**
 * Access requests as the coordinator reads them: one row per request with who did what and when
 * (the digital documentation the routine asks for), the quarter's counts, and the CSV file.
 */

export const ACCESS_COLUMNS = [
  'Nummer',
  'Skickad',
  'Gäller',
  'Status',
  'Person',
  'E-post eller HSA-id',
  'Arbetsplats/enhet',
  'Organisation',
  'Roll',
  'Från och med',
  'Ansvarig chef',
  'Sökande',
  'Godkänd av chef',
  'Registrerad',
  'Avslagen',
  'Märkning',
  'Gallrad',
] as const;

export interface AccessRow {
  id: string;
  cells: string[];
}

function step(r: AccessRequest, kinds: string[], tz: string): string {
  const e = [...r.history].reverse().find((x) => kinds.includes(x.kind));
  return e ? `${formatTime(e.at, tz)} ${e.by.name}` : '';
}

export function accessRow(form: AccessForm, r: AccessRequest, tz: string): AccessRow {
  const choice = (name: 'unit' | 'organisation' | 'role', v: string) =>
    form.fields[name].choices?.find((c) => c.value === v)?.title ?? v;
  return {
    id: r.id,
    cells: [
      String(r.number),
      formatTime(r.createdAt, tz),
      form.kinds[r.kind],
      T.status[r.status],
      r.subject.name,
      r.subject.contact,
      choice('unit', r.subject.unit),
      choice('organisation', r.subject.organisation),
      choice('role', r.role),
      r.fromDate,
      [r.manager.name, r.manager.email].filter((x, i, a) => x && a.indexOf(x) === i).join(', '),
      r.applicant.name,
      step(r, ['approved'], tz),
      step(r, ['registered'], tz),
      step(r, ['rejected', 'declined'], tz),
      r.routed && r.routed !== 'filed-by-manager' ? T.routed[r.routed] : '',
      r.redactedAt ? formatTime(r.redactedAt, tz) : '',
    ],
  };
}

/** The quarter's counts: per kind and per status; they stay when personal details are removed. */
export function accessCounts(form: AccessForm, requests: AccessRequest[]) {
  const count = (f: (r: AccessRequest) => boolean) => requests.filter(f).length;
  return {
    total: requests.length,
    byKind: ACCESS_KINDS.map((k) => ({ label: form.kinds[k], count: count((r) => r.kind === k) })),
    byStatus: (Object.keys(T.status) as AccessRequest['status'][]).map((s) => ({
      label: T.status[s],
      count: count((r) => r.status === s),
    })),
  };
}

// Semicolons and a BOM, as Swedish Excel expects; a cell starting with "=" is not a formula.
const FORMULA_START = /^[=+\-@\t\r]/;
function csvCell(text: string) {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
export const toCsv = (rows: readonly (readonly string[])[]) =>
  `\ufeff${rows.map((r) => r.map(csvCell).join(';')).join('\r\n')}\r\n`;

/** The category access requests are counted under in the quarter's statistics. */
export const ACCESS_CATEGORY = 'Behörighetsansökningar';

const RESPONSES = new Set(['approved', 'declined', 'registered', 'info-requested', 'rejected']);
const ENDS = new Set(['registered', 'rejected', 'declined']);

/** What statistics need of a request: counted like a ticket, in a category of its own. */
export function accessFact(r: AccessRequest): TicketFact {
  let firstResponseAt: Date | null = null;
  let resolvedAt: Date | null = null;
  for (const e of r.history) {
    if (!firstResponseAt && RESPONSES.has(e.kind)) firstResponseAt = new Date(e.at);
    if (ENDS.has(e.kind)) resolvedAt = new Date(e.at);
  }
  return {
    id: `access:${r.id}`,
    category: ACCESS_CATEGORY,
    openedAt: new Date(r.createdAt),
    firstResponseAt,
    resolvedAt,
    maxLevel: 1,
    // An application is not a question the bot failed to answer: it never lowers självbetjäningsgraden.
    afterAnswer: false,
  };
}

/** The tickets' figures with access requests added as their own category. */
export function withAccessRequests(
  tickets: TicketFactsSource,
  repo: Pick<AccessRequestRepository, 'listCreatedBetween'>,
): TicketFactsSource {
  return {
    async openedBetween(from, to) {
      const [t, a] = await Promise.all([
        tickets.openedBetween(from, to),
        repo.listCreatedBetween(from, to),
      ]);
      return [...t, ...a.map(accessFact)];
    },
  };
}
