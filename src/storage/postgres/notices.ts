import type pg from 'pg';
import type { Notice } from '../../outages/notice.js';
import { StaleNoticeError, type NoticeRepository } from '../../outages/repository.js';
import { inTransaction, pgText } from './open.js';

// The notice document is stored without its affected users: they are rows of their own, added
// by users' clicks without a new version, and put back in on every read.
const SELECT = `SELECT n.data, n.version,
  COALESCE((SELECT json_agg(a.user_id ORDER BY a.seq) FROM notice_affected_users a WHERE a.notice_id = n.id), '[]'::json) AS affected
  FROM notices n`;

interface Row {
  data: Notice;
  affected: string[];
}

const fromRow = (r: Row): Notice => ({ ...r.data, affectedUsers: r.affected });

export class PostgresNoticeRepository implements NoticeRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string) {
    const { rows } = await this.pool.query<Row>(`${SELECT} WHERE n.id = $1`, [pgText(id)]);
    return rows[0] && fromRow(rows[0]);
  }

  async list() {
    return (await this.pool.query<Row>(`${SELECT} ORDER BY n.data->>'createdAt', n.id`)).rows.map(
      fromRow,
    );
  }

  async save(notice: Notice) {
    const { affectedUsers, ...rest } = notice;
    await inTransaction(this.pool, async (client) => {
      const values = [
        pgText(notice.id),
        notice.version,
        JSON.stringify({ ...rest, affectedUsers: [] }),
      ];
      const { rowCount } =
        notice.version === 1
          ? await client.query(
              'INSERT INTO notices (id, version, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
              values,
            )
          : await client.query(
              'UPDATE notices SET version = $2, data = $3 WHERE id = $1 AND version = $2 - 1',
              values,
            );
      if (rowCount !== 1) throw new StaleNoticeError(notice.id);
      // Clicks are only ever added: a save from an older copy keeps those it did not see.
      if (affectedUsers.length)
        await client.query(
          'INSERT INTO notice_affected_users (notice_id, user_id) SELECT $1, u FROM unnest($2::text[]) WITH ORDINALITY AS x(u, i) ORDER BY i ON CONFLICT DO NOTHING',
          [pgText(notice.id), affectedUsers.map(pgText)],
        );
    });
  }

  async addAffectedUser(id: string, userId: string) {
    const { rowCount } = await this.pool.query(
      'INSERT INTO notice_affected_users (notice_id, user_id) SELECT id, $2 FROM notices WHERE id = $1 ON CONFLICT DO NOTHING',
      [pgText(id), pgText(userId)],
    );
    return rowCount === 1;
  }

  async announcementChannels() {
    const { rows } = await this.pool.query<{ recipient_id: string }>(
      'SELECT recipient_id FROM announcement_channels ORDER BY seq',
    );
    return rows.map((r) => r.recipient_id);
  }

  async addAnnouncementChannel(recipientId: string) {
    const { rowCount } = await this.pool.query(
      'INSERT INTO announcement_channels (recipient_id) VALUES ($1) ON CONFLICT DO NOTHING',
      [pgText(recipientId)],
    );
    return rowCount === 1;
  }
}
