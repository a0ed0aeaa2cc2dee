import type { Low } from 'lowdb';
import { StaleAccessError } from '../../access/errors.js';
import type { AccessRequestRepository } from '../../access/repository.js';
import { isOpen, type AccessRequest, type AccessRequestId } from '../../access/request.js';
import { openDocument } from './open.js';

interface AccessData {
  /** Highest number stored: the sequence goes on from here after a restart. */
  lastNumber: number;
  requests: Record<AccessRequestId, AccessRequest>;
  /** Version up to which each request's messages are known to be in the outbox. */
  notified: Record<AccessRequestId, number>;
  /** Lower-case e-mail → user id. */
  emails: Record<string, string>;
}

export async function openAccessRequests(dataDir: string): Promise<LowdbAccessRequestRepository> {
  return new LowdbAccessRequestRepository(
    await openDocument<AccessData>(dataDir, 'access-requests', {
      lastNumber: 0,
      requests: {},
      notified: {},
      emails: {},
    }),
  );
}

/** Copies in and out, so that nobody changes a stored request without a save. */
const copy = <T>(x: T): T => structuredClone(x);
const own = <T>(o: Record<string, T>, k: string) => (Object.hasOwn(o, k) ? o[k] : undefined);

export class LowdbAccessRequestRepository implements AccessRequestRepository {
  private readonly byDraftId = new Map<string, AccessRequestId>();
  private allocated: number;

  constructor(private readonly db: Low<AccessData>) {
    db.data.notified ??= {};
    db.data.emails ??= {};
    for (const r of Object.values(db.data.requests)) this.byDraftId.set(r.draftId, r.id);
    this.allocated = db.data.lastNumber;
  }

  async get(id: AccessRequestId) {
    const r = own(this.db.data.requests, id);
    return r && copy(r);
  }

  async byDraft(draftId: string) {
    const id = this.byDraftId.get(draftId);
    return id ? this.get(id) : undefined;
  }

  // A number handed out but never saved (a crash in between) was confirmed to nobody.
  async nextNumber() {
    return ++this.allocated;
  }

  async save(r: AccessRequest) {
    const stored = own(this.db.data.requests, r.id);
    if ((stored?.version ?? 0) !== r.version - 1)
      throw new StaleAccessError(r.id, stored && copy(stored));
    this.db.data.requests[r.id] = copy(r);
    this.db.data.lastNumber = Math.max(this.db.data.lastNumber, r.number);
    this.byDraftId.set(r.draftId, r.id);
    await this.db.write(); // fsync'd: confirmed only once it is on disk
  }

  private all(filter: (r: AccessRequest) => boolean) {
    return Object.values(this.db.data.requests).filter(filter).map(copy);
  }

  async listFor(userId: string) {
    return this.all((r) => r.applicant.id === userId || r.manager.id === userId);
  }

  async listOpen() {
    return this.all(isOpen).sort((a, b) => a.number - b.number);
  }

  async listCreatedBetween(from: Date, to: Date) {
    const a = from.getTime();
    const b = to.getTime();
    return this.all((r) => {
      const at = Date.parse(r.createdAt);
      return at >= a && at < b;
    }).sort((x, y) => x.number - y.number);
  }

  async search(text: string, max: number) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    return this.all(
      (r) =>
        r.subject.name.toLowerCase().includes(q) || r.subject.contact.toLowerCase().includes(q),
    )
      .sort((a, b) => b.number - a.number)
      .slice(0, max);
  }

  async listRedactable(before: Date) {
    const t = before.getTime();
    return this.all((r) => !isOpen(r) && !r.redactedAt && Date.parse(r.updatedAt) < t);
  }

  async listUnnotified() {
    return Object.values(this.db.data.requests)
      .filter((r) => (own(this.db.data.notified, r.id) ?? 0) < r.version)
      .map((r) => ({ request: copy(r), notified: own(this.db.data.notified, r.id) ?? 0 }));
  }

  async markNotified(id: AccessRequestId, version: number) {
    if ((own(this.db.data.notified, id) ?? 0) >= version) return;
    this.db.data.notified[id] = version;
    await this.db.write();
  }

  async rememberEmail(email: string, userId: string) {
    const key = email.toLowerCase();
    if (own(this.db.data.emails, key) === userId) return;
    this.db.data.emails[key] = userId;
    await this.db.write();
  }

  async userByEmail(email: string) {
    return own(this.db.data.emails, email.toLowerCase());
  }
}
