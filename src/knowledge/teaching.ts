import { maskPersonnummer } from '../privacy/mask.js';
import type { LiveKnowledge } from './live-knowledge.js';
import {
  activeEntries,
  OUT_OF_SCOPE,
  taughtKey,
  withStatus,
  type TaughtPhrase,
  type TaughtPhraseRepository,
  type TaughtView,
  type TeachPerson,
} from './taught.js';

/** The longest phrase that can be taught: the longest question the bot reads at all. */
export const MAX_TAUGHT_LENGTH = 2000;

export type TeachProblem = 'empty' | 'too-long' | 'no-words' | 'unknown-topic';

/** Bad input to teach: the caller says what is wrong (a 400 or a line on the card). */
export class TeachInputError extends Error {
  constructor(readonly problem: TeachProblem) {
    super(`cannot teach: ${problem}`);
  }
}

export interface TeachRequest {
  question: string;
  topicId: string;
  by: TeachPerson;
  via: TaughtPhrase['via'];
}

export interface TeachingDeps {
  repo: TaughtPhraseRepository;
  knowledge: LiveKnowledge;
  now: () => Date;
  newId: () => string;
}

export type Teaching = Awaited<ReturnType<typeof createTeaching>>;

/**
 * Teaching the bot: validates and stores a phrase, then makes the bot answer it. Other instances
 * see the change on their next question (`sync`, a cheap revision check first).
 */
export async function createTeaching(deps: TeachingDeps) {
  const { repo, knowledge, now } = deps;
  let seen = -1;
  let syncing: Promise<void> | null = null;

  async function refresh(): Promise<TaughtPhrase[]> {
    const revision = await repo.revision();
    const all = await repo.list();
    knowledge.setTaught(activeEntries(all));
    seen = revision;
    return all;
  }

  /** Brings the taught phrases up to date if any instance changed them since the last look. */
  async function sync(): Promise<void> {
    // Questions arriving together share one look rather than each asking the store.
    if (!syncing)
      syncing = (async () => {
        try {
          if ((await repo.revision()) !== seen) await refresh();
        } finally {
          syncing = null;
        }
      })();
    return syncing;
  }

  async function teach(
    r: TeachRequest,
  ): Promise<{ item: TaughtView; replaced: TaughtView | undefined }> {
    const question = maskPersonnummer(r.question.replace(/\s+/g, ' ').trim());
    if (!question) throw new TeachInputError('empty');
    if (question.length > MAX_TAUGHT_LENGTH) throw new TeachInputError('too-long');
    const key = taughtKey(question);
    if (!key) throw new TeachInputError('no-words');
    const topicId = r.topicId.trim();
    if (!knowledge.canTeach(topicId)) throw new TeachInputError('unknown-topic');
    const before = withStatus(await repo.list()).find(
      (p) => p.key === key && p.status === 'active',
    );
    const phrase: TaughtPhrase = {
      id: deps.newId(),
      question,
      key,
      topicId: topicId === OUT_OF_SCOPE ? OUT_OF_SCOPE : topicId,
      taughtBy: { id: r.by.id.slice(0, 200), name: maskPersonnummer(r.by.name.slice(0, 200)) },
      taughtAt: now().toISOString(),
      via: r.via,
      undoneAt: null,
      undoneBy: null,
    };
    await repo.add(phrase);
    const all = withStatus(await refresh());
    return {
      item: all.find((p) => p.id === phrase.id)!,
      replaced: before && all.find((p) => p.id === before.id),
    };
  }

  /** Undoes a phrase: it no longer answers; a phrase it had replaced answers again. */
  async function undo(id: string, by: TeachPerson): Promise<TaughtView | undefined> {
    const undone = await repo.undo(
      id.slice(0, 200),
      { id: by.id.slice(0, 200), name: maskPersonnummer(by.name.slice(0, 200)) },
      now().toISOString(),
    );
    if (!undone) return undefined;
    return withStatus(await refresh()).find((p) => p.id === undone.id);
  }

  async function list(): Promise<TaughtView[]> {
    return withStatus(await repo.list());
  }

  await refresh();
  return { teach, undo, list, sync };
}
