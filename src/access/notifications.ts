import { plainCardText } from '../cards/render.js';
import { text, type Reply } from '../conversation/replies.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import { approvalCard, staffCard, userCard, type AccessCardContext } from './cards.js';
import type { AccessNotifier } from './ports.js';
import { accessTexts as T } from './texts.js';
import type { AccessEvent, AccessRequest } from './request.js';

export interface AccessNotifierDeps {
  outbox: Outbox;
  cards: AccessCardContext;
}

/** Events that put the request in front of support: its card starts a thread in the channel. */
const TO_SUPPORT = new Set<AccessEvent['kind']>(['approved', 'routed', 'posted']);

/**
 * A request's changes as outbox messages. Keys come from the request and its version, so handing
 * the same change over twice (after a crash, on recovery) still sends each message once.
 */
export function createAccessNotifier({ outbox, cards }: AccessNotifierDeps): AccessNotifier {
  const threadKey = (r: AccessRequest) => `access:${r.id}:thread`;
  const approvalKey = (r: AccessRequest) => `access:${r.id}:approval`;
  const user = (id: string) => ({ recipientId: `user:${id}` });
  const subject = (r: AccessRequest) => plainCardText(r.subject.name);

  function toApplicant(r: AccessRequest, e: AccessEvent): Reply | undefined {
    const n = r.number;
    switch (e.kind) {
      case 'approved':
        return text(T.applicantApproved(n, e.by.name));
      case 'declined':
        return text(T.applicantDeclined(n, e.by.name, e.text ?? ''));
      case 'routed':
        return text(
          T.applicantUnreachable(n, r.manager.name || r.manager.email || T.unnamedManager),
        );
      case 'registered':
        return text(T.applicantRegistered(n, e.text ?? ''));
      case 'rejected':
        return text(T.applicantRejected(n, e.text ?? ''));
      case 'info-requested':
        // The answer box carries the version right after the question: an old one is stale.
        return userCard(
          cards,
          { ...r, status: 'needs-info', version: e.version },
          T.applicantQuestionHeading(n),
        );
      default:
        return undefined;
    }
  }

  /** The manager hears how it ended, unless they are the one who did it or filed it. */
  function toManager(r: AccessRequest, e: AccessEvent): Reply | undefined {
    if (!r.manager.id || r.manager.id === r.applicant.id || r.manager.id === e.by.id)
      return undefined;
    if (e.kind === 'registered') return text(T.managerRegistered(r.number, subject(r)));
    if (e.kind === 'rejected') return text(T.managerRejected(r.number, subject(r), e.text ?? ''));
    return undefined;
  }

  return {
    async changed(r, afterVersion) {
      const messages: OutgoingMessage[] = [];
      const events = r.history.filter((e) => e.version > afterVersion);
      const applied = events.find((e) => e.kind === 'applied');
      if (applied && r.status === 'awaiting-manager' && r.manager.id)
        messages.push({
          key: approvalKey(r),
          op: 'send',
          to: user(r.manager.id),
          reply: approvalCard(cards, { ...r, version: applied.version }),
        });
      const posted = events.some(
        (e) => TO_SUPPORT.has(e.kind) || (e.kind === 'applied' && e.reason),
      );
      if (r.channel && posted)
        messages.push({
          key: threadKey(r),
          op: 'create-thread',
          to: { recipientId: r.channel },
          reply: staffCard(cards, r),
        });
      else if (r.channel && events.length)
        messages.push({
          key: `access:${r.id}:card:v${r.version}`,
          op: 'update',
          of: threadKey(r),
          reply: staffCard(cards, r),
        });
      for (const e of events) {
        const a = r.applicant.id === e.by.id ? undefined : toApplicant(r, e);
        if (a)
          messages.push({
            key: `access:${r.id}:v${e.version}:applicant`,
            op: 'send',
            to: user(r.applicant.id),
            reply: a,
          });
        const m = toManager(r, e);
        if (m)
          messages.push({
            key: `access:${r.id}:v${e.version}:manager`,
            op: 'send',
            to: user(r.manager.id!),
            reply: m,
          });
        if (e.kind === 'info-given' && r.channel)
          messages.push({
            key: `access:${r.id}:v${e.version}:note`,
            op: 'send',
            to: { threadOf: threadKey(r) },
            reply: text(T.answeredThread(r.number, plainCardText(e.by.name))),
          });
      }
      if (messages.length) await outbox.enqueue(messages);
    },

    async remind(r, hours, round) {
      if (!r.manager.id) return;
      await outbox.enqueue([
        {
          key: `access:${r.id}:v${r.version}:reminder:${round}`,
          op: 'send',
          to: user(r.manager.id),
          reply: approvalCard(cards, r, { notice: T.reminder(hours) }),
        },
      ]);
    },

    async approvalDelivery(r) {
      const status = await outbox.status(approvalKey(r));
      return status?.state ?? 'none';
    },
  };
}
