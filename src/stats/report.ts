import { clusterGaps, GAP_CANDIDATES, type GapCluster, type GapGroup } from './gaps.js';
import {
  previousQuarter,
  quarterBounds,
  quarterLabel,
  quarterOf,
  type QuarterKey,
} from './quarter.js';
import type { StatsStore } from './store.js';
import { COUNTERS, NO_CATEGORY, emptyCounts, type CategoryCounts } from './tally.js';
import type { TicketFact, TicketFactsSource } from './tickets.js';
import { statsTexts } from './texts.js';

export interface FigureRow {
  label: string;
  current: number | null;
  previous: number | null;
}

export type Unit = 'count' | 'share' | 'hours' | 'days';

/** One figure of the tab: a chart and the table under it. */
export interface Figure {
  id: string;
  title: string;
  unit: Unit;
  rowHeading: string;
  rows: FigureRow[];
}

/** One figure of "Kvartalet i korthet": the quarter, its comparisons and eight quarters' trend. */
export interface Headline {
  id: string;
  title: string;
  unit: Unit;
  /** How the figure is worked out, in a sentence the coordinator can repeat. */
  note: string;
  current: number | null;
  previous: number | null;
  yearAgo: number | null;
  /** The last eight quarters, oldest first, ending with the quarter shown. */
  trend: (number | null)[];
}

export interface Overview {
  yearAgo: QuarterKey;
  yearAgoLabel: string;
  /** The trend's quarters, oldest first. */
  quarters: { key: QuarterKey; label: string }[];
  headlines: Headline[];
}

export interface QuarterReport {
  quarter: QuarterKey;
  label: string;
  previous: QuarterKey;
  previousLabel: string;
  /** Quarters the coordinator can pick: those with data, and the current one. */
  quarters: { key: QuarterKey; label: string }[];
  overview: Overview;
  figures: Figure[];
  gaps: GapCluster[];
}

export interface ReportDeps {
  store: StatsStore;
  tickets: TicketFactsSource;
  /** The knowledge base's categories, in its order: every one gets a row, even at 0. */
  categories: () => string[];
  /** Support hours between two instants (the routine's opening hours, holidays closed). */
  supportHoursBetween: (from: Date, to: Date) => number;
  now: () => Date;
}

