import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { Recipient, RecipientRepository } from '../../recipients/repository.js';
import { pgText } from './open.js';

interface Row {
  id: string;
  kind: Recipient['kind'];
  name: string;
  tenant_id: string;
  reference: unknown;
  first_seen_at: string;
  gone_at: string | null;
}

const COLUMNS = 'id, kind, name, tenant_id, reference, first_seen_at, gone_at';

function fromRow(r: Row): Recipient {
  const out: Recipient = {
    id: r.id,
    kind: r.kind,
    name: r.name,
    tenantId: r.tenant_id,
    reference: r.reference,
    firstSeenAt: r.first_seen_at,
  };
  if (r.gone_at) out.goneAt = r.gone_at;
  return out;
}

export class PostgresRecipientRepository implements RecipientRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: string) {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM recipients WHERE id = $1`, [
      pgText(id),
    ]);
    return rows[0] && fromRow(rows[0]);
  }

  async upsert(recipient: Recipient) {
    // Most messages come from someone we know, with the same reference: a read, no write then.
    const existing = await this.get(recipient.id);
    if (existing && !existing.goneAt && isDeepStrictEqual(existing.reference, recipient.reference))
      return false;
    // xmax = 0 only on a row this statement inserted: "was it new?" answered by the write itself,
    // so two instances seeing the same newcomer report it new once.
    const { rows } = await this.pool.query<{ inserted: boolean }>(
      `INSERT INTO recipients (id, kind, name, tenant_id, reference, first_seen_at, gone_at)
       VALUES ($1, $2, $3, $4, $5, $6, NULL)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, tenant_id = EXCLUDED.tenant_id,
         reference = EXCLUDED.reference, gone_at = NULL
       RETURNING (xmax = 0) AS inserted`,
      [
        pgText(recipient.id),
        recipient.kind,
        pgText(recipient.name),
        pgText(recipient.tenantId),
        JSON.stringify(recipient.reference ?? null),
        recipient.firstSeenAt,
      ],
    );
    return rows[0].inserted;
  }

  async list(kind?: Recipient['kind']) {
    const { rows } = kind
      ? await this.pool.query<Row>(
          `SELECT ${COLUMNS} FROM recipients WHERE kind = $1 ORDER BY first_seen_at, id`,
          [kind],
        )
      : await this.pool.query<Row>(`SELECT ${COLUMNS} FROM recipients ORDER BY first_seen_at, id`);
    return rows.map(fromRow);
  }

  async markGone(id: string, at: Date) {
    await this.pool.query('UPDATE recipients SET gone_at = $2 WHERE id = $1 AND gone_at IS NULL', [
      pgText(id),
      at.toISOString(),
    ]);
  }
}
