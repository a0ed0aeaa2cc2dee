import type pg from 'pg';
import { StaleAccessError } from '../../access/errors.js';
import type { AccessRequestRepository } from '../../access/repository.js';
import type { AccessRequest, AccessRequestId } from '../../access/request.js';
import { pgText } from './open.js';

const OPEN = "('awaiting-manager', 'at-support', 'needs-info')";

/**
 * Access requests shared by every instance. Nothing mutable is cached: a click on one instance
 * reads what another just wrote, and the version check happens in the UPDATE itself.
 */
export class PostgresAccessRequestRepository implements AccessRequestRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: AccessRequestId) {
    return this.one('SELECT data FROM access_requests WHERE id = $1', [pgText(String(id))]);
  }

  async byDraft(draftId: string) {
    return this.one('SELECT data FROM access_requests WHERE draft_id = $1', [pgText(draftId)]);
  }

  async nextNumber() {
    const { rows } = await this.pool.query<{ n: string }>(
      "SELECT nextval('access_request_numbers') AS n",
    );
    return Number(rows[0].n);
  }

  async save(r: AccessRequest) {
    const values = [
      r.id,
      r.version,
      // jsonb refuses \u0000; a NUL someone pasted becomes U+FFFD rather than a failed save.
      JSON.stringify(r).replaceAll('\\u0000', '\\ufffd'),
      r.status,
      r.manager.id === null ? null : pgText(r.manager.id),
      r.updatedAt,
      r.redactedAt !== null,
      pgText(r.applicant.id),
    ];
    // Check and write in one statement: of two instances saving n+1 from n, one updates a row.
    const { rowCount } =
      r.version === 1
        ? await this.pool.query(
            `INSERT INTO access_requests
               (id, version, data, status, manager_id, updated_at, redacted, applicant_id, number, draft_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
            [...values, r.number, pgText(r.draftId), r.createdAt],
          )
        : await this.pool.query(
            `UPDATE access_requests SET version = $2, data = $3, status = $4, manager_id = $5,
               updated_at = $6, redacted = $7, applicant_id = $8
             WHERE id = $1 AND version = $2 - 1`,
            values,
          );
    if (rowCount === 1) return;
    throw new StaleAccessError(r.id, (await this.get(r.id)) ?? (await this.byDraft(r.draftId)));
  }

  async listFor(userId: string) {
    return this.many(
      'SELECT data FROM access_requests WHERE applicant_id = $1 OR manager_id = $1 ORDER BY number',
      [pgText(userId)],
    );
  }

  async listOpen() {
    return this.many(`SELECT data FROM access_requests WHERE status IN ${OPEN} ORDER BY number`);
  }

  async listCreatedBetween(from: Date, to: Date) {
    return this.many(
      'SELECT data FROM access_requests WHERE created_at >= $1 AND created_at < $2 ORDER BY number',
      [from.toISOString(), to.toISOString()],
    );
  }

  async search(text: string, max: number) {
    const q = text.trim().toLowerCase();
    if (!q) return [];
    // strpos, not LIKE: a % or _ the user typed is a character, not a pattern.
    return this.many(
      `SELECT data FROM access_requests
       WHERE strpos(lower(data->'subject'->>'name'), $1) > 0 OR strpos(lower(data->'subject'->>'contact'), $1) > 0
       ORDER BY number DESC LIMIT $2`,
      [pgText(q), Math.max(1, Math.min(max, 1000))],
    );
  }

  async listRedactable(before: Date) {
    return this.many(
      `SELECT data FROM access_requests
       WHERE status NOT IN ${OPEN} AND NOT redacted AND updated_at < $1 ORDER BY number`,
      [before.toISOString()],
    );
  }

  async listUnnotified() {
    const { rows } = await this.pool.query<{ data: AccessRequest; notified: number }>(
      'SELECT data, notified FROM access_requests WHERE notified < version ORDER BY number',
    );
    return rows.map((r) => ({ request: r.data, notified: r.notified }));
  }

  async markNotified(id: AccessRequestId, version: number) {
    await this.pool.query(
      'UPDATE access_requests SET notified = $2 WHERE id = $1 AND notified < $2',
      [pgText(id), version],
    );
  }

  async rememberEmail(email: string, userId: string) {
    await this.pool.query(
      `INSERT INTO access_emails (email, user_id) VALUES ($1, $2)
       ON CONFLICT (email) DO UPDATE SET user_id = EXCLUDED.user_id WHERE access_emails.user_id <> EXCLUDED.user_id`,
      [pgText(email.toLowerCase()), pgText(userId)],
    );
  }

  async userByEmail(email: string) {
    const { rows } = await this.pool.query<{ user_id: string }>(
      'SELECT user_id FROM access_emails WHERE email = $1',
      [pgText(email.toLowerCase())],
    );
    return rows[0]?.user_id;
  }

  private async one(sql: string, params: unknown[]) {
    return (await this.pool.query<{ data: AccessRequest }>(sql, params)).rows[0]?.data;
  }

  private async many(sql: string, params: unknown[] = []) {
    return (await this.pool.query<{ data: AccessRequest }>(sql, params)).rows.map((r) => r.data);
  }
}
