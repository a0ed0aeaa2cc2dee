/** A record whose every change is one more event in its history, numbered by the version it made. */
export interface Versioned<E extends { at: string; version: number }> {
  version: number;
  updatedAt: string;
  history: E[];
}

/**
 * The record after one more event: a new object, the old one untouched. Tickets and access
 * requests both keep their history this way, so a stale click (an older version) is detectable.
 */
export function withEvent<E extends { at: string; version: number }, T extends Versioned<E>>(
  record: T,
  event: Omit<E, 'version'>,
  change: Partial<T> = {},
): T {
  const version = record.version + 1;
  return {
    ...record,
    ...change,
    version,
    updatedAt: event.at,
    history: [...record.history, { ...event, version } as E],
  };
}
