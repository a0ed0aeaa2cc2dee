import type { Notice } from './notice.js';

export interface NoticeRepository {
  get(id: string): Promise<Notice | undefined>;
  list(): Promise<Notice[]>;
  /** Resolves once durable; throws StaleNoticeError unless the stored version is notice.version - 1. */
  save(notice: Notice): Promise<void>;
  /**
   * Counts a user as affected, once; resolves once durable; true if new. Not a new version: a
   * user's click must not make the card staff are looking at stale.
   */
  addAffectedUser(id: string, userId: string): Promise<boolean>;
  /** Channels staff registered for announcements (recipient ids). */
  announcementChannels(): Promise<string[]>;
  /** Resolves once durable; true if it was new. */
  addAnnouncementChannel(recipientId: string): Promise<boolean>;
}

export class StaleNoticeError extends Error {
  constructor(readonly id: string) {
    super(`Notice ${id} was changed by someone else`);
  }
}
