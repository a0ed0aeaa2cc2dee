import type { VerbTable } from '../features/feature.js';
import {
  text,
  type ActionResult,
  type MessageHandler,
  type Reply,
  type Requester,
  type VerbHandler,
} from '../conversation/replies.js';
import type { Log } from '../log.js';
import type { Clock } from '../outbox/clock.js';
import type { Outbox, OutgoingMessage } from '../outbox/outbox.js';
import type { RecipientRepository } from '../recipients/repository.js';
import {
  formCard,
  noticeCard,
  previewCard,
  reportCard,
  sentPreviewCard,
  affectedLabel,
  type DeliverySummary,
} from './cards.js';
import {
  formatWhen,
  swedishTimeToDate,
  toDraft,
  validateDraft,
  wallClock,
  type Notice,
  type NoticeDraft,
} from './notice.js';
import { StaleNoticeError, type NoticeRepository } from './repository.js';
import type { SelfHelp } from './self-help.js';
import { outageTexts as T } from './texts.js';

export interface OutagesDeps {
  repo: NoticeRepository;
  recipients: RecipientRepository;
  outbox: Outbox;
  selfHelp: SelfHelp;
  isStaff: (r: Requester) => boolean;
  clock: Clock;
  /** Reminders of a planned stop, minutes before it starts. */
  reminderMinutes: number[];
  /** How often the report card is brought up to date and reminders are looked for. */
  tickMs: number;
  /** Sends per second the outbox is paced at: the ETA before a rate has been measured. */
  sendRate: number;
  newId: () => string;
  log: Log;
}

const COMMAND = /^\s*(nytt\s+)?driftmeddelande\s*[.!]?\s*$/i;
/** Questions that, while a notice is active, are about it: "funkar inte webSesam?", "kan inte logga in". */
const OUTAGE_QUESTION =
  /(funkar|fungerar|går)\s+(inte|ej)|kan\s+(inte|ej)\s+(logga|komma)|laddar\s+(inte|ej)|nere|driftst|störning|storning|avbrott|ur\s+funktion|hänger|krasch|långsam|langsam|segt/i;
const MAX_REASONS = 3;

const noticeKey = (id: string, rid: string) => `outage:${id}:notice:${rid}`;
const reportKey = (id: string) => `outage:${id}:report`;

/**
 * Outage notices: staff write one on a card, it goes to every user and announcement channel
 * through the outbox, reminders go out before a planned stop, edits land in place, and while it
 * is active the bot answers "is webSesam down?" with it.
 */
