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
const MAX_CANDIDATES = 200;

/** Same normalisation as the knowledge-gap list: the sorted, distinct content-word stems. */
export function taughtKey(text: string): string {
  return [...new Set(contentWords(text).map(stem))].sort().join(' ');
}

const stemsOf = (text: string) => [...new Set(contentWords(text).map(stem))];

function trigramsOf(words: string[]): string[] {
  const grams = new Set<string>();
  for (const w of words) {
    const padded = ` ${w} `;
    for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  }
  return [...grams];
}

interface Vector {
  terms: string[];
  /** Sum of the terms' weights. */
  mass: number;
}

interface Indexed {
  entry: TaughtEntry;
  key: string;
  stems: Vector;
  grams: Vector;
}

export interface TaughtIndex {
  match(question: string): TaughtHit | undefined;
  readonly size: number;
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
  const docs: string[][] = topics.map((t) =>
    contentWords(
      [t.title, ...t.keywords, ...t.phrases, t.answer, ...t.steps, ...t.notes].join(' '),
    ),
  );
  for (const e of entries) docs.push(contentWords(e.question));
  const stemDf = new Map<string, number>();
  const gramDf = new Map<string, number>();
  for (const doc of docs) {
    for (const s of new Set(doc.map(stem))) stemDf.set(s, (stemDf.get(s) ?? 0) + 1);
    for (const g of trigramsOf(doc)) gramDf.set(g, (gramDf.get(g) ?? 0) + 1);
  }
  const n = docs.length + 1;
  const idf = (df: Map<string, number>, term: string) =>
    Math.log(1 + n / ((df.get(term) ?? 0) + 1));
  const stemWeight = (t: string) => idf(stemDf, t);
  const gramWeight = (t: string) => idf(gramDf, t);
  const vector = (terms: string[], weight: (t: string) => number): Vector => ({
    terms,
    mass: terms.reduce((sum, t) => sum + weight(t), 0),
  });

  // The latest entry for a key wins: entries come oldest first.
  const byKey = new Map<string, Indexed>();
  for (const entry of entries) {
    const words = contentWords(entry.question);
    const key = taughtKey(entry.question);
    if (!key) continue;
    byKey.set(key, {
      entry,
      key,
      stems: vector(stemsOf(entry.question), stemWeight),
      grams: vector(trigramsOf(words), gramWeight),
    });
  }
  const indexed = [...byKey.values()];
  // Stem → the phrases that hold it: only phrases sharing a word are compared.
  const postings = new Map<string, Indexed[]>();
  for (const item of indexed)
    for (const s of item.stems.terms) {
      let list = postings.get(s);
      if (!list) postings.set(s, (list = []));
      list.push(item);
    }

  /**
   * How much of each side the shared terms explain, by weight; the smaller of the two. A short
   * taught phrase inside a long question that is mostly about something else is not a match.
   */
  function overlap(a: Vector, b: Vector, weight: (t: string) => number): number {
    if (!a.mass || !b.mass) return 0;
    const other = new Set(b.terms);
    let shared = 0;
    for (const t of a.terms) if (other.has(t)) shared += weight(t);
    return Math.min(shared / a.mass, shared / b.mass);
  }

  function match(question: string): TaughtHit | undefined {
    if (!indexed.length) return undefined;
    const words = contentWords(question);
    if (!words.length) return undefined;
    const key = taughtKey(question);
    const exact = byKey.get(key);
    if (exact) return { entry: exact.entry, similarity: 1 };
    const stems = vector(stemsOf(question), stemWeight);
    // Candidates: phrases sharing a stem, rarest stems first, so a common word adds few.
    const shared = new Map<Indexed, number>();
    const byRarity = [...stems.terms].sort(
      (a, b) => (postings.get(a)?.length ?? 0) - (postings.get(b)?.length ?? 0),
    );
    for (const s of byRarity) {
      for (const item of postings.get(s) ?? []) {
        shared.set(item, (shared.get(item) ?? 0) + 1);
        if (shared.size >= MAX_CANDIDATES) break;
      }
      if (shared.size >= MAX_CANDIDATES) break;
    }
    if (!shared.size) return undefined;
    const grams = vector(trigramsOf(words), gramWeight);
    let best: TaughtHit | undefined;
    for (const item of shared.keys()) {
      const similarity = Math.max(
        overlap(stems, item.stems, stemWeight),
        TRIGRAM_DISCOUNT * overlap(grams, item.grams, gramWeight),
      );
      if (!best || similarity > best.similarity) best = { entry: item.entry, similarity };
    }
    return best && best.similarity >= threshold ? best : undefined;
  }

  return { match, size: indexed.length };
}
