/**
 * Swedish personal identity numbers (personnummer, samordningsnummer) are masked at the edge,
 * before anything is stored, logged, matched or posted.
 */

export const PERSONNUMMER_MASK = '[personnummer]';

// (?<!\d), not \b: "pnr191212121212" has no word boundary before the digits.
// The date part must be plausible (month 01–12, day 01–31 or 61–91 for samordningsnummer):
// that is what tells a personnummer from an article or individual number of the same length.
// The check digit is not checked: a mistyped number is still personal data.
const PERSONNUMMER_SHAPE =
  /(?<![\d-])((?:19|20)?\d{2})[ ]?(0[1-9]|1[0-2])[ ]?(0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[ ]?[-+]?[ ]?(\d{4})(?!\d)/g;

/** Masks anything shaped like a personnummer, valid check digit or not. */
export function maskPersonnummer(text: string): string {
  return text.replace(PERSONNUMMER_SHAPE, PERSONNUMMER_MASK);
}

/** True when the text holds something shaped like a personnummer. */
export function containsPersonnummer(text: string): boolean {
  PERSONNUMMER_SHAPE.lastIndex = 0;
  const found = PERSONNUMMER_SHAPE.test(text);
  PERSONNUMMER_SHAPE.lastIndex = 0;
  return found;
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
