import { OUT_OF_SCOPE, taughtKey, type TaughtEntry } from './taught-index.js';

/**
 * "Lär boten": a phrase support staff taught the bot, with the topic it should get (or out of
 * scope). Stored masked, with who and when; never deleted: an undo marks it, and a later phrase
 * with the same key (same content words) takes over while the earlier one stays in the history.
 */
export interface TaughtPhrase {
  id: string;
  /** The phrase, personnummer masked, trimmed. */
  question: string;
  /** Sorted distinct content-word stems: phrases with the same key are the same phrase. */
  key: string;
  /** An answerable topic's id, or `out-of-scope`. */
  topicId: string;
  taughtBy: TeachPerson;
  taughtAt: string;
  /** Where it was taught: the API (and the tab, which uses it) or a ticket card. */
  via: 'api' | 'ticket';
  undoneAt: string | null;
  undoneBy: TeachPerson | null;
}

export interface TeachPerson {
  id: string;
  name: string;
}

/** Where taught phrases are kept. Every method that changes something resolves once durable. */
export interface TaughtPhraseRepository {
  add(phrase: TaughtPhrase): Promise<void>;
  /** Marks the phrase undone (once); the stored phrase afterwards, or undefined if there is none. */
  undo(id: string, by: TeachPerson, at: string): Promise<TaughtPhrase | undefined>;
  /** Every phrase ever taught, oldest first. */
  list(): Promise<TaughtPhrase[]>;
  /** A number that changes whenever any instance adds or undoes a phrase: cheap to ask. */
  revision(): Promise<number>;
}

export type TaughtStatus = 'active' | 'replaced' | 'undone';

export interface TaughtView extends TaughtPhrase {
  status: TaughtStatus;
  /** For a replaced phrase: the id of the one that took over. */
  replacedBy: string | null;
}

/** Each phrase with its status: per key, the latest one not undone is active. */
export function withStatus(phrases: TaughtPhrase[]): TaughtView[] {
  const latest = new Map<string, TaughtPhrase>();
  for (const p of phrases) if (!p.undoneAt) latest.set(p.key, p);
  return phrases.map((p) => {
    const winner = latest.get(p.key);
    const status: TaughtStatus = p.undoneAt ? 'undone' : winner === p ? 'active' : 'replaced';
    return { ...p, status, replacedBy: status === 'replaced' ? winner!.id : null };
  });
}

/** The entries the bot matches against: the active phrases, oldest first. */
export function activeEntries(phrases: TaughtPhrase[]): TaughtEntry[] {
  return withStatus(phrases)
    .filter((p) => p.status === 'active')
    .map(({ id, question, topicId }) => ({ id, question, topicId }));
}

export { OUT_OF_SCOPE, taughtKey };
