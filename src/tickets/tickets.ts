import { levelOf, type SupportChain } from './chain.js';
import {
  InvalidInputError,
  InvalidTransitionError,
  NotAllowedError,
  StaleTicketError,
  TicketNotFoundError,
} from './errors.js';
import type { SupportChannelRepository, TicketRepository } from './repository.js';
import type { SupportHours } from '../support-hours/support-hours.js';
import {
  isActive,
  lastTouchedAt,
  URGENCIES,
  withEvent,
  type Actor,
  type Person,
  type Ticket,
  type TicketEvent,
  type Urgency,
} from './ticket.js';

/** Longest texts a ticket keeps: enough for a real description, not for a pasted log file. */
export const LIMITS = { description: 2000, reference: 200, text: 4000, name: 200 } as const;

/** Tells people about a ticket's changes; implemented on the outbox in `notifications.ts`. */
export interface TicketNotifier {
  /** Stores the messages for every version after `afterVersion` in the outbox; resolves once stored. */
  changed(ticket: Ticket, afterVersion: number): Promise<void>;
  /** A reminder in the ticket's thread; `round` counts reminders of the same untouched stretch. */
  remind(ticket: Ticket, hours: number, round: number): Promise<void>;
}

export interface TicketsDeps {
  repo: TicketRepository;
  channels: SupportChannelRepository;
  chain: SupportChain;
  isStaff: (a: Actor) => boolean;
  notify: TicketNotifier;
  hours: SupportHours;
  now: () => Date;
  newId: () => string;
  /** Category → channel name (as registered); unrouted categories go to the support channel. */
  routes?: Record<string, string>;
  /** Support hours a ticket may stay untouched before its thread gets a reminder. */
  reminderAfterHours: number;
}

/** What the user filled in on the form, not yet trusted. */
export interface TicketDraft {
  draftId: string;
  description: string;
  reference?: string;
  urgency: string;
  topicId: string | null;
  category: string | null;
  botAnswer: string;
}

export type Tickets = ReturnType<typeof createTickets>;

