/**
 * Time and timers for the background sender and the outage scheduler, passed in so tests can
 * move time forward instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    // A pending retry must not keep a stopping process alive.
    t.unref?.();
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface ManualClock extends Clock {
  /** Moves time forward, firing every timer that falls due on the way, in order. */
  advance(ms: number): void;
  set(at: Date | number): void;
  /** When the timers now waiting will fire, earliest first. */
  dueTimes(): number[];
}

/** A clock that moves only when told: for tests of retries, reminders and rate limits. */
export function createManualClock(
  start: Date | number = Date.UTC(2025, 0, 15, 8, 0, 0),
): ManualClock {
  let now = typeof start === 'number' ? start : start.getTime();
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();

  function runDue(until: number) {
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of timers)
        if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      timers.delete(next[0]);
      now = Math.max(now, next[1].at);
      next[1].fn();
    }
    now = Math.max(now, until);
  }

  return {
    now: () => now,
    setTimer(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimer: (h) => void timers.delete(h as number),
    advance: (ms) => runDue(now + ms),
    set: (at) => runDue(typeof at === 'number' ? at : at.getTime()),
    dueTimes: () => [...timers.values()].map((t) => t.at).sort((a, b) => a - b),
  };
}

/**
 * One timer for "wake me at the earliest of these moments": arming it later than it is already
 * set changes nothing, arming it earlier moves it. The outbox engine paces and retries with it.
 */
export function createWakeTimer(clock: Clock, fire: () => void) {
  let handle: unknown;
  let at = Infinity;
  return {
    arm(when: number) {
      if (when >= at) return;
      if (handle !== undefined) clock.clearTimer(handle);
      at = when;
      handle = clock.setTimer(() => {
        handle = undefined;
        at = Infinity;
        fire();
      }, when - clock.now());
    },
    clear() {
      if (handle !== undefined) clock.clearTimer(handle);
      handle = undefined;
      at = Infinity;
    },
  };
}
