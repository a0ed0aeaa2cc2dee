import Fuse from 'fuse.js';
import { PERSONNUMMER_MASK } from '../privacy/mask.js';
import { Lexicon } from './lexicon.js';
import { contentWords, isContentWord, isEnglish, isFillerWord, stem, words } from './text.js';
import type { Topic, TopicId } from './topic.js';

/**
 * Ranks topics for a question. Terms are Snowball stems of folded words; a word the knowledge base
 * does not know is split into known parts ("rullstolshjul" → rullstol + hjul) or, failing that,
 * corrected to the nearest known word with fuse.js ("hamtoder" → hamtorder). Each word also stands
 * for the concepts of the domain lexicon it names (`lexicon.ts`): "ståliften" is a lyft and a
 * hjälpmedel, "cancel" is makulera. Topics are scored BM25-style over weighted fields, a word
 * counting by its best alternative, and one confidence in [0, 1] says how sure the best match is.
 */

export interface Match {
  topicId: TopicId;
  /** Raw relevance: only comparable between topics for the same question. */
  score: number;
  /** Share of the question's weight that this topic explains, in [0, 1]. */
  coverage: number;
  /** How close the question is to the nearest example phrase of the topic, in [0, 1]. */
  phrase: number;
}

export interface Ranking {
  matches: Match[];
  /** How sure the first match is, in [0, 1]: what decides answer / choices / no answer. */
  confidence: number;
  /** The question's terms as understood, for logs and the knowledge-gap report. */
  terms: string[];
  /** How far the runner-up is behind the first, in [0, 1]. */
  margin?: number;
  /** Share of the question's weight in words the knowledge base does not know. */
  unknown?: number;
  /** How many words the question has that count. */
  slots?: number;
}

// How much a word found in each field of a topic file says about the topic.
const FIELD_WEIGHTS = { keywords: 3, phrases: 2, title: 2, body: 0.6, category: 0.5 } as const;
type Field = keyof typeof FIELD_WEIGHTS;

const SATURATION = 1.2; // BM25's k1: the fifth mention of a word adds little over the first
const PART_WEIGHT = 0.8; // a part of a compound says less than the whole word
const BIGRAM_WEIGHT = 0.6; // two words in the same order as in a phrase add to the single words
const MIN_PART = 3; // shorter parts ("s", "er") are linking letters or endings, not words
const FUZZY_THRESHOLD = 0.3; // fuse.js score (0 exact, 1 anything): above this it is not a typo
export const TIE_MARGIN = 0.09; // the runner-up within 9 % of the best: a tie (about half are wrong)
const CHOICE_TIE_MARGIN = 0.2; // a question that names alternatives ("arbetsorder eller felrapport?")
const TIE_CONFIDENCE = 0.25; // a tie's confidence: enough to ask back, never enough to answer (see config)
const CONCEPT_WEIGHT = 1; // a concept a word names stands for the word
const BROADER_WEIGHT = 0.6; // a broader concept (rollator → hjälpmedel) says less
const CONCEPT_FIELD_WEIGHT = 0.7; // a topic's concepts count a little less than its own words
const KEYWORD_PART_SHARE = 0.5; // a word of a keyword of several words
const ENGLISH_UNKNOWN_SHARE = 0.4; // an unknown word of an English message: mostly filler
const REQUIRES_PENALTY = 0.75; // a topic's score when the question names none of its `requires`
const PRODUCT_TOKEN = '#hjalpmedel'; // the lexicon's concept every kind of hjälpmedel falls under
const PRODUCT_WEIGHT = 0.6; // a product word counts this much: the process decides
const DISCHARGE_TOKEN = '#hemgang'; // the lexicon's concept of a patient going home
// What weighs less beside a task the question names: a film or a manual says how the answer is
// given (#utbildning), the Hjälpmedel page where the task is done (#hjalpmedelssidan), not which.
const BESIDE_TASK_WEIGHTS = new Map([
  ['#utbildning', 0.4],
  ['#hjalpmedelssidan', 0.3],
]);
const TASK_TOKENS = new Set([
  '#bestalla',
  '#hamta',
  '#hamtorder',
  '#arbetsorder',
  '#retur',
  '#reparera',
  '#reklamera',
  '#makulera',
]);
const MAX_WORD_LENGTH = 40; // longer than any Swedish compound a user types
const MIN_LONG_TYPO = 8; // a word this long may have two typos, a shorter one only one
const MIN_HEAD = 4; // the known last part of a compound with an unknown first part
const FORM_WORD_SHARE = 0.5; // the last word of a multi-word form, read on its own