interface TicketCounts {
  tickets: number;
  afterAnswer: number;
  level2: number;
  level3: number;
  firstResponse: number[];
  resolution: number[];
  resolutionCalendar: number[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TREND_QUARTERS = 8;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

const noTicketCounts = (): TicketCounts => ({
  tickets: 0,
  afterAnswer: 0,
  level2: 0,
  level3: 0,
  firstResponse: [],
  resolution: [],
  resolutionCalendar: [],
});

function ticketCounts(
  facts: TicketFact[],
  supportHoursBetween: (from: Date, to: Date) => number,
): Map<string, TicketCounts> {
  const out = new Map<string, TicketCounts>();
  for (const t of facts) {
    const key = t.category ?? NO_CATEGORY;
    let c = out.get(key);
    if (!c) out.set(key, (c = noTicketCounts()));
    c.tickets++;
    if (t.afterAnswer) c.afterAnswer++;
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
  for (const c of all) for (const k of COUNTERS) total[k] += c[k];
  return total;
}

function mergeTickets(all: Iterable<TicketCounts>): TicketCounts {
  const t = noTicketCounts();
  for (const c of all) {
    t.tickets += c.tickets;
    t.afterAnswer += c.afterAnswer;
    t.level2 += c.level2;
    t.level3 += c.level3;
    t.firstResponse.push(...c.firstResponse);
    t.resolution.push(...c.resolution);
    t.resolutionCalendar.push(...c.resolutionCalendar);
  }
  return t;
}

/** One quarter's data: counters and tickets per category. */
interface QuarterData {
  counts: Map<string, CategoryCounts>;
  tickets: Map<string, TicketCounts>;
}

/** A per-category figure: its id, unit and how a row's value comes from the counts. */
interface FigureDef {
  id: keyof typeof statsTexts.figures;
  unit: Unit;
  value: (c: CategoryCounts, t: TicketCounts) => number | null;
}

// The per-category figures, in the page's order. A new figure is a line here and a title in texts.ts.
const BY_CATEGORY: FigureDef[] = [
  { id: 'questions', unit: 'count', value: (c) => c.questions },
  {
    id: 'answeredShare',
    unit: 'share',
    value: (c) => share(c.answered + c.choicePicked, c.questions),
  },
  { id: 'helpfulShare', unit: 'share', value: (c) => share(c.helpful, c.helpful + c.notHelpful) },
  { id: 'calls', unit: 'count', value: (c) => c.calls },
];
const TICKET_FIGURES: FigureDef[] = [
  { id: 'tickets', unit: 'count', value: (_c, t) => t.tickets },
  { id: 'level2', unit: 'count', value: (_c, t) => t.level2 },
  { id: 'level3', unit: 'count', value: (_c, t) => t.level3 },
  { id: 'firstResponse', unit: 'hours', value: (_c, t) => median(t.firstResponse) },
  { id: 'resolution', unit: 'hours', value: (_c, t) => median(t.resolution) },
  { id: 'resolutionCalendar', unit: 'days', value: (_c, t) => median(t.resolutionCalendar) },
];

/** "Kvartalet i korthet": each figure from a quarter's totals. */
const HEADLINES: {
  id: keyof typeof statsTexts.headlines;
  unit: Unit;
  value: (c: CategoryCounts, t: TicketCounts) => number | null;
}[] = [
  { id: 'questions', unit: 'count', value: (c) => c.questions },
  {
    // Answered at nivå 0 (directly, or after "Menade du …?") and no ticket opened after that
    // answer, out of every contact: questions to the bot and phone calls.
    id: 'selfService',
    unit: 'share',
    value: (c, t) =>
      share(Math.max(0, c.answered + c.choicePicked - t.afterAnswer), c.questions + c.calls),
  },
  { id: 'tickets', unit: 'count', value: (_c, t) => t.tickets },
  { id: 'calls', unit: 'count', value: (c) => c.calls },
  { id: 'resolution', unit: 'hours', value: (_c, t) => median(t.resolution) },
];

/** The last `n` quarters up to and including `q`, oldest first. */
function quartersUpTo(q: QuarterKey, n: number): QuarterKey[] {
  const out = [q];
  while (out.length < n) out.unshift(previousQuarter(out[0]));
  return out;
}

/** The quarter's report: counts from the store, the few tickets counted on request. */
export function createReports({
  store,
  tickets,
  categories,
  supportHoursBetween,
  now,
}: ReportDeps) {
  // Merging the ranking compares a few hundred groups pairwise: done again only when the ranking
  // itself changed (a new question among the quarter's top groups), not on every page load.
  const clustered = new Map<QuarterKey, { signature: string; clusters: GapCluster[] }>();
  function clusterOnce(quarter: QuarterKey, ranked: GapGroup[]): GapCluster[] {
    const signature = ranked
      .map((g) =>
        [g.key, g.noAnswer, g.notHelpful, g.examples.length, g.topicIds.length].join('\u0000'),
      )
      .join('\u0001');
    const cached = clustered.get(quarter);
    if (cached?.signature === signature) return cached.clusters;
    const clusters = clusterGaps(ranked);
    clustered.delete(quarter);
    clustered.set(quarter, { signature, clusters });
    if (clustered.size > 16) clustered.delete(clustered.keys().next().value!);
    return clusters;
  }

  async function report(quarter: QuarterKey): Promise<QuarterReport> {
    const span = quartersUpTo(quarter, TREND_QUARTERS);
    const previous = previousQuarter(quarter);
    const yearAgo = span[span.length - 5];
    const [counts, facts, known, ranked] = await Promise.all([
      store.counts(span),
      tickets.openedBetween(quarterBounds(span[0]).from, quarterBounds(quarter).to),
      store.quarters(),
      store.topGaps(quarter, GAP_CANDIDATES),
    ]);
    const factsByQuarter = new Map<QuarterKey, TicketFact[]>();
    for (const f of facts) {
      const q = quarterOf(f.openedAt);
      factsByQuarter.set(q, [...(factsByQuarter.get(q) ?? []), f]);
    }
    const data = new Map<QuarterKey, QuarterData>(
      span.map((q) => [
        q,
        {
          counts: counts.get(q) ?? new Map(),
          tickets: ticketCounts(factsByQuarter.get(q) ?? [], supportHoursBetween),
        },
      ]),
    );
    const cur = data.get(quarter)!;
    const prev = data.get(previous)!;
    const totals = new Map(
      [...data].map(([q, d]) => [
        q,
        { counts: sumCounts(d.counts.values()), tickets: mergeTickets(d.tickets.values()) },
      ]),
    );

    // Rows: the knowledge base's categories, then any other seen (calls under "Övrigt", old
    // categories), and "Utan kategori" last.
    const keys = [...categories()];
    for (const d of [cur, prev])
      for (const k of [...d.counts.keys(), ...d.tickets.keys()])
        if (k !== NO_CATEGORY && !keys.includes(k)) keys.push(k);
    if ([cur, prev].some((d) => d.counts.has(NO_CATEGORY) || d.tickets.has(NO_CATEGORY)))
      keys.push(NO_CATEGORY);
    const label = (k: string) => (k === NO_CATEGORY ? statsTexts.noCategory : k);

    const byCategory = ({ id, unit, value }: FigureDef): Figure => {
      const pick = (d: QuarterData, k: string) =>
        value(d.counts.get(k) ?? emptyCounts(), d.tickets.get(k) ?? noTicketCounts());
      const total = (q: QuarterKey) => value(totals.get(q)!.counts, totals.get(q)!.tickets);
      return {
        id,
        title: statsTexts.figures[id],
        unit,
        rowHeading: statsTexts.category,
        rows: [
          ...keys.map((k) => ({ label: label(k), current: pick(cur, k), previous: pick(prev, k) })),
          { label: statsTexts.total, current: total(quarter), previous: total(previous) },
        ],
      };
    };
    const ch = statsTexts.channels;
    const t0 = totals.get(quarter)!.counts;
    const t1 = totals.get(previous)!.counts;
    const channelRow = (label: string, f: (c: CategoryCounts) => number) => ({
      label,
      current: f(t0),
      previous: f(t1),
    });
    const figures: Figure[] = [
      ...BY_CATEGORY.map(byCategory),
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
      ...TICKET_FIGURES.map(byCategory),
    ];

    const headlines: Headline[] = HEADLINES.map(({ id, unit, value }) => {
      const at = (q: QuarterKey) => value(totals.get(q)!.counts, totals.get(q)!.tickets);
      return {
        id,
        title: statsTexts.headlines[id].title,
        note: statsTexts.headlines[id].note,
        unit,
        current: at(quarter),
        previous: at(previous),
        yearAgo: at(yearAgo),
        trend: span.map(at),
      };
    });

    const picked = new Set([quarterOf(now()), ...known, quarter]);
    return {
      quarter,
      label: quarterLabel(quarter),
      previous,
      previousLabel: quarterLabel(previous),
      quarters: [...picked]
        .sort()
        .reverse()
        .map((key) => ({ key, label: quarterLabel(key) })),
      overview: {
        yearAgo,
        yearAgoLabel: quarterLabel(yearAgo),
        quarters: span.map((key) => ({ key, label: quarterLabel(key) })),
        headlines,
      },
      figures,
      gaps: clusterOnce(quarter, ranked),
    };
  }

  return { report, currentQuarter: () => quarterOf(now()) };
}