export function createOutages(d: OutagesDeps) {
  const now = () => d.clock.now();
  let active: Notice[] = [];
  let timer: unknown;
  let running = false;
  let ticking: Promise<void> | null = null;
  /** Per notice, what the report card last showed and the rate measured between ticks. */
  const reports = new Map<string, { shown: string; at: number; sent: number; rate: number }>();
  // One change at a time per notice: reminders, updates and ends must not interleave their saves.
  let lock: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const run = lock.then(work, work);
    lock = run.catch(() => undefined);
    return run;
  };

  async function refreshActive() {
    const t = now();
    active = (await d.repo.list()).filter((n) => !n.endedAt && Date.parse(n.startsAt) <= t);
  }

  function banner(): string | null {
    const n = active.find((x) => !x.endedAt && Date.parse(x.startsAt) <= now());
    return n ? T.banner(T.kindTitle[n.kind], affectedLabel(n), formatWhen(n.endsAt)) : null;
  }

  const newDraft = (): NoticeDraft => {
    const w = wallClock(new Date(now()));
    return {
      draftId: d.newId(),
      kind: 'unplanned',
      affected: 'alla',
      functionName: '',
      message: '',
      showSelfHelp: 'true',
      startDate: w.date,
      startTime: w.time,
      endDate: '',
      endTime: '',
    };
  };

  const handler: MessageHandler = async (requester, question) => {
    if (COMMAND.test(question))
      return d.isStaff(requester) ? [formCard(newDraft())] : [text(T.notStaff)];
    if (!OUTAGE_QUESTION.test(question)) return undefined;
    const t = now();
    const live = active.filter((n) => !n.endedAt && Date.parse(n.startsAt) <= t);
    // The live notice first; the self-help steps and the way to support are on it.
    return live.length ? live.slice(0, 2).map((n) => noticeCard(n, d.selfHelp, t)) : undefined;
  };

  /** Who gets a notice: every user who can be reached, and every announcement channel. */
  async function audience(): Promise<string[]> {
    const users = (await d.recipients.list('user')).filter((r) => !r.goneAt).map((r) => r.id);
    return [...users, ...(await d.repo.announcementChannels())];
  }

  /** Where the report goes: the chat or channel the staff member wrote from. */
  const reportRecipient = (r: Requester) =>
    r.conversationType === 'personal'
      ? `user:${r.userId}`
      : `channel:${r.conversationId.split(';')[0]}`;

  const isChannel = (rid: string) => rid.startsWith('channel:');

  function broadcast(n: Notice): OutgoingMessage[] {
    const reply = noticeCard(n, d.selfHelp, now());
    return n.recipients.map((rid) =>
      isChannel(rid)
        ? {
            key: noticeKey(n.id, rid),
            op: 'create-thread' as const,
            to: { recipientId: rid },
            reply,
            bulk: true,
          }
        : {
            key: noticeKey(n.id, rid),
            op: 'send' as const,
            to: { recipientId: rid },
            reply,
            bulk: true,
          },
    );
  }

  /** Edits every copy in place; for a channel the notice is the first message of its own thread. */
  function edits(n: Notice, tag: string): OutgoingMessage[] {
    const reply = noticeCard(n, d.selfHelp, now());
    return n.recipients.map((rid) => ({
      key: `outage:${n.id}:${tag}:${rid}`,
      op: 'update' as const,
      of: noticeKey(n.id, rid),
      reply,
      bulk: true,
    }));
  }

  /** A short new message in each chat (in a channel: in the notice's thread). */
  function follow(n: Notice, tag: string, reply: Reply): OutgoingMessage[] {
    return n.recipients.map((rid) => ({
      key: `outage:${n.id}:${tag}:${rid}`,
      op: 'send' as const,
      to: isChannel(rid) ? { threadOf: noticeKey(n.id, rid) } : { recipientId: rid },
      reply,
      bulk: true,
    }));
  }

  async function summary(n: Notice): Promise<DeliverySummary> {
    const s: DeliverySummary = {
      total: n.recipients.length,
      sent: 0,
      pending: 0,
      failed: 0,
      gone: 0,
      reasons: [],
      etaSeconds: 0,
    };
    const reasons = new Map<string, number>();
    for (const rid of n.recipients) {
      const status = await d.outbox.status(noticeKey(n.id, rid));
      const state = status?.state ?? 'pending';
      s[state]++;
      if ((state === 'failed' || state === 'gone') && status?.error)
        reasons.set(status.error, (reasons.get(status.error) ?? 0) + 1);
    }
    s.reasons = [...reasons]
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_REASONS)
      .map(([reason, count]) => ({ reason, count }));
    const seen = reports.get(n.id);
    s.etaSeconds = Math.ceil(s.pending / (seen?.rate || d.sendRate));
    return s;
  }

  /** Brings the staff's report card up to date, if anything on it changed. */
  async function refreshReport(n: Notice, note = '', force = false): Promise<Reply> {
    const s = await summary(n);
    const t = now();
    const reply = reportCard(n, s, t, note);
    const shown = JSON.stringify(reply);
    const last = reports.get(n.id);
    if (last && t > last.at) {
      const measured = ((s.sent + s.failed + s.gone - last.sent) * 1000) / (t - last.at);
      if (measured > 0) last.rate = measured;
    }
    const entry = { shown, at: t, sent: s.sent + s.failed + s.gone, rate: last?.rate ?? 0 };
    reports.set(n.id, entry);
    if (force || last?.shown !== shown)
      await d.outbox.enqueue([
        { key: `${reportKey(n.id)}@${t}:${d.newId()}`, op: 'update', of: reportKey(n.id), reply },
      ]);
    return reply;
  }

  async function noticeOrReply(data: Record<string, unknown>): Promise<Notice | ActionResult> {
    const id = typeof data.noticeId === 'string' ? data.noticeId.slice(0, 100) : '';
    return (await d.repo.get(id)) ?? { replies: [], updatedCard: text(T.unknownNotice) };
  }

  const staffOnly =
    (h: VerbHandler): VerbHandler =>
    async (requester, data) =>
      // A text "updated card" is shown to the clicker alone, not posted in the channel for all.
      d.isStaff(requester) ? h(requester, data) : { replies: [], updatedCard: text(T.notStaff) };

  const verbs = {
    'outage.form': staffOnly(async (_r, data) => {
      const draft = toDraft(data);
      return { replies: [], updatedCard: formCard(draft.draftId ? draft : newDraft()) };
    }),

    'outage.preview': staffOnly(async (_r, data) => {
      const draft = { ...toDraft(data), draftId: toDraft(data).draftId || d.newId() };
      const v = validateDraft(draft, new Date(now()), T);
      if (!v.ok) return { replies: [], updatedCard: formCard(draft, v.errors) };
      const users = (await d.recipients.list('user')).filter((r) => !r.goneAt).length;
      const channels = (await d.repo.announcementChannels()).length;
      const view = {
        ...v,
        startsAt: v.startsAt.toISOString(),
        endsAt: v.endsAt?.toISOString() ?? null,
      };
      return {
        replies: [],
        updatedCard: previewCard(draft, view, d.selfHelp, T.audience(users, channels), now()),
      };
    }),

    'outage.send': staffOnly(async (requester, data) => {
      const draft = toDraft(data);
      if (!draft.draftId) return { replies: [], updatedCard: formCard(newDraft()) };
      return serially(async () => {
        // The draft id is the notice id: a second (or forged) Skicka sends nothing twice and gets
        // the sent preview back, before any check of times that have passed since.
        const sent = await d.repo.get(draft.draftId);
        if (sent)
          return {
            replies: [],
            updatedCard: sentPreviewCard(sent, d.selfHelp, T.alreadySent, now()),
          };
        const v = validateDraft(draft, new Date(now()), T);
        if (!v.ok) return { replies: [], updatedCard: formCard(draft, v.errors) };
        const at = new Date(now()).toISOString();
        const notice: Notice = {
          id: draft.draftId,
          version: 1,
          kind: v.kind,
          affected: v.affected,
          functionName: v.functionName,
          message: v.message,
          showSelfHelp: v.showSelfHelp,
          startsAt: v.startsAt.toISOString(),
          endsAt: v.endsAt?.toISOString() ?? null,
          createdBy: requester.userId,
          createdAt: at,
          endedAt: null,
          endedBy: null,
          recipients: await audience(),
          reportTo: reportRecipient(requester),
          // Reminders whose time has passed already would only repeat the announcement.
          remindersSent: d.reminderMinutes.filter(
            (m) => Date.parse(v.startsAt.toISOString()) - m * 60_000 <= now(),
          ),
          affectedUsers: [],
          queuedVersion: 0,
          history: [
            { at, by: requester.userId, what: 'created', endsAt: v.endsAt?.toISOString() ?? null },
          ],
        };
        await d.repo.save(notice); // durable before anyone is told
        await announce(notice);
        await markQueued(notice);
        await refreshActive();
        schedule();
        return {
          replies: [],
          updatedCard: sentPreviewCard(notice, d.selfHelp, T.sent(notice.recipients.length), now()),
        };
      });
    }),

    'outage.update': staffOnly(async (requester, data) =>
      serially(async () => {
        const found = await noticeOrReply(data);
        if (!('id' in found)) return found;
        const n = found;
        if (n.endedAt) return { replies: [], updatedCard: await refreshReport(n, T.alreadyEnded) };
        const endDate = typeof data.endDate === 'string' ? data.endDate.slice(0, 20) : '';
        const endTime = typeof data.endTime === 'string' ? data.endTime.slice(0, 20) : '';
        const end = swedishTimeToDate(endDate, endTime);
        const problem = !end
          ? T.errors.end
          : end.getTime() <= Date.parse(n.startsAt)
            ? T.errors.endBeforeStart
            : end.getTime() <= now()
              ? T.errors.endInPast
              : '';
        if (problem || !end)
          return { replies: [], updatedCard: await refreshReport(n, problem, true) };
        const at = new Date(now()).toISOString();
        const next: Notice = {
          ...n,
          version: n.version + 1,
          endsAt: end.toISOString(),
          history: [
            ...n.history,
            { at, by: requester.userId, what: 'updated', endsAt: end.toISOString() },
          ],
        };
        await d.repo.save(next);
        await d.outbox.enqueue(edits(next, `v${next.version}`));
        const queued = await markQueued(next);
        await refreshActive();
        schedule();
        return {
          replies: [],
          updatedCard: await refreshReport(queued, T.updated(formatWhen(next.endsAt)), true),
        };
      }),
    ),

    'outage.end': staffOnly(async (requester, data) =>
      serially(async () => {
        const found = await noticeOrReply(data);
        if (!('id' in found)) return found;
        if (found.endedAt)
          return { replies: [], updatedCard: await refreshReport(found, T.alreadyEnded) };
        const ended = await end(found, requester.userId);
        return { replies: [], updatedCard: await refreshReport(ended, T.endedByStaff, true) };
      }),
    ),

    'outage.affected': async (requester, data) => {
      const found = await noticeOrReply(data);
      if (!('id' in found)) return found;
      if (found.kind === 'unplanned' && !found.endedAt)
        await d.repo.addAffectedUser(found.id, requester.userId);
      return {
        replies: [],
        updatedCard: noticeCard(found, d.selfHelp, now(), found.endedAt ? '' : T.affectedThanks),
      };
    },
  } satisfies VerbTable;

  async function announce(n: Notice) {
    // The report first and not bulk: staff see it before 10,000 notices go out.
    await d.outbox.enqueue([
      {
        key: reportKey(n.id),
        op: isChannel(n.reportTo) ? 'create-thread' : 'send',
        to: { recipientId: n.reportTo },
        reply: reportCard(n, await summary(n), now()),
      },
      ...broadcast(n),
    ]);
  }

  async function end(n: Notice, by: string): Promise<Notice> {
    const at = new Date(now()).toISOString();
    const ended: Notice = {
      ...n,
      version: n.version + 1,
      endedAt: at,
      endedBy: by,
      history: [...n.history, { at, by, what: 'ended' }],
    };
    await d.repo.save(ended);
    await d.outbox.enqueue(endMessages(ended));
    const queued = await markQueued(ended);
    await refreshActive();
    return queued;
  }

  const endMessages = (n: Notice) => [
    ...edits(n, 'ended-edit'),
    ...follow(n, 'ended', text(T.ended(affectedLabel(n)))),
  ];

  /** Records that every message of this version is in the outbox, so a restart need not hand them again. */
  async function markQueued(n: Notice): Promise<Notice> {
    const next = { ...n, version: n.version + 1, queuedVersion: n.version + 1 };
    await d.repo.save(next);
    return next;
  }

  /**
   * After a crash between saving a notice and handing its messages to the outbox: hand them again.
   * The keys are the same, so whatever the outbox already has is not sent twice.
   */
  async function resume(n: Notice) {
    if (n.queuedVersion === n.version) return;
    await announce(n);
    const lastUpdate = [...n.history].reverse().find((h) => h.what === 'updated');
    // The edit of an update may or may not have been handed over: one more edit to the same state is harmless.
    if (lastUpdate && !n.endedAt) await d.outbox.enqueue(edits(n, `resume-v${n.version}`));
    if (n.endedAt) await d.outbox.enqueue(endMessages(n));
    await markQueued(n);
  }

  /** Reminders, the end of planned stops, report refreshes: whatever is due now. */
  async function tick() {
    const t = now();
    for (const n of await d.repo.list()) {
      if (n.endedAt) {
        const r = reports.get(n.id);
        // Refreshed until the last message of a recently ended notice is settled.
        if (Date.parse(n.endedAt) > t - 24 * 3600_000 && (!r || r.sent < n.recipients.length))
          await refreshReport(n);
        continue;
      }
      await serially(async () => {
        const current = (await d.repo.get(n.id))!;
        if (current.endedAt) return;
        await dueForNotice(current, t);
      }).catch((e: unknown) => {
        // With several instances another one did this step first; its outbox keys are the same,
        // so nothing went out twice, and the next tick reads what it saved.
        if (!(e instanceof StaleNoticeError)) throw e;
        d.log.info({ notice: n.id }, 'outage step already done by another instance');
      });
      await refreshReport((await d.repo.get(n.id))!);
    }
    await refreshActive();
  }

  /** A notice's due steps: the end of a planned stop, or its reminders. */
  async function dueForNotice(current: Notice, t: number) {
    if (current.kind === 'planned' && current.endsAt && Date.parse(current.endsAt) <= t) {
      await end(current, 'schema');
      return;
    }
    const start = Date.parse(current.startsAt);
    const due = d.reminderMinutes.filter(
      (m) => !current.remindersSent.includes(m) && start - m * 60_000 <= t && t < start,
    );
    if (current.kind === 'planned' && due.length) {
      const when = T.when(formatWhen(current.startsAt), formatWhen(current.endsAt));
      // Enqueued before it is recorded: after a crash the same keys come again and are ignored.
      for (const m of due)
        await d.outbox.enqueue(
          follow(
            current,
            `reminder-${m}`,
            text(T.reminder(T.kindTitle[current.kind], affectedLabel(current), when)),
          ),
        );
      const version = current.version + 1;
      const queuedVersion =
        current.queuedVersion === current.version ? version : current.queuedVersion;
      await d.repo.save({
        ...current,
        version,
        queuedVersion,
        remindersSent: [...current.remindersSent, ...due],
      });
    }
  }

  /** The next moment something is due: a reminder, a start or an end, or the next report refresh. */
  async function nextDue(): Promise<number> {
    const t = now();
    let next = t + d.tickMs;
    for (const n of await d.repo.list()) {
      if (n.endedAt) continue;
      const start = Date.parse(n.startsAt);
      const times = [
        start,
        ...(n.endsAt && n.kind === 'planned' ? [Date.parse(n.endsAt)] : []),
        ...d.reminderMinutes
          .filter((m) => !n.remindersSent.includes(m))
          .map((m) => start - m * 60_000),
      ];
      for (const at of times) if (at > t && at < next) next = at;
    }
    return next;
  }

  function schedule() {
    if (!running || ticking) return;
    void nextDue().then((at) => {
      if (!running) return;
      if (timer !== undefined) d.clock.clearTimer(timer);
      timer = d.clock.setTimer(() => {
        timer = undefined;
        ticking = tick()
          .catch((e: Error) => d.log.error({ err: e.message }, 'outage tick failed'))
          .finally(() => {
            ticking = null;
            schedule();
          });
      }, at - now());
    });
  }

  return {
    handler,
    banner,
    isStaff: d.isStaff,
    /** The card verbs; the feature registers them. */
    verbs,
    /** Staff register a channel for announcements; the Teams side has stored it as a recipient. */
    async registerChannel(requester: Requester, recipientId: string): Promise<string> {
      if (!d.isStaff(requester)) return T.notStaff;
      return (await d.repo.addAnnouncementChannel(recipientId))
        ? T.channelRegistered
        : T.channelAlreadyRegistered;
    },
    /** Picks up after a restart: what was decided but perhaps not handed to the outbox is handed again. */
    async start() {
      running = true;
      for (const n of await d.repo.list()) await serially(() => resume(n));
      await refreshActive();
      schedule();
    },
    async stop() {
      running = false;
      if (timer !== undefined) d.clock.clearTimer(timer);
      timer = undefined;
      await ticking;
      await lock;
    },
  };
}

export type Outages = ReturnType<typeof createOutages>;
