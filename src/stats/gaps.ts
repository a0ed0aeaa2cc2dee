import { contentWords, stem } from '../knowledge/text.js';
import { maskPersonnummer } from '../privacy/mask.js';
import type { QuarterKey } from './quarter.js';

/** Questions alike enough to count as one gap: same stems of the content words, any order. */
export function gapKey(text: string): string {
  return [...new Set(contentWords(text).map(stem))].sort().join(' ');
}

/** One change to a knowledge gap group: its key and the masked example it came with. */
export interface GapChange {
  quarter: QuarterKey;
  key: string;
  kind: 'noAnswer' | 'notHelpful';
  delta: 1 | -1;
  /** Masked question text, only when delta is +1. */
  example?: string;
  topicId?: string;
}

const MAX_EXAMPLES = 3;
const MAX_STALE_MS = 60_000;

/** One normalised question that went unanswered or got a 👎. */
export interface GapGroup {
  key: string;
  noAnswer: number;
  notHelpful: number;
  /** Masked question texts, as users wrote them. */
  examples: string[];
  /** Topics the bot answered with where the answer got a 👎. */
  topicIds: string[];
}

/** A knowledge gap as shown: similar groups merged. */
export interface GapCluster {
  question: string;
  count: number;
  noAnswer: number;
  notHelpful: number;
  examples: string[];
  topicIds: string[];
}

/** How many groups a closed quarter keeps: far more than the page's candidates, a fraction of all. */
export const KEPT_GAP_GROUPS = 1000;

/** Gap groups of one quarter, updated as questions and feedback are logged (in memory: lowdb). */
export class GapCounter {
  private readonly groups = new Map<string, GapGroup>();
  // A past quarter does not change: its ranking is worked out once, not on every page load. The
  // current quarter changes with every unanswered question; its ranking may lag a minute behind,
  // which a quarterly work list can afford and a page load every few seconds then does not pay.
  private version = 0;
  private cached: { version: number; k: number; at: number; ranked: GapGroup[] } | undefined;

  add(change: Pick<GapChange, 'key' | 'kind' | 'delta' | 'example' | 'topicId'>): void {
    const { key, kind, delta, example, topicId } = change;
    this.version++;
    let g = this.groups.get(key);
    if (!g) {
      g = { key, noAnswer: 0, notHelpful: 0, examples: [], topicIds: [] };
      this.groups.set(key, g);
    }
    g[kind] = Math.max(0, g[kind] + delta);
    if (delta > 0 && example && g.examples.length < MAX_EXAMPLES && !g.examples.includes(example))
      g.examples.push(example);
    if (delta > 0 && topicId && g.topicIds.length < MAX_EXAMPLES && !g.topicIds.includes(topicId))
      g.topicIds.push(topicId);
  }

  get size() {
    return this.groups.size;
  }

  /** The k most frequent groups, in one pass: a quarter can hold tens of thousands of groups. */
  mostFrequent(k: number, nowMs: number): GapGroup[] {
    const c = this.cached;
    if (c && c.k === k && (c.version === this.version || nowMs - c.at < MAX_STALE_MS))
      return c.ranked;
    const ranked = rankGroups(this.groups.values(), k);
    this.cached = { version: this.version, k, at: nowMs, ranked };
    return ranked;
  }

  /**
   * Keeps only the most frequent groups: for a quarter that is over, whose long tail of questions
   * asked once can no longer reach the list, so memory and the snapshot stay flat over the years.
   */
  compact(keep = KEPT_GAP_GROUPS): void {
    if (this.groups.size <= keep) return;
    const kept = rankGroups(this.groups.values(), keep);
    this.groups.clear();
    for (const g of kept) this.groups.set(g.key, g);
    this.version++;
  }

  toJSON(): GapGroup[] {
    return [...this.groups.values()];
  }

  static fromJSON(groups: GapGroup[]): GapCounter {
    const c = new GapCounter();
    for (const g of groups) c.groups.set(g.key, g);
    return c;
  }
}

const score = (g: GapGroup) => g.noAnswer + g.notHelpful;

/** The k most frequent groups with any count, most frequent first (ties by key). */
function rankGroups(groups: Iterable<GapGroup>, k: number): GapGroup[] {
  const before = (x: GapGroup, y: GapGroup) =>
    score(x) > score(y) || (score(x) === score(y) && x.key < y.key);
  const best: GapGroup[] = [];
  for (const g of groups) {
    if (score(g) <= 0) continue;
    if (best.length === k && !before(g, best[k - 1])) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(best[mid], g)) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, g);
    if (best.length > k) best.pop();
  }
  return best;
}

/** How many top groups are merged by similarity for the page: a few hundred, never all pairs. */
export const GAP_CANDIDATES = 300;

/**
 * The most frequent gaps as shown: the top groups (ranked by the store) merged by word overlap,
 * then the first `limit`. Only the candidates are compared, so a page load never compares every
 * pair of the quarter's questions.
 */
export function clusterGaps(ranked: GapGroup[], limit = 20, similarity = 0.5): GapCluster[] {
  const clusters: { stems: string[]; cluster: GapCluster }[] = [];
  for (const g of ranked) {
    const stems = g.key.split(' ');
    const home = clusters.find((c) => jaccard(c.stems, stems) >= similarity);
    if (home) {
      const c = home.cluster;
      c.count += g.noAnswer + g.notHelpful;
      c.noAnswer += g.noAnswer;
      c.notHelpful += g.notHelpful;
      for (const e of g.examples)
        if (c.examples.length < MAX_EXAMPLES && !c.examples.includes(e)) c.examples.push(e);
      for (const t of g.topicIds) if (!c.topicIds.includes(t)) c.topicIds.push(t);
    } else {
      clusters.push({
        stems,
        cluster: {
          question: g.examples[0] ?? g.key,
          count: g.noAnswer + g.notHelpful,
          noAnswer: g.noAnswer,
          notHelpful: g.notHelpful,
          examples: [...g.examples],
          topicIds: [...g.topicIds],
        },
      });
    }
  }
  return clusters
    .map((c) => c.cluster)
    .sort((x, y) => y.count - x.count)
    .slice(0, limit)
    .map((c) => ({
      ...c,
      question: maskPersonnummer(c.question),
      examples: c.examples.map(maskPersonnummer),
    }));
}

// The stemmer leaves some inflections ("konferensrummet"); a long shared start is the same word.
const sameWord = (a: string, b: string) =>
  a === b || (Math.min(a.length, b.length) >= 5 && (a.startsWith(b) || b.startsWith(a)));

/** Word overlap of two keys' stems (each unique, as gapKey makes them). */
function jaccard(a: string[], b: string[]): number {
  let shared = 0;
  for (const x of a) {
    for (const y of b) {
      if (sameWord(x, y)) {
        shared++;
        break;
      }
    }
  }
  return shared / (a.length + b.length - shared);
}
