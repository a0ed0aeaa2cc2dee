import type { GapCluster } from './gaps.js';
import { NO_CATEGORY, emptyCounts, type CategoryCounts, type StatsCounters } from './counters.js';
import {
  previousQuarter,
  quarterBounds,
  quarterLabel,
  quarterOf,
  type QuarterKey,
} from './quarter.js';
import type { TicketFact, TicketFactsSource } from './tickets.js';
import { statsTexts } from './texts.js';

export interface FigureRow {
  label: string;
  current: number | null;
  previous: number | null;
}

/** One figure of the tab: a chart and the table under it. */
export interface Figure {
  id: string;
  title: string;
  unit: 'count' | 'share' | 'hours' | 'days';
  rowHeading: string;
  rows: FigureRow[];
}

export interface QuarterReport {
  quarter: QuarterKey;
  label: string;
  previous: QuarterKey;
  previousLabel: string;
  /** Quarters the coordinator can pick: those with data, and the current one. */
  quarters: { key: QuarterKey; label: string }[];
  figures: Figure[];
  gaps: GapCluster[];
}

export interface ReportDeps {
  counters: StatsCounters;
  tickets: TicketFactsSource;
  /** The knowledge base's categories, in its order: every one gets a row, even at 0. */
  categories: () => string[];
  /** Support hours between two instants (the routine's opening hours, holidays closed). */
  supportHoursBetween: (from: Date, to: Date) => number;
  now: () => Date;
}