/** The matcher's few global weights; the defaults are what `npm run calibrate` chose. */
export interface MatcherTuning {
  /** Ranking: BM25 score (relative to the best) + this × nearest example phrase. */
  phraseWeight: number;
  /** How much a close runner-up lowers the confidence. */
  marginDiscount: number;
  /** A word the knowledge base has never seen counts this much against a topic's coverage. */
  unknownWeight: number;
}

export const DEFAULT_TUNING: MatcherTuning = {
  phraseWeight: 0.8,
  marginDiscount: 0.3,
  unknownWeight: 0.8,
};
// Snowball's Swedish stemmer leaves some definite and plural forms apart from the base
// ("armstödet"/"armstöd", "rullatorn"/"rullator"): a stem that extends a known stem of at least
// MIN_CANONICAL letters by at most MAX_ENDING letters is taken as that stem.
const MIN_CANONICAL = 5;
const MAX_ENDING = 3;

/** An example phrasing of a topic, its words' terms weighted by idf. */
interface Example {
  slots: Slot[];
  mass: number;
}

interface QueryTerm {
  term: string;
  weight: number;
  /** Unigram terms count towards coverage; bigrams only add score. */
  unigram: boolean;
}

/** A part of a message and how much it weighs. */
export interface WeightedText {
  text: string;
  weight: number;
}

/** One word of a question (or of an example phrasing): the terms that may stand for it. */
interface Slot {
  alts: Alt[];
  /** What the word weighs: its best-known alternative's weight × idf. */
  mass: number;
}
interface Alt {
  term: string;
  weight: number;
}

interface Query {
  slots: Slot[];
  /** Two words in a row: only add score. */
  bigrams: Alt[];
  terms: string[];
}

export class TopicMatcher {
  private readonly termWeights = new Map<string, Map<TopicId, number>>();
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  private readonly vocabulary: Set<string>; // folded surface words and their stems
  private readonly fuse: Fuse<string>;
  private readonly corrections = new Map<string, string[] | null>();
  private readonly canonical = new Map<string, string>();
  /** Each topic's example phrasings (phrases, title) as slots. */
  private readonly examples = new Map<TopicId, Example[]>();
  /** Each topic's required concepts (`requires`) as tokens. */
  private readonly required = new Map<TopicId, string[]>();
  private readonly postings = new Map<string, { slot: number; weight: number }[]>();
  private readonly slotExample: number[] = [];
  private readonly exampleTopic: TopicId[] = [];
  private readonly exampleMass: number[] = [];
  private readonly slotBest: Float64Array;
  private readonly exampleShared: Float64Array;

  private readonly tuning: MatcherTuning;

