import type pg from 'pg';
import { StaleTicketError } from '../../tickets/errors.js';
import type { SupportChannelRepository, TicketRepository } from '../../tickets/repository.js';
import type { Ticket, TicketId } from '../../tickets/ticket.js';
import { pgText } from './open.js';

/**
 * Tickets shared by every instance. Nothing mutable is cached here: a card click on one instance
 * reads what another instance just wrote, and the version check happens in the UPDATE itself.
 */
export class PostgresTicketRepository implements TicketRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(id: TicketId) {
    const { rows } = await this.pool.query<{ data: Ticket }>(
      'SELECT data FROM tickets WHERE id = $1',
      [pgText(String(id))],
    );
    return rows[0]?.data;
  }

  async byDraft(draftId: string) {
    const { rows } = await this.pool.query<{ data: Ticket }>(
      'SELECT data FROM tickets WHERE draft_id = $1',
      [pgText(draftId)],
    );
    return rows[0]?.data;
  }

  async nextNumber() {
    const { rows } = await this.pool.query<{ n: string }>("SELECT nextval('ticket_numbers') AS n");
    return Number(rows[0].n);
  }

  async save(ticket: Ticket) {
    const values = [ticket.id, ticket.version, JSON.stringify(ticket), ticket.status];
    // The version check and the write are one statement: of two instances saving version n+1
    // from the same version n, exactly one updates a row.
    const { rowCount } =
      ticket.version === 1
        ? await this.pool.query(
            `INSERT INTO tickets (id, version, data, status, number, draft_id, requester_id, opened_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
            [
              ...values,
              ticket.number,
              pgText(ticket.draftId),
              pgText(ticket.requester.id),
              ticket.openedAt,
            ],
          )
        : await this.pool.query(
            'UPDATE tickets SET version = $2, data = $3, status = $4 WHERE id = $1 AND version = $2 - 1',
            values,
          );
    if (rowCount === 1) return;
    throw new StaleTicketError(
      ticket.id,
      (await this.get(ticket.id)) ?? (await this.byDraft(ticket.draftId)),
    );
  }

  async listByRequester(userId: string) {
    return this.many('SELECT data FROM tickets WHERE requester_id = $1 ORDER BY number', [
      pgText(userId),
    ]);
  }

  async listActive() {
    return this.many("SELECT data FROM tickets WHERE status IN ('open', 'taken') ORDER BY number");
  }

  async listUnnotified() {
    const { rows } = await this.pool.query<{ data: Ticket; notified: number }>(
      'SELECT data, notified FROM tickets WHERE notified < version ORDER BY number',
    );
    return rows.map((r) => ({ ticket: r.data, notified: r.notified }));
  }

  async markNotified(id: TicketId, version: number) {
    await this.pool.query('UPDATE tickets SET notified = $2 WHERE id = $1 AND notified < $2', [
      pgText(id),
      version,
    ]);
  }

  /** Every ticket, for statistics. */
  async all(): Promise<Ticket[]> {
    return this.many('SELECT data FROM tickets ORDER BY number');
  }

  private async many(sql: string, params: unknown[] = []) {
    return (await this.pool.query<{ data: Ticket }>(sql, params)).rows.map((r) => r.data);
  }
}

export class PostgresSupportChannelRepository implements SupportChannelRepository {
  constructor(private readonly pool: pg.Pool) {}

  async get(name: string) {
    const { rows } = await this.pool.query<{ recipient_id: string }>(
      'SELECT recipient_id FROM support_channels WHERE name = $1',
      [pgText(name)],
    );
    return rows[0]?.recipient_id;
  }

  async set(name: string, recipientId: string) {
    await this.pool.query(
      'INSERT INTO support_channels (name, recipient_id) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET recipient_id = EXCLUDED.recipient_id',
      [pgText(name), pgText(recipientId)],
    );
  }

  async staff() {
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      'SELECT id, name FROM support_staff ORDER BY id',
    );
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async rememberStaff(id: string, name: string) {
    await this.pool.query(
      'INSERT INTO support_staff (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE support_staff.name <> EXCLUDED.name',
      [pgText(id), pgText(name)],
    );
  }
}
