import type { Low } from 'lowdb';
import { StaleTicketError } from '../../tickets/errors.js';
import type { SupportChannelRepository, TicketRepository } from '../../tickets/repository.js';
import { isActive, type Ticket, type TicketId } from '../../tickets/ticket.js';
import { openDocument } from './open.js';

interface TicketsData {
  /** Highest ticket number stored: the sequence goes on from here after a restart. */
  lastNumber: number;
  tickets: Record<TicketId, Ticket>;
  /** Version up to which each ticket's messages are known to be in the outbox. */
  notified: Record<TicketId, number>;
}

interface ChannelsData {
  channels: Record<string, string>;
  staff: Record<string, string>;
}

export async function openTickets(
  dataDir: string,
): Promise<{ tickets: LowdbTicketRepository; channels: LowdbSupportChannelRepository }> {
  const tickets = await openDocument<TicketsData>(dataDir, 'tickets', {
    lastNumber: 0,
    tickets: {},
    notified: {},
  });
  const channels = await openDocument<ChannelsData>(dataDir, 'support-channels', {
    channels: {},
    staff: {},
  });
  return {
    tickets: new LowdbTicketRepository(tickets),
    channels: new LowdbSupportChannelRepository(channels),
  };
}

/** Copies in and out, so that nobody changes a stored ticket without a save. */
const copy = <T>(x: T): T => structuredClone(x);

export class LowdbTicketRepository implements TicketRepository {
  private readonly byDraftId = new Map<string, TicketId>();
  private allocated: number;

  constructor(private readonly db: Low<TicketsData>) {
    db.data.notified ??= {};
    for (const t of Object.values(db.data.tickets)) this.byDraftId.set(t.draftId, t.id);
    this.allocated = db.data.lastNumber;
  }

  async get(id: TicketId) {
    // Own properties only: a forged id such as "__proto__" must not find anything.
    const t = Object.hasOwn(this.db.data.tickets, id) ? this.db.data.tickets[id] : undefined;
    return t && copy(t);
  }

  async byDraft(draftId: string) {
    const id = this.byDraftId.get(draftId);
    return id ? this.get(id) : undefined;
  }

  // A number handed out but never saved (a crash in between) was never confirmed to anyone, so
  // reusing it after a restart is fine; a saved one is never reused because lastNumber moves past it.
  async nextNumber() {
    return ++this.allocated;
  }

  async save(ticket: Ticket) {
    const stored = Object.hasOwn(this.db.data.tickets, ticket.id)
      ? this.db.data.tickets[ticket.id]
      : undefined;
    if ((stored?.version ?? 0) !== ticket.version - 1)
      throw new StaleTicketError(ticket.id, stored && copy(stored));
    this.db.data.tickets[ticket.id] = copy(ticket);
    this.db.data.lastNumber = Math.max(this.db.data.lastNumber, ticket.number);
    this.byDraftId.set(ticket.draftId, ticket.id);
    await this.db.write(); // fsync'd: confirmed only once it is on disk
  }

  async listByRequester(userId: string) {
    return Object.values(this.db.data.tickets)
      .filter((t) => t.requester.id === userId)
      .map(copy);
  }

  async listActive() {
    return Object.values(this.db.data.tickets).filter(isActive).map(copy);
  }

  async listUnnotified() {
    return Object.values(this.db.data.tickets)
      .filter((t) => (this.db.data.notified[t.id] ?? 0) < t.version)
      .map((t) => ({ ticket: copy(t), notified: this.db.data.notified[t.id] ?? 0 }));
  }

  async markNotified(id: TicketId, version: number) {
    if ((this.db.data.notified[id] ?? 0) >= version) return;
    this.db.data.notified[id] = version;
    await this.db.write();
  }

  /** Every ticket, for statistics. */
  all(): Ticket[] {
    return Object.values(this.db.data.tickets).map(copy);
  }
}

export class LowdbSupportChannelRepository implements SupportChannelRepository {
  constructor(private readonly db: Low<ChannelsData>) {}

  async get(name: string) {
    return Object.hasOwn(this.db.data.channels, name) ? this.db.data.channels[name] : undefined;
  }

  async set(name: string, recipientId: string) {
    this.db.data.channels[name] = recipientId;
    await this.db.write();
  }

  async staff() {
    return { ...this.db.data.staff };
  }

  async rememberStaff(id: string, name: string) {
    if (this.db.data.staff[id] === name) return;
    this.db.data.staff[id] = name;
    await this.db.write();
  }
}
