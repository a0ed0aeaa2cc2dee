import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { z } from 'zod';
import { KnowledgeFileError } from './errors.js';
import { fold, isContentWord, stem, words } from './text.js';

/**
 * The domain lexicon (`knowledge/lexikon/*.yaml`): concepts (a kind of hjälpmedel, a process, a
 * situation, something outside webSesam) with the words users write for them, in Swedish, lay
 * words and English. The matcher adds a concept's token beside every word that names it, in the
 * topic files and in questions alike, so "ståliften har lagt av" finds the work-order topic
 * through the concepts lyft → hjälpmedel and trasig although no topic names a stålift.
 */

export interface Concept {
  name: string;
  /** The token the matcher indexes: `#` and the folded name. */
  token: string;
  /** Folded surface forms; a form of several words is matched as a sequence. */
  forms: string[];
  /** Broader concepts (a rollator is a hjälpmedel), their tokens added too. */
  broader: string[];
  /** An out-of-scope topic id: a question about this concept is not a webSesam question. */
  outside?: string;
  /** A word only webSesam has: a question naming it is about webSesam. */
  anchor: boolean;
  /**
   * Outside whatever else the question names (`alltid: true`): asking whether webSesam or HMC
   * handles the staff room's dishwasher, or a new SITHS card, is still not a webSesam question.
   */
  always: boolean;
  file: string;
}

const entry = z
  .object({
    ord: z.array(z.coerce.string().min(1)).min(1, 'ord: minst ett ord'),
    är: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    utanför: z.string().min(1).optional(),
    ankare: z.boolean().optional(),
    alltid: z.boolean().optional(),
  })
  .strict();
const lexiconFile = z.record(z.string().min(1), entry);

// Endings a Swedish word takes on a base form: definite, plural, genitive, verb forms.
const ENDINGS = [
  'n',
  'en',
  'et',
  'er',
  'ern',
  'erna',
  'ar',
  'arna',
  'or',
  'orna',
  'na',
  'a',
  'at',
  'ad',
  'ade',
  'ades',
  'as',
  'de',
  'des',
  'te',
  't',
  'd',
  'e',
  'r',
  's',
  'ns',
  'ens',
  'ets',
  'ning',
  'ningen',
  'ningar',
  'ningarna',
];
const MIN_BASE = 4; // a shorter form only matches exactly ("hjm", "ao")
const MIN_STEM = 6; // a shorter stem is too often another word's ("skriv": skrivare, skriver)
const MIN_HEAD = 4; // the last part of a compound ("el|rullstol", "dusch|pall")
// The subject a question puts between a verb and its particle ("lägger jag till").
const SUBJECTS = new Set([
  'jag',
  'man',
  'vi',
  'du',
  'ni',
  'hon',
  'han',
  'de',
  'dom',
  'i',
  'we',
  'you',
]);
const MAX_PREFIX_GAP = 1; // linking letter between modifier and head: "rullstol-s-hjul"

export class Lexicon {
  readonly concepts: Concept[];
  private readonly byName = new Map<string, Concept>();
  /** Single-word forms → concepts. */
  private readonly single = new Map<string, Concept[]>();
  /** Stems of single-word forms (≥ 5 letters) → concepts, for inflections the endings miss. */
  private readonly stems = new Map<string, Concept[]>();
  /** Multi-word forms by their first word. */
  private readonly multi = new Map<string, { words: string[]; concept: Concept }[]>();
  private readonly wordCache = new Map<string, Concept[]>();

  constructor(concepts: Concept[]) {
    this.concepts = concepts;
    for (const c of concepts) this.byName.set(fold(c.name), c);
    for (const c of concepts) {
      for (const form of c.forms) {
        const ws = words(form);
        if (ws.length === 0) continue;
        if (ws.length === 1) {
          push(this.single, ws[0], c);
          if (ws[0].length >= 5) push(this.stems, stem(ws[0]), c);
        } else {
          const list = this.multi.get(ws[0]) ?? [];
          list.push({ words: ws, concept: c });
          this.multi.set(ws[0], list);
        }
      }
    }
  }

