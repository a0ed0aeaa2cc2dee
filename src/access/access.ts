import { checkDraft, type AccessDraft } from './draft.js';
import {
  AccessInputError,
  AccessNotAllowedError,
  AccessNotFoundError,
  AccessTransitionError,
  StaleAccessError,
} from './errors.js';
import type { AccessForm } from './form.js';
import type { AccessNotifier, PeopleDirectory } from './ports.js';
import type { AccessRequestRepository } from './repository.js';
import {
  withEvent,
  type AccessEvent,
  type AccessRequest,
  type Actor,
  type Person,
  type RoutedReason,
} from './request.js';

/** Longest texts a request keeps: a real comment fits, a pasted document does not. */
export const ACCESS_LIMITS = { text: 2000, name: 200 } as const;

export interface AccessDeps {
  repo: AccessRequestRepository;
  directory: PeopleDirectory;
  form: AccessForm;
  isStaff: (a: Actor) => boolean;
  notify: AccessNotifier;
  /** Recipient id of the channel support works access requests in, or null if none is registered. */
  supportChannel: () => Promise<string | null>;
  now: () => Date;
  newId: () => string;
}

export type Access = ReturnType<typeof createAccess>;

/**
 * The access request's story: apply, the named manager approves or declines, support registers,
 * asks the applicant or rejects. Every step is saved before anyone is told (durable first).
 */
