import assert from 'node:assert/strict';
import { Pacer, parseRateLimits } from '../../src/outbox/pacer.js';

/** A sender that sends whenever the pacer lets it, for `ms`; the times it sent at. */
function greedy(pacer: Pacer, ms: number): number[] {
  const sent: number[] = [];
  for (let t = 0; t < ms;) {
    const wait = pacer.waitMs(t);
    if (wait > 0) t += wait;
    else {
      pacer.take(t);
      sent.push(t);
    }
  }
  return sent;
}

const mostInAnyWindow = (times: number[], ms: number) => {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
};

describe('outbox pacer', () => {
  it('keeps a conversation within 7 per second, 8 per 2 seconds and 60 per 30 seconds', () => {
    const sent = greedy(new Pacer(parseRateLimits('7/1,8/2,60/30'), 3, 0), 120_000);
    assert.ok(mostInAnyWindow(sent, 1000) <= 7, `1 s: ${mostInAnyWindow(sent, 1000)}`);
    assert.ok(mostInAnyWindow(sent, 2000) <= 8, `2 s: ${mostInAnyWindow(sent, 2000)}`);
    assert.ok(mostInAnyWindow(sent, 30_000) <= 60, `30 s: ${mostInAnyWindow(sent, 30_000)}`);
    assert.ok(sent.length >= 200, `and still sends: ${sent.length} in 2 minutes`);
  });

  it('uses the app-wide 50 a second almost fully without ever exceeding it, even with late timers', () => {
    const pacer = new Pacer(parseRateLimits('50/1'), 2, 0);
    const sent: number[] = [];
    // Timers fire a millisecond or two late; a bucket of two absorbs that instead of losing it.
    for (let t = 0, n = 0; t < 60_000; n++) {
      const wait = pacer.waitMs(t);
      if (wait > 0) t += wait + (n % 3);
      else {
        pacer.take(t);
        sent.push(t);
      }
    }
    assert.ok(mostInAnyWindow(sent, 1000) <= 50);
    assert.ok(sent.length >= 0.95 * 50 * 60, `${sent.length} in a minute`);
  });

  it('reads limits as count/seconds and refuses anything else', () => {
    assert.deepEqual(parseRateLimits(' 7/1, 60/30 '), [
      { count: 7, seconds: 1 },
      { count: 60, seconds: 30 },
    ]);
    for (const bad of ['7', '0/1', '7/0', 'x/1', '7/1/2'])
      assert.throws(() => parseRateLimits(bad), new RegExp(bad.replace(/[/]/g, '\\/')));
  });
});
