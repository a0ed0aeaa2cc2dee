import snowball from 'snowball-stemmers';
import { eng as englishStopwords, swe as swedishStopwords } from 'stopword';

/**
 * Swedish text as users type it, reduced to comparable terms: lower-case, å/ä/ö/é folded,
 * punctuation and filler words dropped, each word stemmed with the Snowball Swedish stemmer.
 */

const stemmer = snowball.newStemmer('swedish');

/** Folds the letters users often type without: "hämtorder" and "hamtorder" become one word. */
export function fold(text: string): string {
  return (
    text
      .toLowerCase()
      // Two words that folding would merge with a filler word keep apart while their accent shows:
      // "ändra" is not "andra" (other), "svår" is not "svar" (answer).
      .replace(/(?<!\p{L})ändr/gu, 'aendr')
      .replace(/(?<!\p{L})svår/gu, 'svaar')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '') // å→a, ä→a, ö→o, é→e once the accents are split off
      .replace(/æ/g, 'a')
      .replace(/ø/g, 'o')
  );
}

// Words the generic list calls filler but that carry meaning here: particles of phrasal verbs
// ("logga in", "ta bort", "skriva ut"), "första sidan", "fel", and what tells a clinical question
// ("bäst för") from a how-to. Not "ingen": "ingen aning" is filler, and "ingen kommer in" is read
// whole by the lexicon.
const MEANINGFUL = new Set(
  [
    'in',
    'ut',
    'bort',
    'ner',
    'upp',
    'fram',
    'kvar',
    'första',
    'nummer',
    'nr',
    'fel',
    'ny',
    'nya',
    'bäst',
    'bättre',
    'höger',
    'dag',
    'idag',
    'inte',
    'ej',
    'slutat',
    'gick',
    'fick',
    'beslut',
    'stor',
    'liten',
    'igen',
    'tillbaka',
    'samtidigt',
    'samma',
    'långsam',
    'långsamt',
    'långsamma',
    'aldrig',
    'tidigare',
  ].map(fold),
);

const STOPWORDS = new Set(
  [
    ...swedishStopwords,
    // Half-English questions ("how do I cancel an order"): the English filler goes too.
    ...englishStopwords,
    'hi',
    'hello',
    'hey',
    'thanks',
    'thank',
    'need',
    'want',
    'help',
    'does',
    'doesn',
    'don',
    'didn',
    'can',
    'cannot',
    'll',
    've',
    're',
    'let',
    'know',
    'just',
    'anyone',
    'someone',
    'something',
    // English filler the generic list lacks; with few topics one English phrase would give each of
    // them a topic word's weight ("new", "needs", "own").
    'new',
    'needs',
    'needed',
    'own',
    'gets',
    'wants',
    'wanted',
    'already',
    'yet',
    'one',
    'ones',
    'somebody',
    'ways',
    'used',
    'using',
    'made',
    'put',
    'takes',
    'looking',
    'trying',
    'try',
    'tried',
    'home',
    // Everyday words one letter from a word of the knowledge base ("sånt" is no "säng", "sett" no
    // "segt", "funderar" no "fungerar", "tillväga" no "tillbaka"): filler, not typos.
    'egentligen',
    'steget',
    // "Dottern ringde": someone called the writer; that is the story, not a wish to call support.
    'ringde',
    'ringt',
    // "Meddela HMC" is to tell HMC, not one of HMC's messages (the same Snowball stem).
    'meddela',
    'meddelar',
    'meddelade',
    // A work team; "Teams" the program is still itself.
    'team',
    'teamet',
    'teamen',
    'utprovning',
    'utprovningen',
    'anvant',
    'anvants',
    'godmorgon',
    'hora',
    'horde',
    'hort',
    'ansluta',
    'ansluter',
    'hemifran',
    'sant',
    'sana',
    'sadant',
    'sadan',
    'sadana',
    'sett',
    'natt',
    'natten',
    'tror',
    'trodde',
    'trott',
    'trakigt',
    'annars',
    'helg',
    'visst',
    'antligen',
    'funderar',
    'fundera',
    'funderade',
    'beroende',
    'sova',
    'sover',
    'tillvaga',
    'vagrar',
    'vagrade',
    'mobil',
    'mobilen',
    'manager',
    'write',
    'writes',
    'wrote',
    'written',
    'writing',
    'ask',
    'asked',
    'tell',
    'think',
    'go',
    'going',
    'day',
    'today',
    'yesterday',
    'tomorrow',
    'week',
    'last',
    'next',
    'time',
    'times',
    'thing',
    'things',
    'lot',
    'bit',
    'really',
    'even',
    'actually',
    // "Tillgänglig" (available) is no "tillgång" (access), which it stems to.
    'tillganglig',
    'tillgangliga',
    'tillgangligt',
    // Everyday chat filler the generic list lacks.
    'hej',
    'hejsan',
    'tjena',
    'hallo',
    'halla',
    'snalla',
    'tack',
    'tacksam',
    'pls',
    'plz',
    'please',
    'asap',
    'typ',
    'liksom',
    'nagon',
    'nagot',
    'nagra',
    'nan',
    'nat',
    'nao',
    'aa',
    'ok',
    'okej',
    'fraga',
    'fragan',
    'fragor',
    'undrar',
    'undra',
    'forhand',
    'tyvarr',
    'hjalpa',
    'websesam',
    'ws',
    'webbsesam',
    'web',
    'sesam',
    'jag',
    'vi',
    'man',
    'o',
    'ba',
    'bara',
    'lr',
    'el',
    'hur',
    'gor',
    'gora',
    'vad',
    'var',
    'vart',
    'kan',
    'ska',
    'vill',
    'behover',
    'mitt',
    'min',
    // Words of the story around a question that name nothing in webSesam: with only 36 topics
    // one passing use in a topic gives such a word a high idf ("själva beställningen", "hos").
    'hos',
    'sjalva',
    'sjalvt',
    'brukar',
    'kollega',
    'kollegan',
    'kollegor',
    'gang',
    'gangen',
    'satt',
    'stalle',
    'igar',
    'imorgon',
    'mandag',
    'tisdag',
    'onsdag',
    'torsdag',
    'fredag',
    'lordag',
    'sondag',
    'mandags',
    'tisdags',
    'onsdags',
    'torsdags',
    'fredags',
    'lordags',
    'sondags',
    'helgen',
    'precis',
    'faktiskt',
    'verkar',
    'liksom',
    'ju',
    'nog',
    'dock',
    'ganska',
    'riktigt',
    'massa',
    'helt',
    'vet',
    'veta',
    'gors',
    'kora',
    'page',
    'pages',
    'lagenhet',
    'lagenheten',
    'lagenheter',
    'kor',
    'korde',
    'sak',
    'saker',
    'saken',
    'grej',
    'grejen',
    'grejer',
    'grejor',
    'visste',
    'aning',
    // "har aldrig beställt till en patient förut": how new the writer is, not what is asked.
    'forut',
    // "var börjar jag": where to start is how, not what.
    'borja',
    'borjar',
    'borjade',
    'borjat',
  ].map(fold),
);

