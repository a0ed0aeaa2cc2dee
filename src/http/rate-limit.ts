/**
 * Per-user token buckets: each user may send `burst` activities at once and then `perMinute` a
 * minute. One user's flood then costs the others nothing but the work of refusing it.
 */
export interface RateLimitOptions {
  burst: number;
  perMinute: number;
  /** Milliseconds; the app's clock, so tests can move time instead of waiting. */
  now: () => number;
  /** Most users tracked at once; a flood of made-up ids must not grow memory without bound. */
  maxUsers?: number;
}

/**
 * `allowed`: go ahead. `refused-first`: over the limit, and the user has not been told yet in this
 * episode. `refused`: over the limit and already told.
 */
export type RateDecision = 'allowed' | 'refused-first' | 'refused';

interface Bucket {
  tokens: number;
  at: number;
  told: boolean;
}

export function createRateLimiter({ burst, perMinute, now, maxUsers = 50_000 }: RateLimitOptions) {
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  const refill = (b: Bucket, t: number) => {
    b.tokens = Math.min(burst, b.tokens + Math.max(0, t - b.at) * perMs);
    b.at = t;
  };

  function forget(t: number) {
    // Full buckets carry no information: dropping them changes no decision.
    for (const [key, b] of buckets) {
      refill(b, t);
      if (b.tokens >= burst) buckets.delete(key);
    }
    // Still too many (a flood of fresh ids): drop the least recently seen; that only forgives.
    for (const key of buckets.keys()) {
      if (buckets.size <= maxUsers * 0.9) break;
      buckets.delete(key);
    }
  }

  return {
    take(user: string): RateDecision {
      const t = now();
      let b = buckets.get(user);
      if (b) {
        buckets.delete(user); // re-inserted below: Map order is then least recently seen first
        refill(b, t);
      } else {
        if (buckets.size >= maxUsers) forget(t);
        b = { tokens: burst, at: t, told: false };
      }
      buckets.set(user, b);
      // A user who keeps sending gets the notice once; only a user who has calmed down (a full
      // bucket again) is told anew next time, or a steady flood would earn a notice per refill.
      if (b.tokens >= burst) b.told = false;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 'allowed';
      }
      if (b.told) return 'refused';
      b.told = true;
      return 'refused-first';
    },
    /** Users currently tracked, for tests and metrics. */
    get size() {
      return buckets.size;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
