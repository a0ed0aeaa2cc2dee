import Holidays from 'date-holidays';

/**
 * When support answers: weekdays between two local times (08–12 per the routine), closed on
 * Swedish public holidays. Julafton, midsommarafton and nyårsafton are "bank" days in
 * date-holidays, not "public", but Swedish workplaces are closed then, so they count as closed.
 */
export interface SupportHoursConfig {
  /** Local opening and closing time, minutes after midnight. */
  opensAt: number;
  closesAt: number;
  timeZone: string;
  /** ISO 3166 country whose public holidays close support. */
  country: string;
}

export interface SupportHours {
  isOpen(at: Date): boolean;
  /** `at` itself when open, else the next opening. */
  nextOpening(at: Date): Date;
  /** Open time between two instants, in hours: what "untouched for N support hours" counts. */
  hoursBetween(from: Date, to: Date): number;
  /** "måndag 6 januari kl. 08.00", in the support's time zone. */
  format(at: Date): string;
}

/** "08:00-12:00" → minutes; throws on anything else so that config fails at start-up. */
export function parseOpeningHours(s: string): { opensAt: number; closesAt: number } {
  const m = /^\s*(\d{1,2})(?:[:.](\d{2}))?\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?\s*$/.exec(s);
  if (!m) throw new Error(`Ogiltiga öppettider "${s}", skriv till exempel 08:00-12:00`);
  const opensAt = Number(m[1]) * 60 + Number(m[2] ?? 0);
  const closesAt = Number(m[3]) * 60 + Number(m[4] ?? 0);
  if (!(opensAt < closesAt && closesAt <= 24 * 60)) throw new Error(`Ogiltiga öppettider "${s}"`);
  return { opensAt, closesAt };
}

const DAY_MS = 24 * 3600_000;
// Guards against a ticket with a nonsense date walking decades of days.
const MAX_SPAN_DAYS = 3 * 366;

export function createSupportHours(config: SupportHoursConfig): SupportHours {
  const holidays = new Holidays(config.country);
  const partsFormat = new Intl.DateTimeFormat('en-GB', {
    timeZone: config.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    weekday: 'short',
  });

  /** The wall-clock date and time in the support's zone. */
  function local(at: Date) {
    const p = Object.fromEntries(partsFormat.formatToParts(at).map((x) => [x.type, x.value]));
    return {
      year: Number(p.year),
      month: Number(p.month),
      day: Number(p.day),
      minutes: Number(p.hour) * 60 + Number(p.minute) + Number(p.second) / 60,
      weekend: p.weekday === 'Sat' || p.weekday === 'Sun',
    };
  }

  /** The instant at a wall-clock time in the zone (two passes settle a DST offset). */
  function instant(year: number, month: number, day: number, minutes: number): Date {
    const wanted = Date.UTC(year, month - 1, day, 0, minutes);
    let guess = wanted;
    for (let i = 0; i < 2; i++) {
      const l = local(new Date(guess));
      const shown = Date.UTC(l.year, l.month - 1, l.day, 0, Math.round(l.minutes));
      guess += wanted - shown;
    }
    return new Date(guess);
  }

  // date-holidays computes a year's holidays on each call: remember the answer per day.
  const openDays = new Map<string, boolean>();
  function isOpenDay(year: number, month: number, day: number, weekend: boolean): boolean {
    if (weekend) return false;
    const key = `${year}-${month}-${day}`;
    let open = openDays.get(key);
    if (open === undefined) {
      const found = holidays.isHoliday(instant(year, month, day, 12 * 60));
      open = !(found && found.some((h) => h.type === 'public' || h.type === 'bank'));
      if (openDays.size > 5000) openDays.clear();
      openDays.set(key, open);
    }
    return open;
  }

  /** Today's open interval in the zone, or null on a closed day. */
  function openInterval(at: Date): { from: Date; to: Date } | null {
    const l = local(at);
    if (!isOpenDay(l.year, l.month, l.day, l.weekend)) return null;
    return {
      from: instant(l.year, l.month, l.day, config.opensAt),
      to: instant(l.year, l.month, l.day, config.closesAt),
    };
  }

  /** Noon of each local day from `from` on, so that DST days are stepped over safely. */
  function* days(from: Date, limit = 400): Generator<Date> {
    const l = local(from);
    let noon = instant(l.year, l.month, l.day, 12 * 60);
    for (let i = 0; i < limit; i++) {
      yield noon;
      const n = local(new Date(noon.getTime() + DAY_MS));
      noon = instant(n.year, n.month, n.day, 12 * 60);
    }
  }

  function isOpen(at: Date): boolean {
    const i = openInterval(at);
    return !!i && at >= i.from && at < i.to;
  }

  function nextOpening(at: Date): Date {
    for (const day of days(at)) {
      const i = openInterval(day);
      if (i && at < i.to) return at > i.from ? at : i.from;
    }
    throw new Error('No opening within 400 days: check the support hours');
  }

  function hoursBetween(from: Date, to: Date): number {
    // Also false for an invalid date: nothing to count.
    if (!(to.getTime() > from.getTime())) return 0;
    let ms = 0;
    for (const day of days(from, MAX_SPAN_DAYS)) {
      const i = openInterval(day);
      if (i) {
        const start = Math.max(i.from.getTime(), from.getTime());
        const end = Math.min(i.to.getTime(), to.getTime());
        if (end > start) ms += end - start;
      }
      if (day.getTime() - DAY_MS > to.getTime()) break;
    }
    return ms / 3600_000;
  }

  const display = new Intl.DateTimeFormat('sv-SE', {
    timeZone: config.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  const format = (at: Date) => {
    const p = Object.fromEntries(display.formatToParts(at).map((x) => [x.type, x.value]));
    return `${p.weekday} ${p.day} ${p.month} kl. ${p.hour}.${p.minute}`;
  };

  return { isOpen, nextOpening, hoursBetween, format };
}