export function createTickets(deps: TicketsDeps) {
  const { repo, channels, chain, isStaff, notify, now } = deps;
  // Submitting one form twice at once must still open one ticket: drafts are handled one at a time.
  const drafts = new Map<string, Promise<unknown>>();
  const reminded = new Set<string>();

  const person = (a: Actor): Person => ({ id: a.id, name: a.name.slice(0, LIMITS.name) || a.id });

  async function getOrThrow(id: unknown): Promise<Ticket> {
    if (typeof id !== 'string' || !id || id.length > 100)
      throw new TicketNotFoundError(String(id ?? ''));
    const t = await repo.get(id);
    if (!t) throw new TicketNotFoundError(id);
    return t;
  }

  /** The staff member may act on this ticket at this version, or a named error says why not. */
  async function forStaff(id: unknown, actor: Actor, version: unknown): Promise<Ticket> {
    if (!isStaff(actor)) throw new NotAllowedError(actor.id, 'not-staff');
    const t = await getOrThrow(id);
    if (actor.tenantId !== t.requester.tenantId)
      throw new NotAllowedError(actor.id, 'other-tenant');
    if (version !== t.version) throw new StaleTicketError(t.id, t);
    await channels.rememberStaff(actor.id, person(actor).name);
    return t;
  }

  function requiredText(value: unknown, field: string, max: number): string {
    const s = typeof value === 'string' ? value.trim() : '';
    if (!s) throw new InvalidInputError(field, 'missing');
    if (s.length > max) throw new InvalidInputError(field, 'too-long', max);
    return s;
  }

  /** Durable first: never tell anyone about a step we could still lose. */
  async function commit(t: Ticket): Promise<Ticket> {
    await repo.save(t);
    await publish(t, t.version - 1);
    return t;
  }

  async function publish(t: Ticket, afterVersion: number) {
    await notify.changed(t, afterVersion);
    await repo.markNotified(t.id, t.version);
  }

  function event(actor: Actor, kind: TicketEvent['kind'], extra: Partial<TicketEvent> = {}) {
    return { kind, at: now().toISOString(), by: person(actor), ...extra };
  }

  async function channelFor(category: string | null): Promise<string | null> {
    const routed = category ? deps.routes?.[category] : undefined;
    return (routed && (await channels.get(routed))) || (await channels.get('')) || null;
  }

  function checkDraft(draft: TicketDraft) {
    const description = requiredText(draft.description, 'description', LIMITS.description);
    const reference = typeof draft.reference === 'string' ? draft.reference.trim() : '';
    if (reference.length > LIMITS.reference)
      throw new InvalidInputError('reference', 'too-long', LIMITS.reference);
    if (!URGENCIES.includes(draft.urgency as Urgency))
      throw new InvalidInputError('urgency', 'unknown');
    if (typeof draft.draftId !== 'string' || !/^[\w-]{8,64}$/.test(draft.draftId))
      throw new InvalidInputError('draftId', 'unknown');
    return { description, reference: reference || null, urgency: draft.urgency as Urgency };
  }

  /** Opens a ticket from a form; the same form again gives back the same ticket, `created` false. */
  async function open(
    actor: Actor,
    draft: TicketDraft,
  ): Promise<{ ticket: Ticket; created: boolean }> {
    const checked = checkDraft(draft);
    while (drafts.has(draft.draftId)) await drafts.get(draft.draftId)!.catch(() => undefined);
    const work = (async () => {
      const existing = await repo.byDraft(draft.draftId);
      if (existing) {
        if (existing.requester.id !== actor.id)
          throw new NotAllowedError(actor.id, 'not-requester');
        return { ticket: existing, created: false };
      }
      const at = now().toISOString();
      const draftTicket: Ticket = {
        id: deps.newId(),
        number: await repo.nextNumber(),
        version: 0,
        draftId: draft.draftId,
        status: 'open',
        level: 1,
        category: draft.category ? draft.category.slice(0, LIMITS.name) : null,
        topicId: draft.topicId ? draft.topicId.slice(0, LIMITS.name) : null,
        requester: { id: actor.id, name: person(actor).name, tenantId: actor.tenantId },
        question: checked.description,
        botAnswer: draft.botAnswer.slice(0, LIMITS.description),
        urgency: checked.urgency,
        reference: checked.reference,
        openedAt: at,
        updatedAt: at,
        assignee: null,
        channel: await channelFor(draft.category),
        history: [],
      };
      const ticket = await commit(withEvent(draftTicket, event(actor, 'opened')));
      return { ticket, created: true };
    })();
    drafts.set(draft.draftId, work);
    try {
      return await work;
    } finally {
      drafts.delete(draft.draftId);
    }
  }

  function notClosed(t: Ticket) {
    if (!isActive(t)) throw new InvalidTransitionError(t, 'closed');
  }

  async function take(id: unknown, actor: Actor, version: unknown) {
    const t = await forStaff(id, actor, version);
    notClosed(t);
    if (t.status === 'taken' && t.assignee?.id === actor.id)
      throw new InvalidTransitionError(t, 'already-yours');
    return commit(
      withEvent(t, event(actor, 'taken'), { status: 'taken', assignee: person(actor) }),
    );
  }

  async function answer(id: unknown, actor: Actor, version: unknown, text: unknown) {
    const t = await forStaff(id, actor, version);
    notClosed(t);
    const body = requiredText(text, 'text', LIMITS.text);
    return commit(withEvent(t, event(actor, 'answered', { text: body })));
  }

  async function escalate(id: unknown, actor: Actor, version: unknown, reason: unknown) {
    const t = await forStaff(id, actor, version);
    notClosed(t);
    if (t.level >= chain.levels.length) throw new InvalidTransitionError(t, 'top-level');
    const why = requiredText(reason, 'reason', LIMITS.text);
    const level = t.level + 1;
    return commit(withEvent(t, event(actor, 'escalated', { text: why, level }), { level }));
  }

  async function assign(id: unknown, actor: Actor, version: unknown, toId: unknown) {
    const t = await forStaff(id, actor, version);
    notClosed(t);
    const staff = await channels.staff();
    const target = typeof toId === 'string' ? toId : '';
    if (!target || !isStaff({ id: target, name: '', tenantId: actor.tenantId }))
      throw new InvalidInputError('assignee', 'unknown');
    if (t.assignee?.id === target) throw new InvalidTransitionError(t, 'same-assignee');
    const to = { id: target, name: staff[target] ?? target };
    return commit(
      withEvent(t, event(actor, 'assigned', { to }), { status: 'taken', assignee: to }),
    );
  }

  async function resolve(id: unknown, actor: Actor, version: unknown, solution: unknown) {
    const t = await forStaff(id, actor, version);
    notClosed(t);
    const text = requiredText(solution, 'solution', LIMITS.text);
    return commit(withEvent(t, event(actor, 'resolved', { text }), { status: 'resolved' }));
  }

  async function reopen(id: unknown, actor: Actor, version: unknown) {
    const t = await forStaff(id, actor, version);
    if (isActive(t)) throw new InvalidTransitionError(t, 'not-closed');
    return commit(
      withEvent(t, event(actor, 'reopened'), { status: t.assignee ? 'taken' : 'open' }),
    );
  }

  /** The requester's Ja/Nej on a solved ticket: Ja closes it, Nej reopens it. */
  async function confirm(id: unknown, actor: Actor, version: unknown, solved: boolean) {
    const t = await getOrThrow(id);
    if (t.requester.id !== actor.id) throw new NotAllowedError(actor.id, 'not-requester');
    if (version !== t.version) throw new StaleTicketError(t.id, t);
    if (t.status !== 'resolved') throw new InvalidTransitionError(t, 'not-closed');
    const change = solved
      ? { status: 'closed' as const }
      : { status: t.assignee ? ('taken' as const) : ('open' as const) };
    return commit(
      withEvent(t, event(actor, solved ? 'confirmed' : 'reopened', { byRequester: true }), change),
    );
  }

  /** A ticket for its requester or for staff; anyone else learns nothing, not even that it exists. */
  async function view(id: unknown, actor: Actor): Promise<Ticket> {
    const t = await getOrThrow(id);
    if (t.requester.id === actor.id) return t;
    if (isStaff(actor) && actor.tenantId === t.requester.tenantId) return t;
    throw new TicketNotFoundError(t.id);
  }

  async function mine(actor: Actor): Promise<Ticket[]> {
    return (await repo.listByRequester(actor.id)).sort((a, b) => b.number - a.number);
  }

  /**
   * Makes a channel the support channel (name '') or a routing target. Active tickets that had no
   * channel yet are posted there now, so nothing opened before registration is left unseen.
   */
  async function registerChannel(actor: Actor, recipientId: string, name: string): Promise<number> {
    if (!isStaff(actor)) throw new NotAllowedError(actor.id, 'not-staff');
    await channels.set(name, recipientId);
    await channels.rememberStaff(actor.id, person(actor).name);
    let posted = 0;
    for (const t of await repo.listActive()) {
      if (t.channel || t.requester.tenantId !== actor.tenantId) continue;
      const target = await channelFor(t.category);
      if (!target) continue;
      await commit(withEvent(t, event(actor, 'posted'), { channel: target }));
      posted++;
    }
    return posted;
  }

  /** One scheduler tick: reminds each thread whose ticket has sat untouched for too long. */
  async function remindUntouched(): Promise<number> {
    const at = now();
    let sent = 0;
    for (const t of await repo.listActive()) {
      if (!t.channel) continue;
      const hours = deps.hours.hoursBetween(lastTouchedAt(t), at);
      const round = Math.floor(hours / deps.reminderAfterHours);
      if (round < 1) continue;
      const key = `${t.id}:${t.version}:${round}`;
      if (reminded.has(key)) continue;
      await notify.remind(t, round * deps.reminderAfterHours, round);
      reminded.add(key);
      sent++;
    }
    return sent;
  }

  /** After a restart: hands the outbox whatever a crash kept it from getting (keys make it once). */
  async function recover(): Promise<number> {
    const pending = await repo.listUnnotified();
    for (const { ticket, notified } of pending) await publish(ticket, notified);
    return pending.length;
  }

  return {
    open,
    take,
    answer,
    escalate,
    assign,
    resolve,
    reopen,
    confirm,
    view,
    mine,
    checkDraft,
    registerChannel,
    remindUntouched,
    recover,
    levelName: (n: number) => levelOf(chain, n).name,
    chain,
    isStaff,
    staff: () => channels.staff(),
    hours: deps.hours,
  };
}
