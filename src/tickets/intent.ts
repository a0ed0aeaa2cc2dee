import { words } from '../knowledge/text.js';

/**
 * Recognises a clear request for a person or a case ("jag vill prata med någon", "skapa ärende",
 * "kontakta support") and "mina ärenden", tolerating typos and missing å/ä/ö.
 *
 * A message matches only if every word is part of the request or plain filler. That is what keeps
 * "telefonnummer till supporten" and "när har supporten öppet" with the knowledge base (topic
 * kontakt-support): a question word or anything else of substance means it is not a request.
 */

type Pattern = string[][];

const OPEN_TICKET: Pattern[] = [
  [
    ['skapa', 'oppna', 'gora', 'lagga', 'registrera', 'starta', 'skriva', 'skicka', 'anmala'],
    ['arende', 'supportarende'],
  ],
  [['arende', 'supportarende']],
  [
    ['prata', 'snacka', 'tala'],
    ['med'],
    ['nagon', 'nan', 'person', 'manniska', 'support', 'supporten', 'handlaggare'],
  ],
  [
    ['kontakta', 'kontakt'],
    ['support', 'supporten', 'er', 'hmc', 'nagon', 'handlaggare'],
  ],
];

const MY_TICKETS: Pattern[] = [[['mina'], ['arenden', 'arende']]];

const FILLER = new Set([
  'jag',
  'vill',
  'skulle',
  'vilja',
  'kan',
  'kunna',
  'fa',
  'man',
  'ett',
  'en',
  'nytt',
  'ny',
  'snalla',
  'tack',
  'hej',
  'hejsan',
  'garna',
  'att',
  'du',
  'ni',
  'mig',
  'oss',
  'nu',
  'direkt',
  'ok',
  'okej',
  'igen',
  'behover',
  'lite',
  'please',
  'websesam',
  'till',
  'hos',
  'er',
  'support',
  'supporten',
  'hmc',
  'med',
  'visa',
  'se',
  'ge',
  'alla',
  'och',
  'da',
  'bara',
  'ja',
  'yes',
]);

/** Optimal string alignment distance, stopping early once it is over `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let rowMin = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      rowMin = Math.min(rowMin, d[i][j]);
    }
    if (rowMin > max) return max + 1;
  }
  return d[a.length][b.length];
}

/** One typo allowed in words of five letters or more; short words must be exact. */
const like = (word: string, wanted: string) =>
  word === wanted || (wanted.length >= 5 && distance(word, wanted, 1) <= 1);

function matches(text: string, patterns: Pattern[]): boolean {
  const ws = words(text);
  if (!ws.length || ws.length > 12) return false;
  return patterns.some((pattern) => {
    let slot = 0;
    for (const w of ws) {
      if (slot < pattern.length && pattern[slot].some((alt) => like(w, alt))) slot++;
      else if (!FILLER.has(w)) return false;
    }
    return slot === pattern.length;
  });
}

export const asksForTicket = (text: string) => matches(text, OPEN_TICKET);
export const asksForMyTickets = (text: string) => matches(text, MY_TICKETS);

/** "registrera supportkanal" or "registrera supportkanal ekonomi": the name routes categories here. */
export function registerChannelCommand(text: string): { name: string } | undefined {
  const m =
    /^\s*registrera\s+(?:som\s+)?(?:support-?kanal|ärendekanal|arendekanal)(?:\s+(.{1,60}?))?\s*[.!]?\s*$/i.exec(
      text,
    );
  if (!m) return undefined;
  return { name: (m[1] ?? '').trim().toLowerCase() };
}
