import { contentWords, stem } from './text.js';
import type { Topic } from './topic.js';

/**
 * The phrases support staff taught the bot ("Lär boten"), as an index the bot asks before the
 * knowledge base. A question matches a taught phrase when it is the same phrase (same content-word
 * stems, any order) or a close paraphrase: the stems they share (or character trigrams, for
 * misspellings and compounds), weighted by idf, make up at least the threshold of each side. Words
 * many topics use count for little, so a taught phrase does not swallow an unrelated question
 * that happens to share "beställning", nor a long message that is mostly about something else.
 */

/** The target of a taught phrase: an answerable topic's id, or out of scope (the bot holds). */
export const OUT_OF_SCOPE = 'out-of-scope';

export interface TaughtEntry {
  id: string;
  /** Masked phrase as taught. */
  question: string;
  topicId: string;
}

export interface TaughtHit {
  entry: TaughtEntry;
  /** In [0, 1]: 1 for the same phrase. */
  similarity: number;
}

/**
 * Measured with `npx tsx bench/taught.ts --pairs`: with the dev set taught, 39 validation
 * questions reach 0.6 and 38 of them have the taught topic; within the dev set and within the
 * validation set (questions written to differ) no pair of different topics reaches it.
 */
export const DEFAULT_TAUGHT_THRESHOLD = 0.6;
/** The trigram signal alone must be this close: it also rewards shared endings, not only words. */
const TRIGRAM_DISCOUNT = 0.9;
const MAX_CANDIDATES = 64;
/** How many of the candidates closest by stems are compared by trigrams too. */
const TRIGRAM_CANDIDATES = 8;

/** Same normalisation as the knowledge-gap list: the sorted, distinct content-word stems. */
export function taughtKey(text: string): string {
  return [...new Set(contentWords(text).map(stem))].sort().join(' ');
}

function trigramsOf(words: string[]): string[] {
  const grams = new Set<string>();
  for (const w of words) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return [...grams];
}

/** A phrase's terms, worked out once: phrases recur on every rebuild of the index. */
interface Prepared {
  key: string;
  stemSet: Set<string>;
  grams: string[];
}
const preparedCache = new Map<string, Prepared>();
function prepare(text: string): Prepared {
  let p = preparedCache.get(text);
  if (!p) {
    const words = contentWords(text);
    const stemSet = new Set(words.map(stem));
    p = { key: [...stemSet].sort().join(' '), stemSet, grams: trigramsOf(words) };
    if (preparedCache.size >= 50_000) preparedCache.clear();
    preparedCache.set(text, p);
  }
  return p;
}

/** Document frequencies of the topic files' stems and trigrams, once per loaded knowledge base. */
const countsCache = new WeakMap<
  Topic[],
  { stemDf: Map<string, number>; gramDf: Map<string, number>; docs: number }
>();
function topicCounts(topics: Topic[]) {
  let counts = countsCache.get(topics);
  if (!counts) {
    counts = { stemDf: new Map(), gramDf: new Map(), docs: topics.length };
    for (const t of topics) {
      const words = contentWords(
        [t.title, ...t.keywords, ...t.phrases, t.answer, ...t.steps, ...t.notes].join(' '),
      );
      for (const s of new Set(words.map(stem)))
        counts.stemDf.set(s, (counts.stemDf.get(s) ?? 0) + 1);
      for (const g of trigramsOf(words)) counts.gramDf.set(g, (counts.gramDf.get(g) ?? 0) + 1);
    }
    countsCache.set(topics, counts);
  }
  return counts;
}

/** Terms with their idf weights, and the sum of the weights. */
interface Vector {
  weights: Map<string, number>;
  mass: number;
}

interface Indexed {
  entry: TaughtEntry;
  stems: Vector;
  grams: Vector;
}

export interface TaughtIndex {
  match(question: string): TaughtHit | undefined;
  readonly size: number;
}

/**
 * How much of each side the shared terms explain, by weight; the smaller of the two. A short
 * taught phrase inside a long question that is mostly about something else is not a match.
 */
function overlap(q: Vector, p: Vector): number {
  if (!q.mass || !p.mass) return 0;
  let shared = 0;
  for (const [t, w] of q.weights) if (p.weights.has(t)) shared += w;
  return Math.min(shared / q.mass, shared / p.mass);
}

