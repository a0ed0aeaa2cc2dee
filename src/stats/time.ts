/**
 * Swedish local time without Intl: the rebuild at start reads every logged question, and
 * formatting 500,000 dates through Intl costs seconds. Sweden follows the EU rule, so the offset
 * is a pure function of the instant.
 */

const HOUR = 3_600_000;
const lastSundays = new Map<number, [number, number]>();

/** The instants (ms) when summer time starts and ends in a year: last Sunday of March/October, 01:00 UTC. */
function summerTime(year: number): [number, number] {
  let found = lastSundays.get(year);
  if (!found) {
    const lastSunday = (month: number) => {
      const lastDay = new Date(Date.UTC(year, month + 1, 0));
      return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
    };
    found = [lastSunday(2), lastSunday(9)];
    lastSundays.set(year, found);
  }
  return found;
}

/** Minutes Swedish local time is ahead of UTC at an instant (60 or 120). */
export function stockholmOffsetMinutes(ms: number): number {
  const [start, end] = summerTime(new Date(ms).getUTCFullYear());
  return ms >= start && ms < end ? 120 : 60;
}

/** Swedish wall-clock time as a Date whose UTC fields read as local fields. */
export function toLocal(ms: number): Date {
  return new Date(ms + stockholmOffsetMinutes(ms) * 60_000);
}

/** The instant of a Swedish wall-clock time (valid for times away from the 02–03 night switch). */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): number {
  const guess = Date.UTC(year, month, day, hour, minute);
  // The offset at the guess is right except within an hour or two of the switch, which is at
  // night on a Sunday: support hours never touch it.
  return guess - stockholmOffsetMinutes(guess - 2 * HOUR) * 60_000;
}

/** "2025-03-04" for a local date. */
export function dayKey(local: Date): string {
  return local.toISOString().slice(0, 10);
}
