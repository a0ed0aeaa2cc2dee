import { card, type Reply } from '../conversation/replies.js';
import formJson from '../cards/templates/outage-form.json' with { type: 'json' };
import noticeJson from '../cards/templates/outage-notice.json' with { type: 'json' };
import previewJson from '../cards/templates/outage-preview.json' with { type: 'json' };
import reportJson from '../cards/templates/outage-report.json' with { type: 'json' };
import { formatWhen, type Notice, type NoticeDraft } from './notice.js';
import type { SelfHelp } from './self-help.js';
import { outageTexts as T } from './texts.js';

/** The outage cards, by template name (the outages feature registers them). */
export const outageTemplates = {
  'outage-form': formJson,
  'outage-notice': noticeJson,
  'outage-preview': previewJson,
  'outage-report': reportJson,
};

/** What a notice says, whether it is a draft on the preview or the card in 10,000 chats. */
export type NoticeView = Pick<
  Notice,
  'kind' | 'affected' | 'functionName' | 'message' | 'showSelfHelp' | 'startsAt' | 'endsAt'
>;

export function affectedLabel(v: Pick<NoticeView, 'affected' | 'functionName'>): string {
  return v.affected === 'funktion' && v.functionName
    ? T.affectedFunction(v.functionName)
    : T.affected[v.affected];
}

export function noticeContent(v: NoticeView, selfHelp: SelfHelp, state: string) {
  return {
    title: T.kindTitle[v.kind],
    state,
    affected: affectedLabel(v),
    when: T.when(formatWhen(v.startsAt), formatWhen(v.endsAt)),
    message: v.message,
    steps: v.showSelfHelp
      ? selfHelp[v.affected].steps.map((text, i) => ({ number: i + 1, text }))
      : [],
  };
}

export function stateLine(n: Pick<Notice, 'endedAt' | 'startsAt' | 'kind'>, now: number): string {
  if (n.endedAt) return T.stateEnded;
  return Date.parse(n.startsAt) > now ? T.statePlanned : T.stateActive;
}

/** The card users get. One card for everyone: a broadcast stores it once. */
export function noticeCard(n: Notice, selfHelp: SelfHelp, now: number, thanks = ''): Reply {
  return card('outage-notice', {
    ...noticeContent(n, selfHelp, stateLine(n, now)),
    style: n.endedAt ? 'good' : 'attention',
    noticeId: n.id,
    canReportAffected: n.kind === 'unplanned' && !n.endedAt && !thanks,
    thanks,
  });
}

export function formCard(d: NoticeDraft, errors: string[] = []): Reply {
  return card('outage-form', { title: T.formTitle, errors, ...d });
}

export function previewCard(
  d: NoticeDraft,
  v: NoticeView,
  selfHelp: SelfHelp,
  recipients: string,
  now: number,
): Reply {
  return card('outage-preview', {
    heading: T.previewTitle,
    notice: noticeContent(
      v,
      selfHelp,
      Date.parse(v.startsAt) > now ? T.statePlanned : T.stateActive,
    ),
    draft: d,
    recipients,
    sentNote: null,
  });
}

/**
 * The preview once its notice is sent: the same content as stored, no Skicka or Ändra, and a line
 * that says what happened. A repeated or forged Skicka gets this card back and changes nothing.
 */
export function sentPreviewCard(n: Notice, selfHelp: SelfHelp, note: string, now: number): Reply {
  return card('outage-preview', {
    heading: T.previewSentTitle,
    notice: noticeContent(n, selfHelp, stateLine(n, now)),
    draft: {},
    recipients: T.audience(
      n.recipients.filter((r) => !r.startsWith('channel:')).length,
      n.recipients.filter((r) => r.startsWith('channel:')).length,
    ),
    sentNote: note,
  });
}

export interface DeliverySummary {
  total: number;
  sent: number;
  pending: number;
  failed: number;
  gone: number;
  reasons: { reason: string; count: number }[];
  etaSeconds: number;
}

export function reportCard(n: Notice, s: DeliverySummary, now: number, note = ''): Reply {
  const end = n.endsAt ? new Date(n.endsAt) : new Date(now);
  const wall = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(end);
  const time = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(end);
  return card('outage-report', {
    title: T.reportTitle(T.kindTitle[n.kind]),
    state: stateLine(n, now),
    note,
    affected: affectedLabel(n),
    when: T.when(formatWhen(n.startsAt), formatWhen(n.endsAt)),
    ...s,
    eta: s.pending ? T.eta(s.etaSeconds) : T.allDone,
    affectedUsers: n.affectedUsers.length,
    noticeId: n.id,
    open: !n.endedAt,
    endDate: wall,
    endTime: time,
  });
}
