import { fromLocal, toLocal } from './time.js';

/** A calendar quarter in Swedish local time, keyed "2025-Q1". */
export type QuarterKey = `${number}-Q${1 | 2 | 3 | 4}`;

const QUARTER_SHAPE = /^(\d{4})-Q([1-4])$/;

export const isQuarterKey = (s: string): s is QuarterKey => QUARTER_SHAPE.test(s);

export function quarterOf(at: Date | number | string): QuarterKey {
  const ms = typeof at === 'number' ? at : new Date(at).getTime();
  const local = toLocal(ms);
  return `${local.getUTCFullYear()}-Q${(Math.floor(local.getUTCMonth() / 3) + 1) as 1 | 2 | 3 | 4}`;
}

function parse(q: QuarterKey): [number, number] {
  const m = QUARTER_SHAPE.exec(q);
  if (!m) throw new RangeError(`Not a quarter: ${q}`);
  return [Number(m[1]), Number(m[2])];
}

export function previousQuarter(q: QuarterKey): QuarterKey {
  const [year, n] = parse(q);
  return n === 1 ? `${year - 1}-Q4` : `${year}-Q${(n - 1) as 1 | 2 | 3}`;
}

/** First instant of the quarter and first instant after it. */
export function quarterBounds(q: QuarterKey): { from: Date; to: Date } {
  const [year, n] = parse(q);
  const from = fromLocal(year, (n - 1) * 3, 1);
  const to = n === 4 ? fromLocal(year + 1, 0, 1) : fromLocal(year, n * 3, 1);
  return { from: new Date(from), to: new Date(to) };
}

/** "K1 2025", as the coordinator writes it. */
export function quarterLabel(q: QuarterKey): string {
  const [year, n] = parse(q);
  return `K${n} ${year}`;
}