  static empty(): Lexicon {
    return new Lexicon([]);
  }

  get size(): number {
    return this.concepts.length;
  }

  concept(name: string): Concept | undefined {
    return this.byName.get(fold(name));
  }

  /** The tokens of a concept and of every broader concept, transitively. */
  tokensOf(concept: Concept): string[] {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = (c: Concept) => {
      if (seen.has(c.name)) return;
      seen.add(c.name);
      out.push(c.token);
      for (const b of c.broader) {
        const bc = this.concept(b);
        if (bc) visit(bc);
      }
    };
    visit(concept);
    return out;
  }

  /** The concepts one folded word names: exactly, with an ending, or as a compound's last part. */
  /** Whether the lexicon knows the word itself (a form, an inflection), not only its last part. */
  knowsWhole(word: string): boolean {
    return Boolean(this.single.get(word) ?? this.inflected(word));
  }

  conceptsOfWord(word: string): Concept[] {
    const cached = this.wordCache.get(word);
    if (cached) return cached;
    let found = this.single.get(word) ?? this.inflected(word);
    // By its stem only when it is no filler word: "meddela" (tell) shares "meddelande"'s stem.
    if (!found && word.length >= 5 && isContentWord(word)) {
      const s = stem(word);
      if (s.length >= MIN_STEM) found = this.stems.get(s);
    }
    if (!found) {
      // A compound: its last part (with an ending) is the thing ("el|rullstolen", "dusch|pallen").
      for (let i = 2; i <= word.length - MIN_HEAD && !found; i++) {
        const head = word.slice(i);
        found = this.single.get(head) ?? this.inflected(head);
        if (found) found = found.filter((c) => c.forms.some((f) => f.length >= MIN_HEAD));
        if (found && found.length === 0) found = undefined;
      }
    }
    const result = found ?? [];
    if (this.wordCache.size < 50_000) this.wordCache.set(word, result);
    return result;
  }

  /**
   * The concepts each position of a folded word list names. A multi-word form is credited to its
   * last word ("gått sönder" → the position of "sönder").
   */
  annotate(ws: string[]): Concept[][] {
    return this.read(ws).concepts;
  }

  /**
   * The concepts of each position, which positions are inside a multi-word form before its last
   * word ("logga" of "logga in"): the form as a whole says what they mean, and the concepts of
   * the multi-word forms that end at each position.
   */
  read(ws: string[]): { concepts: Concept[][]; inner: boolean[]; formEnds: Concept[][] } {
    const out: Concept[][] = ws.map((w) => [...this.conceptsOfWord(w)]);
    const inner = ws.map(() => false);
    const formEnds: Concept[][] = ws.map(() => []);
    for (let i = 0; i < ws.length; i++) {
      for (const { words: form, concept } of this.formsStartingWith(ws[i])) {
        const last = this.matchForm(ws, i, form);
        if (last < 0) continue;
        if (!out[last].includes(concept)) out[last].push(concept);
        if (!concept.anchor) {
          for (let j = i; j < last; j++) inner[j] = true;
          // Only a form that says more than its last word alone ("sen leverans", not "saknar
          // behörighet") outweighs that word.
          if (!this.conceptsOfWord(ws[last]).includes(concept)) formEnds[last].push(concept);
        }
      }
    }
    return { concepts: out, inner, formEnds };
  }

  /**
   * Where a multi-word form that starts at `i` ends in the words, or -1. A question puts its
   * subject between the verb and its particle ("hur lägger jag till", "hur loggar man in"): one
   * such pronoun may stand between two words of the form.
   */
  private matchForm(ws: string[], i: number, form: string[]): number {
    if (!sameWord(ws[i], form[0])) return -1;
    let k = i;
    for (let j = 1; j < form.length; j++) {
      k++;
      if (k < ws.length && !sameWord(ws[k], form[j]) && SUBJECTS.has(ws[k])) k++;
      if (k >= ws.length || !sameWord(ws[k], form[j])) return -1;
    }
    return k;
  }

