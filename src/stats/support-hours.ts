import Holidays from 'date-holidays';
import { dayKey, fromLocal, toLocal } from './time.js';

/** The support routine's phone hours: weekdays 08–12, Swedish local time. */
export const SUPPORT_DAY = { startHour: 8, endHour: 12 } as const;

/** True when a local day ("2025-12-24") is a day off. */
export type IsDayOff = (day: string) => boolean;

/**
 * Swedish public holidays, plus the eves the calendar calls bank holidays (julafton,
 * midsommarafton, nyårsafton): support is closed on those too, so an hour there is no support hour.
 */
export function swedishDaysOff(): IsDayOff {
  const holidays = new Holidays('SE');
  const years = new Map<number, Set<string>>();
  return (day) => {
    const year = Number(day.slice(0, 4));
    let set = years.get(year);
    if (!set) {
      set = new Set(
        holidays
          .getHolidays(year)
          .filter((h) => h.type === 'public' || h.type === 'bank')
          .map((h) => h.date.slice(0, 10)),
      );
      years.set(year, set);
    }
    return set.has(day);
  };
}

const DAY = 86_400_000;
// Guards against a ticket with a nonsense date walking decades of days.
const MAX_DAYS = 3 * 366;

/** Milliseconds of support hours between two instants; 0 if `to` is not after `from`. */
export function supportMsBetween(from: Date, to: Date, isDayOff: IsDayOff): number {
  const a = from.getTime();
  const b = to.getTime();
  if (!(b > a)) return 0;
  let total = 0;
  const first = toLocal(a);
  let day = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate());
  for (let i = 0; i <= MAX_DAYS; i++, day += DAY) {
    const d = new Date(day);
    const start = fromLocal(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), SUPPORT_DAY.startHour);
    if (start >= b) break;
    const weekday = d.getUTCDay();
    if (weekday === 0 || weekday === 6 || isDayOff(dayKey(d))) continue;
    const end = fromLocal(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), SUPPORT_DAY.endHour);
    total += Math.max(0, Math.min(b, end) - Math.max(a, start));
  }
  return total;
}
