import type { WeightedText } from './matcher.js';

/**
 * What the writer rules out is not what they ask: "inte till förrådet utan hem till henne",
 * "inte uttag ur eget förråd, vill att hmc skickar …", "vill felanmäla det, inte göra ny
 * hämtorder", "it's not broken, it's the wrong model", "till vårt förråd och inte till en viss
 * patient", "lämna den hos er istället för att vänta på hämtningen". The ruled-out words weigh
 * little, so the topic they name does not win on them.
 *
 * A negation that is itself a domain form ("inte kommit", "not delivered", "inte hämtat") says
 * what happened, not what is ruled out: `isForm` tells those apart (the lexicon's forms).
 */

const RULED_OUT_WEIGHT = 0.2;
const WORD = String.raw`[\p{L}\d][\p{L}\d'-]*`;
// "inte X utan Y", "not X but Y", "it's not X, it's Y": up to four words before the turn.
const CONTRAST = new RegExp(
  String.raw`\b(?:inte|ej|not)\s+((?:${WORD}\s+){0,3}${WORD})(?=\s*,?\s+(?:utan|but|bara|only|just|it'?s|its|it is)\b)`,
  'gu',
);
// A sentence that opens with what it is not: "inte uttag ur eget förråd, …".
const OPENING = /(?:^|[.!?]\s*)(?:inte|not)\s+([^,.!?]{1,40})(?=,)/gu;
// A correction after a comma at the end of a sentence: "…, inte göra ny hämtorder".
const TRAILING = /,\s*(?:inte|not)\s+([^,.!?]{1,40})(?=\s*(?:[.!?]|$))/gu;
// The same at the end with "och inte" or "istället för": "… till vårt förråd och inte till en viss
// patient", "… direkt hos er istället för att vänta på hämtningen".
const TRAILING_AND =
  /\s(?:(?:och|o|and)\s+(?:inte|ej|not)|istället för|i stället för|snarare än|instead of|rather than)\s+([^,.!?]{1,40})(?=\s*(?:[.!?]|$))/gu;
// "inte bara X utan också Y", "inte än", "inte heller": no contrast.
const NOT_A_CONTRAST = /^(bara|only|just|än|ännu|heller|either|alls|längre|så|riktigt)(?!\p{L})/u;

/** The text in parts: what the writer rules out at a low weight, the rest as it was. */
export function weighRuledOut(
  text: string,
  weight: number,
  isForm: (negation: string) => boolean,
): WeightedText[] {
  // Lower case keeps every character where it was, so the spans index the original text too.
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return [{ text, weight }];
  const spans: [number, number][] = [];
  for (const re of [CONTRAST, OPENING, TRAILING, TRAILING_AND])
    for (const m of lower.matchAll(re)) {
      const ruled = m[1];
      const end = m.index + m[0].length;
      const start = end - ruled.length;
      // The negation word and what follows it, as the lexicon would read them.
      const negation = lower
        .slice(m.index, end)
        .replace(/^[\s,.!?]+/, '')
        .replace(/^(och|and)\s+/, '');
      if (NOT_A_CONTRAST.test(ruled) || isForm(negation)) continue;
      spans.push([start, end]);
    }
  if (spans.length === 0) return [{ text, weight }];
  spans.sort((a, b) => a[0] - b[0]);
  const parts: WeightedText[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    if (start > at) parts.push({ text: text.slice(at, start), weight });
    parts.push({ text: text.slice(start, end), weight: weight * RULED_OUT_WEIGHT });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), weight });
  return parts.filter((p) => /\p{L}/u.test(p.text));
}
