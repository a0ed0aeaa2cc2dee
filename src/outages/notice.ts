/** An outage notice: what users are told about a planned stop or an unplanned disruption. */
export type NoticeKind = 'planned' | 'unplanned';
export type Affected = 'alla' | 'inloggning' | 'bestallning' | 'funktion';

export interface Notice {
  id: string;
  /** Starts at 1, one up per save: a card action on an older version is stale. */
  version: number;
  kind: NoticeKind;
  affected: Affected;
  /** The named function, when affected = funktion. */
  functionName: string;
  message: string;
  showSelfHelp: boolean;
  startsAt: string;
  /** Expected end; may be unknown for an unplanned disruption. */
  endsAt: string | null;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
  /** Everyone the notice was sent to (recipient ids), so edits reach the same chats. */
  recipients: string[];
  /** Where the delivery report card is: a user or channel recipient. */
  reportTo: string;
  /** Reminders already handed to the outbox, in minutes before start. */
  remindersSent: number[];
  /** Users who clicked "Jag påverkas också", once each. */
  affectedUsers: string[];
  /** The version whose messages are all in the outbox; behind `version` only if a crash came between. */
  queuedVersion: number;
  history: {
    at: string;
    by: string;
    what: 'created' | 'updated' | 'ended';
    endsAt?: string | null;
  }[];
}

/** What staff type on the form, as it comes from the card: untrusted strings. */
export interface NoticeDraft {
  draftId: string;
  kind: string;
  affected: string;
  functionName: string;
  message: string;
  showSelfHelp: string;
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
}

export const MAX_MESSAGE_LENGTH = 1000;
export const TIME_ZONE = 'Europe/Stockholm';

/**
 * A card's date as "YYYY-MM-DD", or undefined. Input.Date sends YYYY-MM-DD whatever the client's
 * locale shows ("December 1, 2026" on an en-US client); a date-time from another client keeps its date.
 */
export function cardDate(value: string): string | undefined {
  const d = value.trim().match(/^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/);
  return d ? `${d[1]}-${d[2]}-${d[3]}` : undefined;
}

/**
 * A card's time as 24-hour "HH:mm", or undefined. Input.Time sends "HH:mm" whatever the picker
 * shows ("10:30 PM"), but Teams lets people type into it, so typed forms are read too: "9:05",
 * "14.30", "14:30:00", "10:30 PM", "10.30 em".
 */
