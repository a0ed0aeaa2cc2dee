import type { SupportHours } from '../support-hours/support-hours.js';
import type { Access } from './access.js';
import type { AccessNotifier } from './ports.js';
import type { AccessRequestRepository } from './repository.js';
import { sentToManagerAt, withEvent, type AccessRequest, type Person } from './request.js';

export interface AccessUpkeepDeps {
  access: Access;
  repo: AccessRequestRepository;
  notify: AccessNotifier;
  hours: SupportHours;
  supportChannel: () => Promise<string | null>;
  now: () => Date;
  /** Support hours an approval may wait before the manager is reminded. */
  reminderAfterHours: number;
  /** Months after closing that personal details are removed; 0 keeps them. */
  retentionMonths: number;
}

/** The bot itself, as it appears in a request's history. */
const BOT: Person = { id: 'websesam-hjalpen', name: 'webSesam-hjälpen' };
export const REDACTED = '[borttaget]';

/**
 * What happens to requests without anyone clicking, one scheduler tick at a time: a manager who
 * cannot be reached sends the request to support, a waiting approval is reminded, a request that
 * reached support before a channel was registered is posted once there is one, and personal
 * details are removed after the retention time.
 */
export function createAccessUpkeep(deps: AccessUpkeepDeps) {
  const { access, repo, notify, now } = deps;
  const reminded = new Set<string>();

  /** The approval card could not be delivered (403/404, or no conversation): support takes it. */
  async function routeUndeliverable(): Promise<number> {
    let routed = 0;
    for (const r of await repo.listOpen()) {
      if (r.status !== 'awaiting-manager') continue;
      const state = await notify.approvalDelivery(r);
      if (state !== 'gone' && state !== 'failed') continue;
      await access.commit(
        withEvent(
          r,
          { kind: 'routed', at: now().toISOString(), by: BOT, reason: 'manager-unreachable' },
          {
            status: 'at-support',
            routed: 'manager-unreachable',
            channel: await deps.supportChannel(),
          },
        ),
      );
      routed++;
    }
    return routed;
  }

  async function remindManagers(): Promise<number> {
    const at = now();
    let sent = 0;
    for (const r of await repo.listOpen()) {
      if (r.status !== 'awaiting-manager') continue;
      const hours = deps.hours.hoursBetween(sentToManagerAt(r), at);
      const round = Math.floor(hours / deps.reminderAfterHours);
      if (round < 1) continue;
      const key = `${r.id}:${r.version}:${round}`;
      if (reminded.has(key)) continue;
      await notify.remind(r, round * deps.reminderAfterHours, round);
      reminded.add(key);
      sent++;
    }
    return sent;
  }

  async function postWaiting(): Promise<number> {
    let posted = 0;
    for (const r of await repo.listOpen()) {
      if (r.status === 'awaiting-manager' || r.channel) continue;
      const channel = await deps.supportChannel();
      if (!channel) return posted;
      await access.commit(
        withEvent(r, { kind: 'posted', at: now().toISOString(), by: BOT }, { channel }),
      );
      posted++;
    }
    return posted;
  }

  /** Personal details out, the facts that statistics count (kind, organisation, dates) kept. */
  async function redactOld(): Promise<number> {
    if (deps.retentionMonths <= 0) return 0;
    const before = now();
    before.setUTCMonth(before.getUTCMonth() - deps.retentionMonths);
    let done = 0;
    for (const r of await repo.listRedactable(before)) {
      await access.commit(redacted(r, now()));
      done++;
    }
    return done;
  }

  async function tick() {
    return {
      routed: await routeUndeliverable(),
      posted: await postWaiting(),
      reminded: await remindManagers(),
      redacted: await redactOld(),
    };
  }

  return { tick, routeUndeliverable, remindManagers, postWaiting, redactOld };
}

const anonymous: Person = { id: REDACTED, name: REDACTED };

/** The request with names, contact details and free text replaced; what happened and when stays. */
export function redacted(r: AccessRequest, at: Date): AccessRequest {
  const bare: AccessRequest = {
    ...r,
    applicant: { ...r.applicant, id: REDACTED, name: REDACTED },
    subject: { ...r.subject, name: REDACTED, contact: REDACTED, unit: REDACTED },
    role: r.role ? REDACTED : '',
    manager: { id: null, name: REDACTED, email: null },
    history: r.history.map((e) => ({
      ...e,
      by: e.by.id === BOT.id ? e.by : anonymous,
      ...(e.text ? { text: REDACTED } : {}),
    })),
  };
  return withEvent(
    bare,
    { kind: 'redacted', at: at.toISOString(), by: BOT },
    { redactedAt: at.toISOString() },
  );
}
