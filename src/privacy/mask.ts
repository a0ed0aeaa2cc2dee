/**
 * Swedish personal identity numbers (personnummer, samordningsnummer) are masked at the edge,
 * before anything is stored, logged, matched or posted.
 *
 * Text arrives pasted from Word, Outlook, PDFs and web forms, so a number may be written with
 * other dashes (‐ – — − ﹘ －), full-width or other digits (１９１２…), invisible characters
 * between its digits (zero-width space, soft hyphen, bidi marks, BOM), no-break spaces, or a date
 * with separators before the last four digits (1912-12-12-1212, 19 12 12-1212, 12.12.12-1212).
 * The number is looked for in a normalised view of the text (Unicode NFKC, every dash a "-",
 * every space a " ", invisible characters and combining marks gone, every decimal digit an ASCII
 * digit, HTML character references such as &#8209; or &nbsp; decoded) and the matching stretch of the original text is replaced. Everything else stays as the
 * person wrote it: what support staff read is the user's own text, less the number.
 */

export const PERSONNUMMER_MASK = '[personnummer]';

// A separator between the parts of the date: spaces, or a dash, dot or slash with spaces around it.
const DATE_SEP = '(?: {0,3}[-./]{1,2} {0,3}| {1,3})?';
// Before the last four digits: the same, or "+" (100 years or older).
const TAIL_SEP = '(?: {0,3}(?:[-./]{1,2}|\\+) {0,3}| {1,3})?';
// The date part must be plausible (month 01–12, day 01–31 or 61–91 for samordningsnummer):
// that is what tells a personnummer from an article or order number. The check digit is not
// checked: a mistyped number is still personal data.
const MONTH = '(?:0[1-9]|1[0-2])';
const DAY = '(?:0[1-9]|[12]\\d|3[01]|6[1-9]|[78]\\d|9[01])';
// Not preceded by a digit ("pnr191212121212" has no word boundary, so no \b), nor by a digit and
// a dash, dot or slash (the rest of a longer number). Not followed by a digit, nor by a dash, dot
// or slash and a digit: "2024-01-01 - 2024-12-31" is a period, not a date and four digits.
const PERSONNUMMER_SHAPE = new RegExp(
  `(?<!\\d)(?<!\\d[-./])(?:(?:19|20)${DATE_SEP})?\\d{2}${DATE_SEP}${MONTH}${DATE_SEP}${DAY}` +
    `${TAIL_SEP}\\d{2} ?\\d{2}(?!\\d)(?![-./]\\d)`,
  'g',
);

// Format characters (zero-width space and joiners, soft hyphen, word joiner, BOM, bidi marks and
// isolates), combining marks, variation selectors and the Hangul fillers: nothing to see.
const INVISIBLE = /^[\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0]$/u;
// Every dash (Pd: hyphen, non-breaking hyphen, figure dash, en and em dash, small and full-width
// hyphen-minus, …), the minus signs and the hyphen bullet.
const DASH = /^[\p{Pd}\u2212\u2796\u02D7\u2043\u2010-\u2015\u2E3A\u2E3B\uFE58\uFE63\uFF0D]$/u;
// Dots people put between the parts of a date.
const DOT = /^[\u00B7\u2024\u2027\u2219\u22C5\u30FB\uFF0E\u3002]$/u;
const SLASH = /^[\u2044\u2215\u29F8\uFF0F]$/u;
const SPACE = /^[\s\u2800]$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const NOT_ASCII = /[^\x00-\x7F]/;
// Cheap test before any work: a personnummer needs ten digits. An ASCII digit is one; any other
// character that NFKC may turn into digits ("１", "⑫", "⒇", "⅒", "㏾") at most three.
const DIGIT_LIKE = /^[\p{N}\u32C0-\u32CB\u3358-\u33FE]$/u;
function tooFewDigits(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length && digits < 10; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c >= 0x80 && DIGIT_LIKE.test(String.fromCodePoint(text.codePointAt(i)!))) digits += 3;
  }
  return digits < 10;
}

/** An ASCII digit for any Unicode decimal digit: they come in runs of ten, zero first. */
function asciiDigit(ch: string): string {
  const cp = ch.codePointAt(0)!;
  let below = 0;
  while (below < cp && DECIMAL_DIGIT.test(String.fromCodePoint(cp - below - 1))) below++;
  return String(below % 10);
}

// Pasted text repeats the same few characters: each is normalised once.
const seen = new Map<string, string>();

/** One code point as it reads in the normalised view. */
function viewOf(ch: string): string {
  if (ch.charCodeAt(0) < 0x80) return SPACE.test(ch) ? ' ' : ch;
  let v = seen.get(ch);
  if (v === undefined) {
    v = nonAsciiView(ch);
    if (seen.size >= 4096) seen.clear();
    seen.set(ch, v);
  }
  return v;
}

