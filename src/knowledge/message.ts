import type { Ranking, TopicMatcher, WeightedText } from './matcher.js';

/**
 * Long messages: a greeting, the situation in a few sentences, then the question. Most of their
 * words are not about webSesam, and a bag of all of them explains little. The sentences that ask
 * (a question mark, a question word, "vill …") weigh fully; the story around them weighs less, so
 * the product and what happened still count but do not drown the question.
 */

const LONG = 60; // characters: shorter messages are ranked as they are
const STORY_WEIGHT = 0.45; // a sentence that does not ask

// Folded or not: the patterns see the sentence as typed, lower-cased.
const ASKS =
  /\?|\b(hur|var|vart|vad|vilken|vilket|vilka|vem|när|kan jag|kan man|kan ni|kan du|går det|ska jag|måste jag|behöver jag|vill|önskar|hjälp med|how|where|what|which|who|when|can i|can you|do i|should i|need to|want to)\b/i;

/** The sentences of a message: split at . ! ? ; : and line breaks. */
export function sentences(message: string): string[] {
  return message
    .split(/(?<=[.!?;:])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /\p{L}{2,}/u.test(s));
}

/** The message's sentences, weighted: those that ask count fully, the story less. */
export function weighSentences(message: string): WeightedText[] {
  const parts = sentences(message);
  const asks = parts.map((p) => ASKS.test(p.toLowerCase()));
  // No sentence asks: the last one is the request ("… behöver hämtas.").
  if (!asks.some(Boolean)) asks[asks.length - 1] = true;
  return parts.map((text, i) => ({ text, weight: asks[i] ? 1 : STORY_WEIGHT }));
}

/** Ranks a message; a long one with its asking sentences weighing more than the story. */
export function rankMessage(matcher: TopicMatcher, message: string): Ranking {
  if (message.length < LONG) return matcher.rank(message);
  const parts = weighSentences(message);
  if (parts.length < 2) return matcher.rank(message);
  return matcher.rank(parts);
}
