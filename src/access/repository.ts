import type { AccessRequest, AccessRequestId } from './request.js';

/** Where access requests are kept. Every method that changes something resolves once durable. */
export interface AccessRequestRepository {
  get(id: AccessRequestId): Promise<AccessRequest | undefined>;
  /** The request made from a form, so that Skicka twice files one request. */
  byDraft(draftId: string): Promise<AccessRequest | undefined>;
  /** A number no confirmed request has. */
  nextNumber(): Promise<number>;
  /** Resolves once durable; throws StaleAccessError unless stored version = request.version - 1. */
  save(request: AccessRequest): Promise<void>;
  /** Requests filed by this user, or naming them as manager. */
  listFor(userId: string): Promise<AccessRequest[]>;
  /** Requests not yet registered or rejected. */
  listOpen(): Promise<AccessRequest[]>;
  /** Requests created in [from, to), for the tab and statistics. */
  listCreatedBetween(from: Date, to: Date): Promise<AccessRequest[]>;
  /** Requests whose person concerned (name, e-mail or HSA-id) contains the text, newest first. */
  search(text: string, max: number): Promise<AccessRequest[]>;
  /** Closed requests whose personal details are still there, last changed before `before`. */
  listRedactable(before: Date): Promise<AccessRequest[]>;
  /** Requests whose messages for versions after `notified` may not have reached the outbox. */
  listUnnotified(): Promise<{ request: AccessRequest; notified: number }[]>;
  /**
   * E-mail addresses Teams gave for people who used the access cards, so that a manager typed by
   * e-mail can be matched to the person the bot can write to. Stored lower-case.
   */
  rememberEmail(email: string, userId: string): Promise<void>;
  userByEmail(email: string): Promise<string | undefined>;
  /** Records that the outbox holds every message up to this version (recovery bookkeeping). */
  markNotified(id: AccessRequestId, version: number): Promise<void>;
}