function nonAsciiView(ch: string): string {
  if (INVISIBLE.test(ch)) return '';
  if (DASH.test(ch)) return '-';
  if (DOT.test(ch)) return '.';
  if (SLASH.test(ch)) return '/';
  if (SPACE.test(ch)) return ' ';
  let out = '';
  for (const c of ch.normalize('NFKC')) {
    if (INVISIBLE.test(c)) continue;
    else if (DASH.test(c)) out += '-';
    else if (DOT.test(c)) out += '.';
    else if (SLASH.test(c)) out += '/';
    else if (SPACE.test(c)) out += ' ';
    else if (c.charCodeAt(0) >= 0x80 && DECIMAL_DIGIT.test(c)) out += asciiDigit(c);
    else out += c;
  }
  return out;
}

// An HTML character reference, as text from a web form or an e-mail may still hold them
// ("19121212&#8209;1212", "121212&nbsp;1212"): it reads as the character it stands for.
const ENTITY = '&(?:#\\d{1,7}|#[xX][\\da-fA-F]{1,6}|[a-zA-Z]{2,8});';
const NAMED: Record<string, string> = {
  nbsp: '\u00A0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '\u00AD',
  hyphen: '\u2010',
  dash: '\u2010',
  ndash: '\u2013',
  mdash: '\u2014',
  minus: '\u2212',
  zwj: '\u200D',
  zwnj: '\u200C',
  lrm: '\u200E',
  rlm: '\u200F',
};
function decodeEntity(ref: string): string {
  const name = ref.slice(1, -1);
  if (name[0] !== '#') return NAMED[name] ?? ref;
  const cp =
    name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : ref;
}

// Where a personnummer can stand: a stretch that starts with something digit-like and goes on
// over digits, spaces, dashes, dots, slashes, "+", character references and any character that
// is not ASCII and not a letter (invisible characters, other dashes and spaces, full-width
// digits, …). A letter or other ASCII character ends it, and such a character reads the same in
// the view, so a stretch can be looked at on its own. Only stretches with ten digits or more get
// the full pattern.
const ASCII_STRETCH = new RegExp(`\\d(?:[\\d\\s.+/-]|${ENTITY})*`, 'g');
const STRETCH = new RegExp(
  `[\\p{N}\\u32C0-\\u32CB\\u3358-\\u33FE](?:[\\d\\s.+/-]|${ENTITY}|[^\\p{L}\\x00-\\x7F]|[\\u115F\\u1160\\u3164\\uFFA0])*`,
  'gu',
);
// One unit of the view: a character reference or a code point.
const UNIT = new RegExp(`${ENTITY}|[^]`, 'gu');

/** [start, end) offsets of the personnummer in a stretch of plain ASCII. */
function asciiSpans(stretch: string): [number, number][] {
  return [...stretch.replace(/\s/g, ' ').matchAll(PERSONNUMMER_SHAPE)].map((m) => [
    m.index,
    m.index + m[0].length,
  ]);
}

/**
 * [start, end) offsets of the personnummer in any stretch: the pattern runs on the normalised
 * view, and each match goes back to the original characters it came from.
 */
function viewSpans(stretch: string): [number, number][] {
  let view = '';
  const from: number[] = [];
  const to: number[] = [];
  for (const unit of stretch.matchAll(UNIT)) {
    const u = unit[0];
    const v = viewOf(u.length > 2 ? decodeEntity(u) : u);
    for (let k = 0; k < v.length; k++) {
      from.push(unit.index);
      to.push(unit.index + u.length);
    }
    view += v;
  }
  const spans: [number, number][] = [];
  for (const m of view.matchAll(PERSONNUMMER_SHAPE)) {
    const start = from[m.index];
    const end = to[m.index + m[0].length - 1];
    // Two matches from one original character (say "⑫" → "12") merge into one span.
    const last = spans.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  }
  return spans;
}

/** Where in the text personnummer stand: [start, end) offsets in the original text. */
function personnummerSpans(text: string): [number, number][] {
  if (tooFewDigits(text)) return [];
  const ascii = !NOT_ASCII.test(text);
  const spans: [number, number][] = [];
  for (const stretch of text.matchAll(ascii ? ASCII_STRETCH : STRETCH)) {
    const s = stretch[0];
    if (tooFewDigits(s)) continue;
    const plain = !s.includes('&') && (ascii || !NOT_ASCII.test(s));
    const found = plain ? asciiSpans(s) : viewSpans(s);
    for (const [start, end] of found) spans.push([stretch.index + start, stretch.index + end]);
  }
  return spans;
}

/** Masks anything shaped like a personnummer, however written, valid check digit or not. */
export function maskPersonnummer(text: string): string {
  const spans = personnummerSpans(text);
  if (!spans.length) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start) + PERSONNUMMER_MASK;
    at = end;
  }
  return out + text.slice(at);
}

/** True when the text holds something shaped like a personnummer. */
export function containsPersonnummer(text: string): boolean {
  return personnummerSpans(text).length > 0;
}

/** Masks every string inside a JSON-shaped value, returning a copy. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPersonnummer(value) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskDeep(v);
    return out as T;
  }
  return value;
}