  /** Multi-word forms whose first word this word is, or an inflection of ("lägger" of "lägga till"). */
  private formsStartingWith(word: string): { words: string[]; concept: Concept }[] {
    const found = [...(this.multi.get(word) ?? [])];
    for (const ending of ENDINGS) {
      if (word.length - ending.length < MIN_BASE - 1 || !word.endsWith(ending)) continue;
      const base = word.slice(0, word.length - ending.length);
      for (const candidate of [base, `${base}a`])
        for (const f of this.multi.get(candidate) ?? []) if (!found.includes(f)) found.push(f);
    }
    return found;
  }

  private inflected(word: string): Concept[] | undefined {
    for (const ending of ENDINGS) {
      if (word.length - ending.length < MIN_BASE || !word.endsWith(ending)) continue;
      const base = word.slice(0, word.length - ending.length);
      // A verb's forms drop the infinitive's -a: "anmäler", "anmälde" → "anmäla".
      const found = this.single.get(base) ?? this.single.get(`${base}a`);
      if (found) return found;
    }
    return undefined;
  }
}

/** A word of a multi-word form matches the same word or the word with an ending. */
function sameWord(word: string, form: string): boolean {
  if (word === form) return true;
  if (form.length < MIN_BASE) return false;
  // A verb's forms drop the infinitive's -a: "lägger till", "kommer åt" for "lägga till", "komma åt".
  if (form.endsWith('a') && word.startsWith(form.slice(0, -1)))
    if (ENDINGS.includes(word.slice(form.length - 1))) return true;
  if (!word.startsWith(form)) return false;
  return ENDINGS.includes(word.slice(form.length)) || word.length - form.length <= MAX_PREFIX_GAP;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (!list) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The lexicon folder beside the topic files. */
export function lexiconDir(knowledgeDir: string): string {
  return path.join(knowledgeDir, 'lexikon');
}

/**
 * Reads every `*.yaml` in the folder (none, or no folder: an empty lexicon). A broken file, a
 * concept named twice or a broader concept that does not exist is an error naming the file.
 */
export function loadLexicon(dir: string, outOfScopeIds?: ReadonlySet<string>): Lexicon {
  let names: string[];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch {
    return Lexicon.empty();
  }
  const concepts: Concept[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = path.join(dir, name);
    const source = fs.readFileSync(file, 'utf8');
    let data: unknown;
    try {
      // gray-matter's YAML reader (js-yaml), so that the lexicon needs no parser of its own.
      data = matter(`---\n${source}\n---\n`, {}).data;
    } catch (e) {
      throw new KnowledgeFileError(file, `YAML går inte att läsa (${(e as Error).message})`);
    }
    const parsed = lexiconFile.safeParse(data ?? {});
    if (!parsed.success) throw new KnowledgeFileError(file, z.prettifyError(parsed.error));
    for (const [conceptName, e] of Object.entries(parsed.data)) {
      const key = fold(conceptName);
      const earlier = seen.get(key);
      if (earlier)
        throw new KnowledgeFileError(file, `begreppet "${conceptName}" finns redan i ${earlier}`);
      seen.set(key, file);
      if (e.utanför && outOfScopeIds && !outOfScopeIds.has(e.utanför))
        throw new KnowledgeFileError(
          file,
          `${conceptName}: utanför: "${e.utanför}" är inget ämne med kind: out-of-scope`,
        );
      concepts.push({
        name: conceptName,
        token: `#${words(conceptName).join('_')}`,
        forms: e.ord.map((f) => fold(f).trim()),
        broader: e.är === undefined ? [] : Array.isArray(e.är) ? e.är : [e.är],
        outside: e.utanför,
        anchor: e.ankare ?? false,
        always: e.alltid ?? false,
        file,
      });
    }
  }
  const lexicon = new Lexicon(concepts);
  for (const c of concepts)
    for (const b of c.broader)
      if (!lexicon.concept(b))
        throw new KnowledgeFileError(c.file, `${c.name}: är: "${b}" är inget begrepp i lexikonet`);
  return lexicon;
}