const SWEDISH = new Set(swedishStopwords.map(fold));

const isStopword = (word: string) => STOPWORDS.has(word) && !MEANINGFUL.has(word);

const ENGLISH = new Set(englishStopwords);
/**
 * Whether a message is (half) English: a fifth of its words English filler. Its other English
 * words the lexicon does not know are mostly filler too ("occupational", "tomorrow").
 */
export function isEnglish(ws: readonly string[]): boolean {
  const english = ws.filter((w) => ENGLISH.has(w) && !SWEDISH.has(w)).length;
  return ws.length > 0 && english >= 2 && english / ws.length >= 0.2;
}

/** A folded word that carries meaning: not filler, not a bare number. */
export const isContentWord = (word: string) => !isStopword(word) && !/^\d+$/.test(word);

/**
 * A word of the generic filler lists, even one that carries meaning on its own ("ingen", "igen"):
 * never the part of a compound or the thing it names ("mottagn|ingen", "egent|ligen").
 */
export const isFillerWord = (word: string) => STOPWORDS.has(word) || SWEDISH.has(word);

/** Splits folded text into words: letters and digits, nothing else. */
export function words(text: string): string[] {
  return (fold(text).match(/[a-z0-9]+/g) ?? []).map(normaliseWord);
}

// "telnr", "jobbnr", "artikelnr": the written-out word, so that one spelling matches the other.
// "andrar", "andring" typed without accents can only be "ändrar", "ändring" (see `fold`); the
// bare "andra" stays ambiguous and is read as the filler word.
function normaliseWord(word: string): string {
  if (/^[a-z]{3,}nr$/.test(word)) return `${word.slice(0, -2)}nummer`;
  if (/^(numret|numren|numrena)$/.test(word)) return 'nummer';
  // "artikelnumret", "individnumret": the compound's base form, which the lexicon knows.
  if (/^[a-z]{3,}numr(et|en|ena)$/.test(word)) return word.replace(/numr(et|en|ena)$/, 'nummer');
  if (word === 'tel' || word === 'tfn') return 'telefon';
  if (word === 'avd') return 'avdelning';
  if (/^andr(?!a$|as$|e$)/.test(word)) return `ae${word.slice(1)}`;
  return word;
}

/** The content words of a text, folded, filler dropped (not yet stemmed). */
export function contentWords(text: string): string[] {
  return words(text).filter(isContentWord);
}

const stemCache = new Map<string, string>();
/** Snowball Swedish stem of a folded word (cached: the same few thousand words recur). */
export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer.stem(word);
    if (stemCache.size < 50_000) stemCache.set(word, s);
  }
  return s;
}
