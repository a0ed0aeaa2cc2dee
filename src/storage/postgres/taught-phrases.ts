import type pg from 'pg';
import type { TaughtPhrase, TaughtPhraseRepository, TeachPerson } from '../../knowledge/taught.js';
import { inTransaction, pgText } from './open.js';

interface Row {
  id: string;
  question: string;
  key: string;
  topic_id: string;
  taught_by_id: string;
  taught_by_name: string;
  taught_at: Date;
  via: TaughtPhrase['via'];
  undone_at: Date | null;
  undone_by_id: string | null;
  undone_by_name: string | null;
}

const COLUMNS =
  'id, question, key, topic_id, taught_by_id, taught_by_name, taught_at, via, undone_at, undone_by_id, undone_by_name';

const fromRow = (r: Row): TaughtPhrase => ({
  id: r.id,
  question: r.question,
  key: r.key,
  topicId: r.topic_id,
  taughtBy: { id: r.taught_by_id, name: r.taught_by_name },
  taughtAt: r.taught_at.toISOString(),
  via: r.via,
  undoneAt: r.undone_at ? r.undone_at.toISOString() : null,
  undoneBy: r.undone_at ? { id: r.undone_by_id ?? '', name: r.undone_by_name ?? '' } : null,
});

const BUMP = 'UPDATE taught_phrases_revision SET revision = revision + 1';

/** Taught phrases shared by every instance; the revision row tells them about each change. */
export class PostgresTaughtPhraseRepository implements TaughtPhraseRepository {
  constructor(private readonly pool: pg.Pool) {}

  async add(p: TaughtPhrase) {
    await inTransaction(this.pool, async (c) => {
      await c.query(
        `INSERT INTO taught_phrases (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          pgText(p.id),
          pgText(p.question),
          pgText(p.key),
          pgText(p.topicId),
          pgText(p.taughtBy.id),
          pgText(p.taughtBy.name),
          p.taughtAt,
          p.via,
          p.undoneAt,
          p.undoneBy && pgText(p.undoneBy.id),
          p.undoneBy && pgText(p.undoneBy.name),
        ],
      );
      await c.query(BUMP);
    });
  }

  async undo(id: string, by: TeachPerson, at: string) {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await c.query<Row>(
        `UPDATE taught_phrases SET undone_at = $2, undone_by_id = $3, undone_by_name = $4
         WHERE id = $1 AND undone_at IS NULL RETURNING ${COLUMNS}`,
        [pgText(id), at, pgText(by.id), pgText(by.name)],
      );
      if (rows[0]) {
        await c.query(BUMP);
        return fromRow(rows[0]);
      }
      const existing = await c.query<Row>(`SELECT ${COLUMNS} FROM taught_phrases WHERE id = $1`, [
        pgText(id),
      ]);
      return existing.rows[0] && fromRow(existing.rows[0]);
    });
  }

  async list() {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM taught_phrases ORDER BY seq`,
    );
    return rows.map(fromRow);
  }

  async revision() {
    const { rows } = await this.pool.query<{ revision: string }>(
      'SELECT revision FROM taught_phrases_revision',
    );
    return Number(rows[0].revision);
  }
}
