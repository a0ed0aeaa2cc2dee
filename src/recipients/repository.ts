/**
 * Everyone the bot can reach without being spoken to first: users who installed it or wrote to
 * it, and channels it was added to. The conversation reference is opaque here: only `teams/`
 * knows its shape.
 */
export interface Recipient {
  /** `user:<id>` or `channel:<conversation id>`. */
  id: string;
  kind: 'user' | 'channel';
  name: string;
  tenantId: string;
  reference: unknown;
  firstSeenAt: string;
  /** Set when Teams said the bot can no longer write there (uninstalled, blocked). */
  goneAt?: string;
}

export interface RecipientRepository {
  get(id: string): Promise<Recipient | undefined>;
  /** Adds or refreshes a recipient; resolves once durable. Returns true if it was new. */
  upsert(recipient: Recipient): Promise<boolean>;
  list(kind?: Recipient['kind']): Promise<Recipient[]>;
  markGone(id: string, at: Date): Promise<void>;
}