interface TicketCounts {
  tickets: number;
  level2: number;
  level3: number;
  firstResponse: number[];
  resolution: number[];
  resolutionCalendar: number[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function ticketCounts(
  facts: TicketFact[],
  supportHoursBetween: (from: Date, to: Date) => number,
): Map<string, TicketCounts> {
  const out = new Map<string, TicketCounts>();
  for (const t of facts) {
    const key = t.category ?? NO_CATEGORY;
    let c = out.get(key);
    if (!c)
      out.set(
        key,
        (c = {
          tickets: 0,
          level2: 0,
          level3: 0,
          firstResponse: [],
          resolution: [],
          resolutionCalendar: [],
        }),
      );
    c.tickets++;
    if (t.maxLevel >= 2) c.level2++;
    if (t.maxLevel >= 3) c.level3++;
    if (t.firstResponseAt) c.firstResponse.push(supportHoursBetween(t.openedAt, t.firstResponseAt));
    if (t.resolvedAt) {
      c.resolution.push(supportHoursBetween(t.openedAt, t.resolvedAt));
      c.resolutionCalendar.push(Math.max(0, t.resolvedAt.getTime() - t.openedAt.getTime()) / DAY);
    }
  }
  return out;
}

function sumCounts(all: Iterable<Readonly<CategoryCounts>>): CategoryCounts {
  const total = emptyCounts();
  for (const c of all)
    for (const k of Object.keys(total) as (keyof CategoryCounts)[]) total[k] += c[k];
  return total;
}

function mergeTickets(all: Iterable<TicketCounts>): TicketCounts {
  const t: TicketCounts = {
    tickets: 0,
    level2: 0,
    level3: 0,
    firstResponse: [],
    resolution: [],
    resolutionCalendar: [],
  };
  for (const c of all) {
    t.tickets += c.tickets;
    t.level2 += c.level2;
    t.level3 += c.level3;
    t.firstResponse.push(...c.firstResponse);
    t.resolution.push(...c.resolution);
    t.resolutionCalendar.push(...c.resolutionCalendar);
  }
  return t;
}

/** The quarter's report: counters for questions, feedback and calls; the few tickets counted on request. */
export function createReports({
  counters,
  tickets,
  categories,
  supportHoursBetween,
  now,
}: ReportDeps) {
  async function quarterData(q: QuarterKey) {
    const { from, to } = quarterBounds(q);
    return {
      counts: counters.quarter(q),
      tickets: ticketCounts(await tickets.openedBetween(from, to), supportHoursBetween),
    };
  }

  async function report(quarter: QuarterKey): Promise<QuarterReport> {
    const previous = previousQuarter(quarter);
    const [cur, prev] = await Promise.all([quarterData(quarter), quarterData(previous)]);

    // Rows: the knowledge base's categories, then any other seen (calls under "Övrigt", old
    // categories), and "Utan kategori" last.
    const keys = [...categories()];
    for (const d of [cur, prev])
      for (const k of [...d.counts.keys(), ...d.tickets.keys()])
        if (k !== NO_CATEGORY && !keys.includes(k)) keys.push(k);
    if ([cur, prev].some((d) => d.counts.has(NO_CATEGORY) || d.tickets.has(NO_CATEGORY)))
      keys.push(NO_CATEGORY);
    const label = (k: string) => (k === NO_CATEGORY ? statsTexts.noCategory : k);

    const totals = [cur, prev].map((d) => ({
      counts: sumCounts(d.counts.values()),
      tickets: mergeTickets(d.tickets.values()),
    }));
    const byCategory = (
      id: string,
      unit: Figure['unit'],
      value: (c: CategoryCounts, t: TicketCounts) => number | null,
    ): Figure => {
      const pick = (d: typeof cur, k: string) =>
        value(d.counts.get(k) ?? emptyCounts(), d.tickets.get(k) ?? mergeTickets([]));
      return {
        id,
        title: statsTexts.figures[id as keyof typeof statsTexts.figures],
        unit,
        rowHeading: statsTexts.category,
        rows: [
          ...keys.map((k) => ({ label: label(k), current: pick(cur, k), previous: pick(prev, k) })),
          {
            label: statsTexts.total,
            current: value(totals[0].counts, totals[0].tickets),
            previous: value(totals[1].counts, totals[1].tickets),
          },
        ],
      };
    };
    const ch = statsTexts.channels;
    const channelRow = (label: string, f: (c: CategoryCounts) => number) => ({
      label,
      current: f(totals[0].counts),
      previous: f(totals[1].counts),
    });

    const figures: Figure[] = [
      byCategory('questions', 'count', (c) => c.questions),
      byCategory('answeredShare', 'share', (c) => share(c.answered + c.choicePicked, c.questions)),
      byCategory('helpfulShare', 'share', (c) => share(c.helpful, c.helpful + c.notHelpful)),
      byCategory('calls', 'count', (c) => c.calls),
      {
        id: 'channels',
        title: statsTexts.figures.channels,
        unit: 'count',
        rowHeading: statsTexts.channel,
        rows: [
          channelRow(ch.personal, (c) => c.personal),
          channelRow(ch.channel, (c) => c.channel),
          channelRow(ch.groupChat, (c) => c.groupChat),
          channelRow(ch.phone, (c) => c.calls),
          channelRow(statsTexts.total, (c) => c.personal + c.channel + c.groupChat + c.calls),
        ],
      },
      byCategory('tickets', 'count', (_c, t) => t.tickets),
      byCategory('level2', 'count', (_c, t) => t.level2),
      byCategory('level3', 'count', (_c, t) => t.level3),
      byCategory('firstResponse', 'hours', (_c, t) => median(t.firstResponse)),
      byCategory('resolution', 'hours', (_c, t) => median(t.resolution)),
      byCategory('resolutionCalendar', 'days', (_c, t) => median(t.resolutionCalendar)),
    ];

    const current = quarterOfNow();
    const known = new Set([current, ...counters.knownQuarters(), quarter]);
    return {
      quarter,
      label: quarterLabel(quarter),
      previous,
      previousLabel: quarterLabel(previous),
      quarters: [...known]
        .sort()
        .reverse()
        .map((key) => ({ key, label: quarterLabel(key) })),
      figures,
      gaps: counters.quarterGaps(quarter).top(now().getTime()),
    };
  }

  const quarterOfNow = () => quarterOf(now());
  return { report, currentQuarter: quarterOfNow };
}
