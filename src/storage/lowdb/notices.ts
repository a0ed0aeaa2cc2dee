import type { Low } from 'lowdb';
import type { Notice } from '../../outages/notice.js';
import { StaleNoticeError, type NoticeRepository } from '../../outages/repository.js';
import { openDocument } from './open.js';

interface NoticesData {
  notices: Record<string, Notice>;
  channels: string[];
}

export async function openNotices(dataDir: string): Promise<NoticeRepository> {
  return new LowdbNoticeRepository(
    await openDocument<NoticesData>(dataDir, 'notices', { notices: {}, channels: [] }),
  );
}

export class LowdbNoticeRepository implements NoticeRepository {
  constructor(private readonly db: Low<NoticesData>) {}

  async get(id: string) {
    return clone(this.db.data.notices[id]);
  }

  async list() {
    return Object.values(this.db.data.notices).map((n) => clone(n)!);
  }

  async save(notice: Notice) {
    if ((this.db.data.notices[notice.id]?.version ?? 0) !== notice.version - 1)
      throw new StaleNoticeError(notice.id);
    const stored = this.db.data.notices[notice.id];
    // Clicks on "Jag påverkas också" are added in place; a save from an older copy keeps them.
    const affectedUsers = [...new Set([...(stored?.affectedUsers ?? []), ...notice.affectedUsers])];
    this.db.data.notices[notice.id] = { ...clone(notice)!, affectedUsers };
    await this.db.write(); // fsync'd: a notice is confirmed to staff only once it is on disk
  }

  async addAffectedUser(id: string, userId: string) {
    const notice = this.db.data.notices[id];
    if (!notice || notice.affectedUsers.includes(userId)) return false;
    notice.affectedUsers.push(userId);
    await this.db.write();
    return true;
  }

  async announcementChannels() {
    return [...this.db.data.channels];
  }

  async addAnnouncementChannel(recipientId: string) {
    if (this.db.data.channels.includes(recipientId)) return false;
    this.db.data.channels.push(recipientId);
    await this.db.write();
    return true;
  }
}

// Callers get copies: a change to a notice counts only once it is saved.
const clone = <T>(x: T | undefined): T | undefined =>
  x === undefined ? undefined : structuredClone(x);
