import type { Low } from 'lowdb';
import type { TaughtPhrase, TaughtPhraseRepository, TeachPerson } from '../../knowledge/taught.js';
import { openDocument } from './open.js';

interface TaughtData {
  phrases: TaughtPhrase[];
  /** Bumped on every change. */
  revision: number;
}

export async function openTaughtPhrases(dataDir: string): Promise<TaughtPhraseRepository> {
  return new LowdbTaughtPhraseRepository(
    await openDocument<TaughtData>(dataDir, 'taught-phrases', { phrases: [], revision: 0 }),
  );
}

/** Taught phrases in DATA_DIR/taught-phrases.json: one instance, written atomically and fsynced. */
export class LowdbTaughtPhraseRepository implements TaughtPhraseRepository {
  constructor(private readonly db: Low<TaughtData>) {}

  async add(phrase: TaughtPhrase) {
    this.db.data.phrases.push({ ...phrase });
    this.db.data.revision++;
    await this.db.write();
  }

  async undo(id: string, by: TeachPerson, at: string) {
    const phrase = this.db.data.phrases.find((p) => p.id === id);
    if (!phrase) return undefined;
    if (!phrase.undoneAt) {
      phrase.undoneAt = at;
      phrase.undoneBy = { ...by };
      this.db.data.revision++;
      await this.db.write();
    }
    return { ...phrase };
  }

  async list() {
    return this.db.data.phrases.map((p) => ({ ...p }));
  }

  async revision() {
    return this.db.data.revision;
  }
}
