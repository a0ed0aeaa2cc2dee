/** "count per seconds", as Microsoft states Teams' limits: e.g. 7 per 1 s, 60 per 30 s. */
export interface RateLimit {
  count: number;
  seconds: number;
}

/** Parses "7/1,8/2,60/30" (count/seconds, comma separated). */
export function parseRateLimits(s: string): RateLimit[] {
  return s
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = part.match(/^(\d+)\s*\/\s*(\d+(?:\.\d+)?)$/);
      if (!m || Number(m[1]) < 1 || Number(m[2]) <= 0)
        throw new Error(`"${part}" is not count/seconds, e.g. 7/1`);
      return { count: Number(m[1]), seconds: Number(m[2]) };
    });
}

/**
 * A token bucket. A send takes a token; tokens come back at a steady rate up to the capacity.
 * Instead of sleeping, a caller asks how long until a token is there and sets a timer.
 */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    now: number,
  ) {
    this.tokens = capacity;
    this.at = now;
  }

  private refill(now: number) {
    if (now > this.at) {
      this.tokens = Math.min(
        this.capacity,
        this.tokens + ((now - this.at) / 1000) * this.perSecond,
      );
      this.at = now;
    }
  }

  /** Milliseconds until a token is available; 0 means now. */
  waitMs(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
  }

  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  /** Whole tokens there now. */
  available(now: number): number {
    this.refill(now);
    return Math.max(0, Math.floor(this.tokens));
  }

  /** True once the bucket is full again, i.e. forgetting it changes nothing. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }
}

/**
 * Buckets that together keep every "count per seconds" limit, even over a sliding window: a
 * bucket of capacity c refilling at r per second lets through at most c + r·W in any W seconds,
 * so r = (count − c) / W keeps it at count.
 */
export class Pacer {
  private readonly buckets: TokenBucket[];

  constructor(limits: RateLimit[], burst: number, now: number) {
    this.buckets = limits.map((l) => {
      // A limit of one per window cannot leave room for a burst: pace it at its plain rate.
      if (l.count === 1) return new TokenBucket(1, 1 / l.seconds, now);
      const capacity = Math.max(1, Math.min(burst, l.count - 1));
      return new TokenBucket(capacity, (l.count - capacity) / l.seconds, now);
    });
  }

  waitMs(now: number): number {
    return this.buckets.reduce((w, b) => Math.max(w, b.waitMs(now)), 0);
  }

  take(now: number): void {
    for (const b of this.buckets) b.take(now);
  }

  /** How many sends the buckets let through now. */
  available(now: number): number {
    return this.buckets.reduce((n, b) => Math.min(n, b.available(now)), Infinity);
  }

  isIdle(now: number): boolean {
    return this.buckets.every((b) => b.isFull(now));
  }

  /** The sustained rate the buckets allow, per second. */
  get rate(): number {
    return this.buckets.reduce((r, b) => Math.min(r, b.perSecond), Infinity);
  }
}