  constructor(
    private readonly topics: readonly Topic[],
    tuning: Partial<MatcherTuning> = {},
    readonly lexicon: Lexicon = Lexicon.empty(),
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...tuning };
    for (const topic of topics) {
      const tokens = (topic.requires ?? []).flatMap((name) => {
        const c = lexicon.concept(name);
        return c ? [c.token] : [];
      });
      if (tokens.length) this.required.set(topic.id, tokens);
    }
    const surfaces = new Set<string>();
    for (const topic of topics)
      for (const [, texts] of fieldsOf(topic))
        for (const text of texts) contentWords(text).forEach((w) => surfaces.add(w));
    this.canonical = canonicalStems(new Set([...surfaces].map(stem)));
    for (const topic of topics) {
      for (const [field, texts] of fieldsOf(topic)) {
        for (const text of texts) {
          const ws = contentWords(text);
          // A keyword of several words points to the topic as a whole ("felrapport hämtorder"):
          // its single words say less, or every topic that names a hämtorder in passing would
          // weigh the word as much as the topic about hämtorder.
          const wordShare = field === 'keywords' && ws.length > 1 ? KEYWORD_PART_SHARE : 1;
          this.addTerms(
            topic.id,
            this.termsOf(ws).map((t) => (t.unigram ? { ...t, weight: t.weight * wordShare } : t)),
            FIELD_WEIGHTS[field],
          );
          // The concepts the text names, once per text: "rullstolen" also says #rullstol and
          // #hjälpmedel, so a question about another hjälpmedel finds the same topic.
          const tokens = new Map<string, number>();
          for (const alt of this.conceptAlts(words(text)).flat())
            tokens.set(alt.term, Math.max(tokens.get(alt.term) ?? 0, alt.weight));
          this.addTerms(
            topic.id,
            [...tokens].map(([term, weight]) => ({ term, weight, unigram: true })),
            FIELD_WEIGHTS[field] * CONCEPT_FIELD_WEIGHT,
          );
        }
      }
    }
    this.vocabulary = new Set([...surfaces, ...[...surfaces].map(stem)]);
    // Compounds inside the knowledge base itself ("drivhjul") also answer to their parts ("hjul").
    for (const topic of topics) {
      for (const [field, texts] of fieldsOf(topic)) {
        for (const text of texts) {
          for (const w of contentWords(text)) {
            const parts = this.split(w);
            if (parts && parts.length > 1)
              this.addTerms(
                topic.id,
                parts.map((p) => ({ term: this.stem(p), weight: PART_WEIGHT, unigram: true })),
                FIELD_WEIGHTS[field],
              );
          }
        }
      }
    }
    const n = topics.length;
    for (const [term, byTopic] of this.termWeights)
      this.idf.set(term, Math.log(1 + n / byTopic.size));
    this.maxIdf = Math.log(1 + n);
    // Example phrasings with their terms' weights worked out once, not per question.
    for (const topic of topics)
      this.examples.set(
        topic.id,
        [...topic.phrases, topic.title]
          .map((p) => this.exampleSlots(p))
          .filter((slots) => slots.length > 0)
          .map((slots) => ({ slots, mass: slots.reduce((m, s) => m + s.mass, 0) })),
      );
    // Postings: each term → the example words it stands in, so that a question looks only at
    // the examples that share a term with it.
    for (const topic of topics)
      for (const example of this.examples.get(topic.id)!) {
        const e = this.exampleTopic.push(topic.id) - 1;
        this.exampleMass.push(example.mass);
        for (const slot of example.slots) {
          const id = this.slotExample.push(e) - 1;
          for (const { term, weight } of slot.alts) {
            let list = this.postings.get(term);
            if (!list) this.postings.set(term, (list = []));
            list.push({ slot: id, weight });
          }
        }
      }
    this.slotBest = new Float64Array(this.slotExample.length);
    this.exampleShared = new Float64Array(this.exampleTopic.length);
    this.fuse = new Fuse(
      [...surfaces].filter((w) => w.length >= 4),
      {
        includeScore: true,
        threshold: FUZZY_THRESHOLD,
        distance: 20,
      },
    );
  }

  /**
   * Ranks the topics for a question, or for a message in parts that weigh differently (the
   * sentence that asks, and the story around it: see `message.ts`).
   */
  rank(question: string | readonly WeightedText[]): Ranking {
    const parts = typeof question === 'string' ? [{ text: question, weight: 1 }] : question;
    const query = this.understandAll(parts);
    const { slots } = query;
    const total = slots.reduce((s, slot) => s + slot.mass, 0);
    if (total === 0) return { matches: [], confidence: 0, terms: [] };
    // The question as a bag of terms with their weights, for the example phrasings.
    const queryTerms = new Map<string, number>();
    for (const slot of slots)
      for (const a of slot.alts) {
        const w = a.weight * this.idfOf(a.term);
        queryTerms.set(a.term, Math.max(queryTerms.get(a.term) ?? 0, w));
      }

    const nearest = this.nearestExamples(queryTerms, total);
    const matches: Match[] = [];
    for (const topic of this.topics) {
      let score = 0;
      let covered = 0;
      for (const slot of slots) {
        let best = 0;
        let cover = 0;
        for (const a of slot.alts) {
          const tw = this.termWeights.get(a.term)?.get(topic.id);
          if (!tw) continue;
          const contribution = a.weight * this.idfOf(a.term);
          best = Math.max(best, (contribution * (tw * (SATURATION + 1))) / (tw + SATURATION));
          cover = Math.max(cover, contribution);
        }
        score += best;
        covered += Math.min(cover, slot.mass);
      }
      for (const b of query.bigrams) {
        const tw = this.termWeights.get(b.term)?.get(topic.id);
        if (tw)
          score += (b.weight * this.idfOf(b.term) * (tw * (SATURATION + 1))) / (tw + SATURATION);
      }
      if (score <= 0) continue;
      const required = this.required.get(topic.id);
      if (required && !required.some((t) => queryTerms.has(t))) score *= REQUIRES_PENALTY;
      const phrase = nearest.get(topic.id) ?? 0;
      matches.push({ topicId: topic.id, score, coverage: covered / total, phrase });
    }
    const terms = query.terms;
    if (matches.length === 0) return { matches: [], confidence: 0, terms };
    const maxScore = Math.max(...matches.map((m) => m.score));
    const combined = (m: Match) => m.score / maxScore + this.tuning.phraseWeight * m.phrase;
    const ranked = matches.sort((a, b) => combined(b) - combined(a));
    const [first, second] = ranked;
    const margin = second ? 1 - combined(second) / combined(first) : 1;
    const unknown =
      slots.filter((sl) => sl.alts[0].term.startsWith('?')).reduce((m, sl) => m + sl.mass, 0) /
      total;
    // "Ska jag skriva arbetsorder eller felrapport?": the writer weighs two topics; unless one is
    // far ahead, both belong on the choice card.
    const alternatives = parts.some((p) => this.namesAlternatives(words(p.text)));
    return {
      matches: ranked,
      confidence: this.confidenceOf(first, margin, alternatives ? CHOICE_TIE_MARGIN : TIE_MARGIN),
      terms,
      margin,
      unknown,
      slots: slots.length,
    };
  }

  /** The concept tokens each position of a word list names, as weighted alternatives. */
  private conceptAlts(ws: string[], inner?: boolean[], formTokens?: Set<string>[]): Alt[][] {
    if (this.lexicon.size === 0) return ws.map(() => []);
    const read = this.lexicon.read(ws);
    if (inner) read.inner.forEach((v, i) => (inner[i] = v));
    if (formTokens)
      read.formEnds.forEach((cs, i) => (formTokens[i] = new Set(cs.map((c) => c.token))));
    return read.concepts.map((concepts) => {
      const alts: Alt[] = [];
      // An anchor ("websesam", "kundorder") only tells the scope; it names no topic's concept.
      for (const c of concepts.filter((c) => !c.anchor))
        this.lexicon.tokensOf(c).forEach((token, i) => {
          const weight = i === 0 ? CONCEPT_WEIGHT : BROADER_WEIGHT;
          const had = alts.find((a) => a.term === token);
          if (!had) alts.push({ term: token, weight });
          else had.weight = Math.max(had.weight, weight);
        });
      return alts;
    });
  }

  /** An example phrasing as slots: each content word's stem and the concepts it names. */
  private exampleSlots(text: string): Slot[] {
    const ws = words(text);
    const concepts = this.conceptAlts(ws);
    const slots: Slot[] = [];
    ws.forEach((w, i) => {
      const alts: Alt[] = isContentWord(w) ? [{ term: this.stem(w), weight: 1 }] : [];
      for (const c of concepts[i]) if (!alts.some((a) => a.term === c.term)) alts.push(c);
      if (alts.length === 0) return;
      const weighted = alts.map((a) => ({ term: a.term, weight: a.weight * this.idfOf(a.term) }));
      slots.push({ alts: weighted, mass: Math.max(...weighted.map((a) => a.weight)) });
    });
    return slots;
  }

  /**
   * Whether words weigh two things against each other: "eller" (or "or") between two words of
   * the knowledge base ("arbetsorder eller felrapport", "hämtas eller utföres"), not a clause of
   * the story ("något känt fel eller är det bara hos mig").
   */
  private namesAlternatives(ws: string[]): boolean {
    const known = (w: string | undefined) =>
      w !== undefined && isContentWord(w) && this.termWeights.has(this.stem(w));
    return ws.some((w, i) => (w === 'eller' || w === 'or') && known(ws[i - 1]) && known(ws[i + 1]));
  }

  /** The question's words: known stems, concepts, parts of compounds, corrected typos, unknown. */
  private understandAll(parts: readonly WeightedText[]): Query {
    if (parts.length === 1 && parts[0].weight === 1) return this.understand(parts[0].text);
    const all: Query = { slots: [], bigrams: [], terms: [] };
    for (const { text, weight } of parts) {
      const q = this.understand(text);
      for (const slot of q.slots) {
        // A word nobody knows in the story around the question (a place, a name) is not a
        // word of the question that the topic fails to explain.
        // Nor are its everyday words ("hemma", "jobbar", "våningen"), though some example
        // phrasing may use them: of the story, only what the domain lexicon knows counts (a
        // product, what happened, a process).
        if (weight < 1 && !slot.alts.some((a) => a.term.startsWith('#'))) continue;
        all.slots.push({
          alts: slot.alts.map((a) => ({ term: a.term, weight: a.weight * weight })),
          mass: slot.mass * weight,
        });
      }
      for (const b of q.bigrams) all.bigrams.push({ term: b.term, weight: b.weight * weight });
      all.terms.push(...q.terms);
    }
    return all;
  }

  private understand(question: string): Query {
    // The mask of a personnummer says nothing about the topic.
    const ws = words(question.replaceAll(PERSONNUMMER_MASK, ' '));
    const inner: boolean[] = [];
    const formTokens: Set<string>[] = [];
    const concepts = this.conceptAlts(ws, inner, formTokens).map((alts, i) =>
      // "sen leverans" is a late delivery before it is a delivery: the form's concept decides,
      // the last word's own meanings count less.
      formTokens[i]?.size
        ? alts.map((a) =>
            formTokens[i].has(a.term) ? a : { ...a, weight: a.weight * FORM_WORD_SHARE },
          )
        : alts,
    );
    const raw: Alt[][] = [];
    const stems: string[] = [];
    const english = isEnglish(ws);
    const unknownWeight = this.tuning.unknownWeight * (english ? ENGLISH_UNKNOWN_SHARE : 1);
    // An English word the knowledge base lacks is no typo of a Swedish one ("goes" is not "god").
    const correct = (word: string) => (english ? undefined : this.correct(word));
    ws.forEach((word, i) => {
      const cs = concepts[i];
      // A word inside a form of several words ("loga" of "loga in") is read with the whole form.
      if (inner[i] && !concepts[i].length) return;
      if (!isContentWord(word)) {
        // A stopword can still end a form of several words ("pick up", "logga in").
        if (cs.length) raw.push(cs);
        return;
      }
      // No word is this long ("aaaa…" pasted 2,000 times): splitting and correcting it would only
      // cost time, so it is a word nobody knows.
      if (word.length > MAX_WORD_LENGTH) {
        const unknown = `?${word.slice(0, MAX_WORD_LENGTH)}`;
        raw.push([{ term: unknown, weight: unknownWeight }]);
        stems.push(unknown);
        return;
      }
      const s = this.stem(word);
      // In an English message a word counts as the knowledge base's word only as written: the
      // Swedish stem of an English word is often another Swedish word ("matter" → "mått").
      const known = this.termWeights.has(s) && (!english || this.vocabulary.has(word));
      if (known) {
        raw.push([{ term: s, weight: formTokens[i]?.size ? FORM_WORD_SHARE : 1 }, ...cs]);
        stems.push(s);
        return;
      }
      // A typo of a whole known word ("hmatorder") before the last part of a compound ("order"),
      // unless the first part is a word too ("dubbel|beställa").
      const typo =
        cs.length && !inner[i] && !this.lexicon.knowsWhole(word) && !this.split(word)
          ? correct(word)
          : undefined;
      if (cs.length && !typo) {
        raw.push(cs);
        stems.push(cs[0].term);
        return;
      }
      const split = english ? undefined : this.split(word);
      // A typo of a known word ("rulstol") before the known last part of a compound ("stol").
      const parts = split ?? (correct(word) ? undefined : this.head(word));
      if (parts) {
        const weight = parts.length > 1 || parts[0] !== word ? PART_WEIGHT : 1;
        for (const p of parts) raw.push([{ term: this.stem(p), weight }, ...this.conceptsOf(p)]);
        stems.push(...parts.map((p) => this.stem(p)));
        return;
      }
      const corrected = correct(word);
      if (corrected) {
        for (const c of corrected)
          raw.push([{ term: this.stem(c), weight: 1 }, ...this.conceptsOf(c)]);
        stems.push(...corrected.map((c) => this.stem(c)));
        return;
      }
      // Unknown: it still weighs in the question, so that "kommer inte in i treserva" is not
      // mistaken for a login question by its known words alone.
      raw.push([{ term: `?${word}`, weight: word.length >= 3 ? unknownWeight : 0.2 }]);
      stems.push(`?${word}`);
    });
    // "Finns det en film om hur man gör hämtorder": the task's own topic shows its video.
    const namesTask = raw.some((alts) => alts.some((a) => TASK_TOKENS.has(a.term)));
    const slots = raw.map((alts) => {
      // A kind of hjälpmedel says what the question is about, not what is to be done with it:
      // "hämtorder elrullstol" is about the hämtorder, whichever topic names elrullstolar.
      // So does a discharge ("pat ska hem imorgon"): it is why, not what, the writer asks.
      if (alts.some((a) => a.term === PRODUCT_TOKEN || a.term === DISCHARGE_TOKEN))
        alts = alts.map((a) => ({ term: a.term, weight: a.weight * PRODUCT_WEIGHT }));
      // "Var skriver jag hämtorder, från hjälpmedelsbilden?": the page is where, the task what.
      else if (namesTask) {
        const beside = alts.find((a) => BESIDE_TASK_WEIGHTS.has(a.term));
        const w = beside && BESIDE_TASK_WEIGHTS.get(beside.term)!;
        if (w) alts = alts.map((a) => ({ term: a.term, weight: a.weight * w }));
      }
      return { alts, mass: Math.max(...alts.map((a) => a.weight * this.idfOf(a.term))) };
    });
    const bigrams: Alt[] = [];
    for (let i = 1; i < stems.length; i++)
      bigrams.push({ term: `${stems[i - 1]}_${stems[i]}`, weight: BIGRAM_WEIGHT });
    return { slots, bigrams, terms: raw.map((alts) => alts[0].term) };
  }

  private conceptsOf(word: string): Alt[] {
    return this.conceptAlts([word])[0];
  }

  /**
   * Confidence: how much of the question the best topic explains (its words, and its closest
   * example phrasing), discounted when the runner-up is almost as good: then a question back
   * beats a guess.
   */
  private confidenceOf(first: Match, margin: number, tieMargin = TIE_MARGIN): number {
    const explained = (first.coverage + first.phrase) / 2;
    // A near tie cannot be decided by a guess, however well both topics match.
    if (margin < tieMargin) return Math.min(TIE_CONFIDENCE, explained);
    const d = this.tuning.marginDiscount;
    return explained * (1 - d + d * margin);
  }

  /**
   * Weighted Dice overlap between the question and each topic's closest example phrasing: a
   * question that says what an example says, in other words or order, is close to 1.
   */
  private nearestExamples(query: Map<string, number>, queryMass: number): Map<TopicId, number> {
    const touched: number[] = [];
    for (const [term, q] of query) {
      for (const { slot, weight } of this.postings.get(term) ?? []) {
        const v = Math.min(weight, q);
        if (v > this.slotBest[slot]) {
          if (this.slotBest[slot] === 0) touched.push(slot);
          this.slotBest[slot] = v;
        }
      }
    }
    const examples: number[] = [];
    for (const slot of touched) {
      const e = this.slotExample[slot];
      if (this.exampleShared[e] === 0) examples.push(e);
      this.exampleShared[e] += this.slotBest[slot];
      this.slotBest[slot] = 0;
    }
    const best = new Map<TopicId, number>();
    for (const e of examples) {
      const mass = this.exampleMass[e];
      // Two words of the example may share one of the question's concepts: at most all of either.
      const shared = Math.min(this.exampleShared[e], queryMass, mass);
      this.exampleShared[e] = 0;
      const dice = (2 * shared) / (queryMass + mass);
      const topic = this.exampleTopic[e];
      if (dice > (best.get(topic) ?? 0)) best.set(topic, dice);
    }
    return best;
  }

  /** The Snowball stem, merged with the known stem it only extends by an ending. */
  private stem(word: string): string {
    const s = stem(word);
    return this.canonical.get(s) ?? s;
  }

  private termsOf(ws: string[]): QueryTerm[] {
    const stems = ws.map((w) => this.stem(w));
    const terms: QueryTerm[] = stems.map((s) => ({ term: s, weight: 1, unigram: true }));
    for (let i = 1; i < stems.length; i++)
      terms.push({ term: `${stems[i - 1]}_${stems[i]}`, weight: 1, unigram: false });
    return terms;
  }

  private idfOf(term: string): number {
    return this.idf.get(term) ?? this.maxIdf;
  }

  private addTerms(topicId: TopicId, terms: QueryTerm[], fieldWeight: number) {
    for (const t of terms) {
      let byTopic = this.termWeights.get(t.term);
      if (!byTopic) this.termWeights.set(t.term, (byTopic = new Map()));
      byTopic.set(topicId, (byTopic.get(topicId) ?? 0) + fieldWeight * t.weight);
    }
  }

  /**
   * Splits a compound into known words, allowing the linking "s" Swedish puts between parts
   * (rullstol-s-hjul). Fewest parts wins; undefined when no split into known words exists.
   */
  private split(word: string): string[] | undefined {
    const n = word.length;
    const best: (string[] | undefined)[] = new Array(n + 1);
    best[0] = [];
    for (let end = MIN_PART; end <= n; end++) {
      for (let start = 0; start <= end - MIN_PART; start++) {
        // The linking "s" stands between two parts, never first ("slår" is no "s|lår").
        const linked = start > 1 && word[start - 1] === 's' ? best[start - 1] : undefined;
        const before = best[start] ?? (linked?.length ? linked : undefined);
        if (!before) continue;
        const part = word.slice(start, end);
        if (!this.vocabulary.has(part) || isFillerWord(part)) continue;
        if (!best[end] || best[end]!.length > before.length + 1) best[end] = [...before, part];
      }
    }
    const parts = best[n] ?? (word.endsWith('s') ? best[n - 1] : undefined);
    return parts && parts.length > 0 && parts.join('') !== '' ? parts : undefined;
  }

  /**
   * A compound whose first part the knowledge base lacks still has a known last part, the thing
   * it is ("hemtjänst|rullatorn" → rullator): the longest known word of ≥ MIN_HEAD letters it
   * ends with.
   */
  private head(word: string): string[] | undefined {
    for (let i = 2; i <= word.length - MIN_HEAD; i++) {
      const tail = word.slice(i);
      if (isFillerWord(tail)) continue;
      if (this.vocabulary.has(tail) && this.termWeights.has(this.stem(tail))) return [tail];
    }
    return undefined;
  }

  /** The nearest known word for a typo, or its split into known words, memoised per word. */
  private correct(word: string): string[] | undefined {
    if (word.length < 4) return undefined;
    if (this.corrections.has(word)) return this.corrections.get(word) ?? undefined;
    const hit = this.fuse.search(word, { limit: 5 }).find(
      (r) =>
        Math.abs(r.item.length - word.length) <= 2 &&
        r.item[0] === word[0] &&
        // fuse.js also finds other words that share a long run of letters ("kommunen" →
        // "kommentar"): a typo is at most one edit away (two in a long word).
        editDistance(word, r.item) <= (word.length >= MIN_LONG_TYPO ? 2 : 1),
    );
    const fixed = hit ? [hit.item] : null;
    if (this.corrections.size < 20_000) this.corrections.set(word, fixed);
    return fixed ?? undefined;
  }
}

function* fieldsOf(topic: Topic): Generator<[Field, string[]]> {
  yield ['keywords', topic.keywords];
  yield ['phrases', topic.phrases];
  yield ['title', [topic.title]];
  yield ['body', [topic.answer, ...topic.steps, ...topic.notes]];
  if (topic.kind === 'answer') yield ['category', [topic.category]];
}

/** Maps each stem that only extends a shorter known stem by an ending to that shorter stem. */
function canonicalStems(stems: Set<string>): Map<string, string> {
  const map = new Map<string, string>();
  for (const s of stems) {
    for (let cut = 1; cut <= MAX_ENDING && s.length - cut >= MIN_CANONICAL; cut++) {
      const shorter = s.slice(0, s.length - cut);
      if (stems.has(shorter)) map.set(s, shorter);
    }
  }
  // Chains (a → b → c) end at the shortest.
  for (const [s, t] of map) {
    let end = t;
    while (map.has(end)) end = map.get(end)!;
    map.set(s, end);
  }
  return map;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, swapped neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}
