import { isDeepStrictEqual } from 'node:util';
import type { Low } from 'lowdb';
import type { Recipient, RecipientRepository } from '../../recipients/repository.js';
import { openDocument } from './open.js';

interface RecipientsData {
  recipients: Record<string, Recipient>;
}

export async function openRecipients(dataDir: string): Promise<RecipientRepository> {
  return new LowdbRecipientRepository(
    await openDocument<RecipientsData>(dataDir, 'recipients', { recipients: {} }),
  );
}

export class LowdbRecipientRepository implements RecipientRepository {
  constructor(private readonly db: Low<RecipientsData>) {}

  async get(id: string) {
    return this.db.data.recipients[id];
  }

  async upsert(recipient: Recipient) {
    const existing = this.db.data.recipients[recipient.id];
    // Most messages come from someone we know, with the same reference: no write at all then.
    if (existing && !existing.goneAt && isDeepStrictEqual(existing.reference, recipient.reference))
      return false;
    this.db.data.recipients[recipient.id] = {
      ...recipient,
      firstSeenAt: existing?.firstSeenAt ?? recipient.firstSeenAt,
      goneAt: undefined,
    };
    await this.db.write();
    return !existing;
  }

  async list(kind?: Recipient['kind']) {
    return Object.values(this.db.data.recipients).filter((r) => !kind || r.kind === kind);
  }

  async markGone(id: string, at: Date) {
    const existing = this.db.data.recipients[id];
    if (!existing || existing.goneAt) return;
    existing.goneAt = at.toISOString();
    await this.db.write();
  }
}
