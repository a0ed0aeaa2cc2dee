import type { AccessRequest } from './request.js';

/** Finds the manager the applicant named: by Entra object id (people picker) or typed e-mail. */
export interface PeopleDirectory {
  /**
   * The person, if the bot knows them; `reachable` says whether it can write to them (they have
   * talked with the bot and Teams has not refused it since).
   */
  find(ref: {
    id: string | null;
    email: string | null;
  }): Promise<{ id: string; name: string; reachable: boolean } | undefined>;
}

/** Tells people about a request's changes; implemented on the outbox in `notifications.ts`. */
export interface AccessNotifier {
  /** Stores the messages for every version after `afterVersion` in the outbox; resolves once stored. */
  changed(request: AccessRequest, afterVersion: number): Promise<void>;
  /** The approval card again, as a reminder to the manager; `round` counts reminders. */
  remind(request: AccessRequest, hours: number, round: number): Promise<void>;
  /** How the approval card fared: 'gone' or 'failed' means the manager cannot be reached. */
  approvalDelivery(
    request: AccessRequest,
  ): Promise<'pending' | 'sent' | 'failed' | 'gone' | 'none'>;
}