/**
 * Builds the index. `topics` give the document frequencies (how common a word is across the
 * knowledge base), together with the taught phrases themselves.
 */
export function createTaughtIndex(
  entries: TaughtEntry[],
  topics: Topic[],
  threshold = DEFAULT_TAUGHT_THRESHOLD,
): TaughtIndex {
  const base = topicCounts(topics);
  const stemDf = new Map(base.stemDf);
  const gramDf = new Map(base.gramDf);
  const taught = entries.map((e) => prepare(e.question));
  for (const p of taught) {
    for (const t of p.stemSet) stemDf.set(t, (stemDf.get(t) ?? 0) + 1);
    for (const g of p.grams) gramDf.set(g, (gramDf.get(g) ?? 0) + 1);
  }
  const n = base.docs + taught.length + 1;
  const vector = (terms: Iterable<string>, df: Map<string, number>): Vector => {
    const weights = new Map<string, number>();
    let mass = 0;
    for (const t of terms) {
      if (weights.has(t)) continue;
      const w = Math.log(1 + n / ((df.get(t) ?? 0) + 1));
      weights.set(t, w);
      mass += w;
    }
    return { weights, mass };
  };

  // The latest entry for a key wins: entries come oldest first.
  const byKey = new Map<string, Indexed>();
  entries.forEach((entry, i) => {
    const p = taught[i];
    if (!p.key) return;
    byKey.set(p.key, { entry, stems: vector(p.stemSet, stemDf), grams: vector(p.grams, gramDf) });
  });
  const indexed = [...byKey.values()];
  // Stem → the phrases that hold it: only phrases sharing a word are compared.
  const postings = new Map<string, Indexed[]>();
  for (const item of indexed)
    for (const s of item.stems.weights.keys()) {
      let list = postings.get(s);
      if (!list) postings.set(s, (list = []));
      list.push(item);
    }

  function match(question: string): TaughtHit | undefined {
    if (!indexed.length) return undefined;
    const words = contentWords(question);
    if (!words.length) return undefined;
    const stems = words.map(stem);
    const exact = byKey.get([...new Set(stems)].sort().join(' '));
    if (exact) return { entry: exact.entry, similarity: 1 };
    const q = vector(stems, stemDf);
    // Candidates: phrases sharing a stem, rarest stems first, so a common word adds few.
    const byRarity = [...q.weights.keys()].sort(
      (a, b) => (postings.get(a)?.length ?? 0) - (postings.get(b)?.length ?? 0),
    );
    const candidates = new Set<Indexed>();
    outer: for (const s of byRarity)
      for (const item of postings.get(s) ?? []) {
        candidates.add(item);
        if (candidates.size >= MAX_CANDIDATES) break outer;
      }
    if (!candidates.size) return undefined;
    // Stems first, for every candidate (cheap); then trigrams, the costlier comparison, for the
    // few closest by stems. A candidate reaches this list by sharing a stem either way.
    const byStems = [...candidates]
      .map((item) => ({ item, similarity: overlap(q, item.stems) }))
      .sort((a, b) => b.similarity - a.similarity);
    let best: TaughtHit | undefined = byStems[0].similarity
      ? { entry: byStems[0].item.entry, similarity: byStems[0].similarity }
      : undefined;
    // An overlap can be no more than the ratio of the two masses: a phrase much shorter or longer
    // than the question is not compared term by term.
    const ratio = (a: number, b: number) => (a < b ? a / b : b / a);
    const grams = vector(trigramsOf(words), gramDf);
    for (const { item, similarity: byStem } of byStems.slice(0, TRIGRAM_CANDIDATES)) {
      const floor = Math.max(threshold, best?.similarity ?? 0, byStem);
      if (TRIGRAM_DISCOUNT * ratio(grams.mass, item.grams.mass) <= floor) continue;
      const similarity = TRIGRAM_DISCOUNT * overlap(grams, item.grams);
      if (similarity > floor) best = { entry: item.entry, similarity };
    }
    return best && best.similarity >= threshold ? best : undefined;
  }

  return { match, size: indexed.length };
}