export function cardTime(value: string): string | undefined {
  const t = value
    .trim()
    .toLowerCase()
    .match(
      /^(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*(am|pm|a\.m\.|p\.m\.|fm|em|f\.m\.|e\.m\.)?$/,
    );
  if (!t) return undefined;
  let h = +t[1];
  const mi = +t[2];
  const half = t[3]?.replace(/\./g, '');
  if (half) {
    if (h < 1 || h > 12) return undefined;
    h = (h % 12) + (half === 'pm' || half === 'em' ? 12 : 0);
  }
  if (h > 23 || mi > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`;
}

/** The instant of a wall-clock date and time in Sweden ("2025-01-15", "08:00"), or undefined. */
export function swedishTimeToDate(date: string, time: string): Date | undefined {
  const day = cardDate(date);
  const clock = time.trim() ? cardTime(time) : '00:00';
  if (!day || !clock) return undefined;
  const d = day.split('-');
  const t = clock.split(':');
  const [y, mo, da, h, mi] = [+d[0], +d[1], +d[2], +t[0], +t[1]];
  if (mo < 1 || mo > 12 || da < 1 || da > 31) return undefined;
  const wall = Date.UTC(y, mo - 1, da, h, mi);
  // The offset of Swedish time at that moment (CET or CEST), found by formatting, twice near a change.
  let utc = wall - offsetAt(wall);
  utc = wall - offsetAt(utc);
  const back = new Date(utc);
  return Number.isNaN(back.getTime()) || wallClock(back).date !== day ? undefined : back;
}

function offsetAt(utcMs: number): number {
  const w = wallClock(new Date(utcMs));
  const [y, mo, d] = w.date.split('-').map(Number);
  const [h, mi] = w.time.split(':').map(Number);
  return Date.UTC(y, mo - 1, d, h, mi) - Math.floor(utcMs / 60_000) * 60_000;
}

const parts = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Date and time as shown in Sweden: { date: "2025-01-15", time: "09:00" }. */
export function wallClock(at: Date): { date: string; time: string } {
  const p = Object.fromEntries(parts.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** "15 januari kl. 09:00", for people. */
export function formatWhen(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('sv-SE', {
    timeZone: TIME_ZONE,
    day: 'numeric',
    month: 'long',
  }).format(at);
  return `${day} kl. ${wallClock(at).time}`;
}

export type Validated =
  | {
      ok: true;
      kind: NoticeKind;
      affected: Affected;
      functionName: string;
      message: string;
      showSelfHelp: boolean;
      startsAt: Date;
      endsAt: Date | null;
    }
  | { ok: false; errors: string[] };

const kinds: NoticeKind[] = ['planned', 'unplanned'];
const affectedValues: Affected[] = ['alla', 'inloggning', 'bestallning', 'funktion'];

/** Checks a draft; every problem comes back as a short Swedish sentence for the card. */
export function validateDraft(
  d: NoticeDraft,
  now: Date,
  texts: { errors: Record<string, string> },
): Validated {
  const errors: string[] = [];
  const kind = kinds.find((k) => k === d.kind);
  if (!kind) errors.push(texts.errors.kind);
  const affected = affectedValues.find((a) => a === d.affected);
  if (!affected) errors.push(texts.errors.affected);
  const functionName = d.functionName.trim().slice(0, 100);
  if (affected === 'funktion' && !functionName) errors.push(texts.errors.functionName);
  const message = d.message.trim();
  if (!message) errors.push(texts.errors.emptyMessage);
  if (message.length > MAX_MESSAGE_LENGTH) errors.push(texts.errors.longMessage);

  // An unplanned disruption has started already: no start given means now.
  const startsAt = d.startDate.trim()
    ? swedishTimeToDate(d.startDate, d.startTime)
    : kind === 'unplanned'
      ? now
      : undefined;
  if (!startsAt) errors.push(texts.errors.start);
  const endsAt = d.endDate.trim() ? (swedishTimeToDate(d.endDate, d.endTime) ?? null) : null;
  if (d.endDate.trim() && !endsAt) errors.push(texts.errors.end);
  if (kind === 'planned' && !d.endDate.trim()) errors.push(texts.errors.plannedEnd);
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime())
    errors.push(texts.errors.endBeforeStart);
  if (kind === 'planned' && startsAt && startsAt.getTime() <= now.getTime())
    errors.push(texts.errors.plannedInPast);
  if (errors.length || !kind || !affected || !startsAt) return { ok: false, errors };
  return {
    ok: true,
    kind,
    affected,
    functionName,
    message,
    showSelfHelp: d.showSelfHelp !== 'false',
    startsAt,
    endsAt,
  };
}

/** A card's data as a draft: only strings, cut to size, whatever the card sent. */
export function toDraft(data: Record<string, unknown>): NoticeDraft {
  const s = (k: string, max = 100) =>
    typeof data[k] === 'string'
      ? (data[k] as string).slice(0, max)
      : typeof data[k] === 'boolean'
        ? String(data[k])
        : '';
  // Read once into the form's own shape, so the card shown again and the preview carry it.
  const date = (k: string) => cardDate(s(k, 40)) ?? s(k, 20);
  const time = (k: string) => cardTime(s(k, 40)) ?? s(k, 20);
  return {
    draftId: s('draftId').replace(/[^A-Za-z0-9-]/g, ''),
    kind: s('kind'),
    affected: s('affected'),
    functionName: s('functionName'),
    message: s('message', MAX_MESSAGE_LENGTH + 1),
    showSelfHelp: s('showSelfHelp') || 'true',
    startDate: date('startDate'),
    startTime: time('startTime'),
    endDate: date('endDate'),
    endTime: time('endTime'),
  };
}