export function createAccess(deps: AccessDeps) {
  const { repo, directory, form, isStaff, notify, now } = deps;
  const drafts = new Map<string, Promise<unknown>>();

  const person = (a: Actor): Person => ({
    id: a.id,
    name: a.name.slice(0, ACCESS_LIMITS.name) || a.id,
  });
  const event = (actor: Actor, kind: AccessEvent['kind'], extra: Partial<AccessEvent> = {}) => ({
    kind,
    at: now().toISOString(),
    by: person(actor),
    ...extra,
  });

  async function getOrThrow(id: unknown): Promise<AccessRequest> {
    if (typeof id !== 'string' || !id || id.length > 100)
      throw new AccessNotFoundError(String(id ?? ''));
    const r = await repo.get(id);
    if (!r) throw new AccessNotFoundError(id);
    return r;
  }

  function text(value: unknown, field: string, required: boolean): string {
    const s = typeof value === 'string' ? value.trim() : '';
    if (!s && required) throw new AccessInputError(field, 'missing');
    if (s.length > ACCESS_LIMITS.text)
      throw new AccessInputError(field, 'too-long', ACCESS_LIMITS.text);
    return s;
  }

  /** Durable first: never tell anyone about a step we could still lose. */
  async function commit(r: AccessRequest): Promise<AccessRequest> {
    await repo.save(r);
    await publish(r, r.version - 1);
    return r;
  }

  async function publish(r: AccessRequest, afterVersion: number) {
    await notify.changed(r, afterVersion);
    await repo.markNotified(r.id, r.version);
  }

  function sameTenant(r: AccessRequest, actor: Actor) {
    if (actor.tenantId !== r.applicant.tenantId)
      throw new AccessNotAllowedError(actor.id, 'other-tenant');
  }

  function atVersion(r: AccessRequest, version: unknown) {
    if (version !== r.version) throw new StaleAccessError(r.id, r);
  }

  /** Files a request from a form; the same form again gives back the same request. */
  async function apply(
    actor: Actor,
    draft: AccessDraft,
  ): Promise<{ request: AccessRequest; created: boolean }> {
    const checked = checkDraft(form, draft);
    while (drafts.has(draft.draftId)) await drafts.get(draft.draftId)!.catch(() => undefined);
    const work = (async () => {
      const existing = await repo.byDraft(draft.draftId);
      if (existing) {
        if (existing.applicant.id !== actor.id)
          throw new AccessNotAllowedError(actor.id, 'not-applicant');
        return { request: existing, created: false };
      }
      const found = await directory.find({ id: checked.managerId, email: checked.managerEmail });
      const managerId = found?.id ?? checked.managerId;
      const manager = {
        id: managerId,
        name: (found?.name || checked.managerEmail || '').slice(0, ACCESS_LIMITS.name),
        email: checked.managerEmail,
      };
      let routed: RoutedReason | null = null;
      if (checked.kind === 'avslut' && isStaff(actor)) routed = 'filed-by-support';
      else if (managerId === actor.id)
        routed = checked.kind === 'avslut' ? 'filed-by-manager' : 'self-manager';
      else if (!found?.reachable) routed = 'manager-unreachable';
      const at = now().toISOString();
      const blank: AccessRequest = {
        id: deps.newId(),
        number: await repo.nextNumber(),
        version: 0,
        draftId: draft.draftId,
        kind: checked.kind,
        status: routed ? 'at-support' : 'awaiting-manager',
        applicant: { id: actor.id, name: person(actor).name, tenantId: actor.tenantId },
        subject: checked.subject,
        role: checked.role,
        fromDate: checked.fromDate,
        manager,
        routed,
        managerApproved: routed === 'filed-by-manager',
        channel: routed ? await deps.supportChannel() : null,
        createdAt: at,
        updatedAt: at,
        redactedAt: null,
        history: [],
      };
      const request = await commit(
        withEvent(blank, event(actor, 'applied', routed ? { reason: routed } : {})),
      );
      return { request, created: true };
    })();
    drafts.set(draft.draftId, work);
    try {
      return await work;
    } finally {
      drafts.delete(draft.draftId);
    }
  }

  /** The named manager, and only they, at the version their card shows. */
  async function forManager(id: unknown, actor: Actor, version: unknown) {
    const r = await getOrThrow(id);
    if (!r.manager.id || r.manager.id !== actor.id)
      throw new AccessNotAllowedError(actor.id, 'not-manager');
    sameTenant(r, actor);
    atVersion(r, version);
    if (r.status !== 'awaiting-manager') throw new AccessTransitionError(r, 'not-awaiting-manager');
    return r;
  }

  async function approve(id: unknown, actor: Actor, version: unknown, comment: unknown) {
    const r = await forManager(id, actor, version);
    const note = text(comment, 'comment', false);
    return commit(
      withEvent(r, event(actor, 'approved', note ? { text: note } : {}), {
        status: 'at-support',
        managerApproved: true,
        manager: { ...r.manager, name: person(actor).name },
        channel: await deps.supportChannel(),
      }),
    );
  }

  async function decline(id: unknown, actor: Actor, version: unknown, comment: unknown) {
    const r = await forManager(id, actor, version);
    const why = text(comment, 'comment', true);
    return commit(
      withEvent(r, event(actor, 'declined', { text: why }), {
        status: 'rejected',
        manager: { ...r.manager, name: person(actor).name },
      }),
    );
  }

  async function forStaff(id: unknown, actor: Actor, version: unknown) {
    if (!isStaff(actor)) throw new AccessNotAllowedError(actor.id, 'not-staff');
    const r = await getOrThrow(id);
    sameTenant(r, actor);
    atVersion(r, version);
    return r;
  }

  async function register(id: unknown, actor: Actor, version: unknown, note: unknown) {
    const r = await forStaff(id, actor, version);
    if (r.status !== 'at-support') throw new AccessTransitionError(r, 'not-at-support');
    const said = text(note, 'note', false);
    return commit(
      withEvent(r, event(actor, 'registered', said ? { text: said } : {}), {
        status: 'registered',
      }),
    );
  }

  async function askInfo(id: unknown, actor: Actor, version: unknown, question: unknown) {
    const r = await forStaff(id, actor, version);
    if (r.status !== 'at-support') throw new AccessTransitionError(r, 'not-at-support');
    const q = text(question, 'question', true);
    return commit(
      withEvent(r, event(actor, 'info-requested', { text: q }), { status: 'needs-info' }),
    );
  }

  async function reject(id: unknown, actor: Actor, version: unknown, reason: unknown) {
    const r = await forStaff(id, actor, version);
    if (r.status !== 'at-support' && r.status !== 'needs-info')
      throw new AccessTransitionError(r, 'not-at-support');
    const why = text(reason, 'reason', true);
    return commit(withEvent(r, event(actor, 'rejected', { text: why }), { status: 'rejected' }));
  }

  /** The applicant's answer to support's question: the request goes back to support. */
  async function answer(id: unknown, actor: Actor, version: unknown, reply: unknown) {
    const r = await getOrThrow(id);
    if (r.applicant.id !== actor.id) throw new AccessNotAllowedError(actor.id, 'not-applicant');
    sameTenant(r, actor);
    atVersion(r, version);
    if (r.status !== 'needs-info') throw new AccessTransitionError(r, 'not-needs-info');
    const said = text(reply, 'answer', true);
    return commit(
      withEvent(r, event(actor, 'info-given', { text: said }), { status: 'at-support' }),
    );
  }

  /** A request for its applicant, its manager or staff; anyone else learns nothing. */
  async function view(id: unknown, actor: Actor): Promise<AccessRequest> {
    const r = await getOrThrow(id);
    if (actor.tenantId === r.applicant.tenantId) {
      if (r.applicant.id === actor.id || r.manager.id === actor.id || isStaff(actor)) return r;
    }
    throw new AccessNotFoundError(r.id);
  }

  /** What one has filed, and what waits for one as manager; newest first. */
  async function mine(actor: Actor): Promise<AccessRequest[]> {
    return (await repo.listFor(actor.id))
      .filter((r) => r.applicant.tenantId === actor.tenantId)
      .sort((a, b) => b.number - a.number);
  }

  /** After a restart: hands the outbox whatever a crash kept it from getting (keys make it once). */
  async function recover(): Promise<number> {
    const pending = await repo.listUnnotified();
    for (const { request, notified } of pending) await publish(request, notified);
    return pending.length;
  }

  return {
    apply,
    approve,
    decline,
    register,
    askInfo,
    reject,
    answer,
    view,
    mine,
    recover,
    checkDraft: (draft: AccessDraft) => checkDraft(form, draft),
    commit,
    isStaff,
    form,
  };
}
