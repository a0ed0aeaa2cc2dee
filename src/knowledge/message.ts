import { TIE_MARGIN, type Ranking, type TopicMatcher, type WeightedText } from './matcher.js';
import { weighRuledOut } from './ruled-out.js';
import { contentWords } from './text.js';

/**
 * Long messages: a greeting, the situation in a few sentences, then the question. Most of their
 * words are not about webSesam, and a bag of all of them explains little. The sentences that ask
 * (a question mark, a question word, "vill …") weigh fully; the story around them weighs less, so
 * the product and what happened still count but do not drown the question.
 */

const LONG = 60; // characters: shorter messages are ranked as they are
const VERY_LONG = 150; // characters: a story around the question
const VERY_LONG_BOOST = 1.2; // its confidence, when one topic leads clearly
const STORY_WEIGHT = 0.6; // a sentence that does not ask (on every tuned-on set, 0.6 beat 0.35-0.75)
const MIN_ASKED_WORDS = 2; // fewer content words in the asking sentences: a thin question
const THIN_QUESTION_STORY_WEIGHT = 0.9; // then the sentence before it weighs almost fully
const THIN_REST_WEIGHT = 0.6; // and the rest of the story a little more than usual
// Words that ask how, not what ("vilken funktion använder man?", "vad ska jag klicka på?"): they
// leave a question as thin as before.
const HOW_WORDS = new Set([
  'funktion',
  'funktionen',
  'anvander',
  'anvanda',
  'klicka',
  'klickar',
  'trycka',
  'trycker',
  'valja',
  'valjer',
]);

// A sentence asks when it has a question mark, starts like a question, or says what the writer
// wants. "Var" and "när" ask only at the start: "jag var hemma hos", "när jag trycker".
const ASKS_START =
  /^(hur|var|vart|vad|vilken|vilket|vilka|vem|när|kan|går|ska|måste|behöver|får|finns|how|where|what|which|who|when|can|could|do|does|should|is|are)\b/i;
const ASKS_ANYWHERE =
  /\?|\b(hur|vad gör|vad ska|(jag|vi) (vill|behöver|undrar|skulle vilja|måste)|hjälp med|vet inte|hittar inte|förstår inte|how|where do|where can|i need|we need|i want|don't know|can't find)\b/i;

/** The sentences of a message: split at . ! ? ; : and line breaks; an aside in brackets is one too. */
export function sentences(message: string): string[] {
  return message
    .replace(/\(([^()]*)\)/g, '\n($1)\n')
    .split(/(?<=[.!?;:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\p{L}{2,}/u.test(s));
}

/** Whether a sentence asks: a question mark, a question word first, what the writer wants. */
export const asks = (sentence: string) => ASKS_START.test(sentence) || ASKS_ANYWHERE.test(sentence);

/** The message's sentences, weighted: those that ask count fully, the story less. */
export function weighSentences(message: string): WeightedText[] {
  const parts = sentences(message);
  const asking = parts.map(asks);
  // No sentence asks: the last one is the request ("… behöver hämtas.").
  if (!asking.some(Boolean)) asking[asking.length - 1] = true;
  // "Vad kan jag göra?" says nothing of what: then the story is the question.
  const asked = parts
    .filter((_, i) => asking[i])
    .flatMap((p) => contentWords(p))
    .filter((w) => !HOW_WORDS.has(w)).length;
  if (asked >= MIN_ASKED_WORDS)
    return parts.map((text, i) => ({ text, weight: asking[i] ? 1 : STORY_WEIGHT }));
  // A thin question ("var söker man på det?") points at the sentence just before it.
  return parts.map((text, i) => ({
    text,
    weight: asking[i] ? 1 : asking[i + 1] ? THIN_QUESTION_STORY_WEIGHT : THIN_REST_WEIGHT,
  }));
}

/** Ranks a message; a long one with its asking sentences weighing more than the story. */
export function rankMessage(
  matcher: TopicMatcher,
  message: string,
  isNegatedForm: (negation: string) => boolean = () => false,
): Ranking {
  const sentenceParts =
    message.length < LONG ? [{ text: message, weight: 1 }] : weighSentences(message);
  const parts = sentenceParts.flatMap((p) => weighRuledOut(p.text, p.weight, isNegatedForm));
  if (parts.length < 2) return matcher.rank(message);
  const ranking = matcher.rank(parts);
  // A story of several sentences leaves many words no topic explains, so the same lead over the
  // runner-up is surer than the confidence says (measured on every question set: long messages
  // with a clear lead and a confidence just under the answer line were right 29 times in 33).
  if (message.length >= VERY_LONG && (ranking.margin ?? 0) >= TIE_MARGIN)
    return { ...ranking, confidence: Math.min(1, ranking.confidence * VERY_LONG_BOOST) };
  return ranking;
}
