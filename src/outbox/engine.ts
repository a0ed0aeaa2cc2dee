import { randomUUID } from 'node:crypto';
import type { Reply } from '../conversation/replies.js';
import type { Log } from '../log.js';
import type { RecipientRepository } from '../recipients/repository.js';
import { createWakeTimer, type Clock } from './clock.js';
import type { DeliveryStatus, MailSender, Outbox, OutgoingMail, Sender } from './outbox.js';
import { Pacer, type RateLimit } from './pacer.js';
import {
  checkMessage,
  createBackoff,
  decideAfterFailure,
  INTERRUPTED,
  resendsAfterInterruption,
  Skip,
} from './policy.js';
import {
  contentHash,
  isMailLane,
  mailLane,
  type Claimed,
  type NewMessage,
  type OutboxStore,
  type SendResult,
} from './store.js';

export interface OutboxOptions {
  sender: Sender;
  /** E-mail over SMTP; absent (no SMTP_URL): an e-mail is refused at enqueue. */
  mail?: MailSender;
  recipients: RecipientRepository;
  log: Log;
  clock: Clock;
  /** Per app and tenant (Microsoft: about 50 requests a second). E-mail does not count here. */
  appLimits: RateLimit[];
  appBurst: number;
  /** Per conversation (Microsoft: 7/1 s, 8/2 s, 60/30 s). */
  conversationLimits: RateLimit[];
  conversationBurst: number;
  /** Per e-mail address (default 30/60: Exchange Online takes 30 messages a minute). */
  mailLimits?: RateLimit[];
  mailBurst?: number;
  concurrency: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Delivered, failed and gone messages older than this are dropped. */
  retentionDays: number;
  random?: () => number;
}

export interface EngineOptions extends OutboxOptions {
  store: OutboxStore;
  /**
   * How often to look for work nobody told this instance about (another instance enqueued it and
   * its notification was lost). Undefined for a store only this process writes to.
   */
  pollMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_ERROR_LENGTH = 200;
const DEFAULT_MAIL_LIMITS: RateLimit[] = [{ count: 30, seconds: 60 }];

/**
 * The outbox: stored before sent, idempotent by key, paced (app-wide, per conversation, per
 * e-mail address), one message at a time per lane and in order, interactive before bulk, retried
 * with jittered backoff that honours Retry-After, a 403/404 marks the recipient gone. Whatever
 * the store (a journal file, or PostgreSQL shared by several instances), this is the one engine.
 *
 * Pacing is per process: with several instances, OUTBOX_APP_LIMITS is what one instance sends.
 */
export function createOutboxEngine(o: EngineOptions): Outbox {
  const { store, clock, log } = o;
  const backoff = createBackoff(o.backoffBaseMs, o.backoffMaxMs, o.random ?? Math.random);
  const me = randomUUID();
  const appPacer = new Pacer(o.appLimits, o.appBurst, clock.now());
  const lanePacers = new Map<string, Pacer>();
  /** Lanes whose own pacing holds their next message back, until when. */
  const held = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const wakeTimer = createWakeTimer(clock, () => wake());
  let running = false;
  let stopped = false;
  let pumping: Promise<void> | null = null;
  let again = false;
  let lastSweep = clock.now();

  function arm(at: number) {
    if (running) wakeTimer.arm(at);
  }

  /** Asks for a claim round; rounds never overlap, and one asked for during a round runs after it. */
  function wake() {
    if (!running) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        try {
          await pump();
        } catch (e) {
          log.error({ err: (e as Error).message }, 'outbox claim failed, will try again');
          arm(clock.now() + (o.pollMs ?? 1000));
        }
      } while (again && running);
      pumping = null;
    })();
  }

  function lanePacer(lane: string, now: number): Pacer {
    let p = lanePacers.get(lane);
    if (!p) {
      p = isMailLane(lane)
        ? new Pacer(o.mailLimits ?? DEFAULT_MAIL_LIMITS, o.mailBurst ?? 5, now)
        : new Pacer(o.conversationLimits, o.conversationBurst, now);
      lanePacers.set(lane, p);
    }
    return p;
  }

  async function pump() {
    const now = clock.now();
    for (const [lane, at] of held) if (at <= now) held.delete(lane);
    if (now - lastSweep > 10_000) {
      lastSweep = now;
      // A lane with full buckets holds nothing worth keeping: forget it.
      for (const [lane, p] of lanePacers) if (p.isIdle(now)) lanePacers.delete(lane);
    }
    const free = o.concurrency - inFlight.size;
    if (free <= 0) return; // a send that finishes asks again
    // As many as the app-wide buckets let through now; e-mail is claimed in the same round.
    const want = Math.min(free, appPacer.available(now));
    if (want === 0) return arm(now + appPacer.waitMs(now));
    const claimed = await store.claim(me, now, want, new Set(held.keys()));
    for (const c of claimed) {
      if (!isMailLane(c.lane)) appPacer.take(now);
      const pacer = lanePacer(c.lane, now);
      const wait = pacer.waitMs(now);
      if (wait === 0) {
        pacer.take(now);
        const next = pacer.waitMs(now);
        if (next > 0) held.set(c.lane, now + next);
      }
      const done: Promise<void> = deliver(c, wait).finally(() => {
        inFlight.delete(done);
        wake();
      });
      inFlight.add(done);
    }
    const t = clock.now();
    if (claimed.length === want) {
      // Maybe more: at once if the app-wide buckets allow, else when they do.
      if (inFlight.size < o.concurrency) {
        const w = appPacer.waitMs(t);
        if (w === 0) again = true;
        else arm(t + w);
      }
      return;
    }
    // Nothing more due now: look again when a retry, a lease or a lane's pacing falls due, or at
    // the poll for work another instance enqueued without its notification reaching us.
    let at = await store.nextDue(t);
    for (const h of held.values()) at = Math.min(at, h);
    if (o.pollMs !== undefined) at = Math.min(at, t + o.pollMs);
    if (at < Infinity) arm(at);
  }

  async function deliver(c: Claimed, paceWaitMs: number): Promise<void> {
    // Only when a lane's pacing could not be seen at claim time (a lane another instance sent on
    // is not held here): the claim is ours (leased), so waiting holds nobody else up.
    if (paceWaitMs > 0) {
      await new Promise<void>((r) => clock.setTimer(r, paceWaitMs));
      lanePacer(c.lane, clock.now()).take(clock.now());
    }
    let result: SendResult;
    try {
      if (c.interrupted) {
        if (!resendsAfterInterruption(c.op)) throw new Skip('failed', INTERRUPTED);
        log.info({ key: c.key, op: c.op }, 'sending again a message cut off by a restart');
      }
      result = { state: 'sent', ...(await attempt(c)) };
    } catch (e) {
      const decision = decideAfterFailure(
        e,
        { op: c.op, attempts: c.attempts, recipientId: c.to ?? c.lane },
        backoff,
      );
      const error = decision.error.slice(0, MAX_ERROR_LENGTH);
      result =
        decision.retryInMs !== undefined && c.attempts < o.maxAttempts
          ? { state: 'pending', error, notBefore: clock.now() + decision.retryInMs }
          : { state: decision.state ?? 'failed', error };
      if (result.state === 'gone' && decision.markGone) {
        await o.recipients
          .markGone(decision.markGone, new Date(clock.now()))
          .catch((err: Error) =>
            log.error(
              { err: err.message, recipientId: decision.markGone },
              'could not mark recipient gone',
            ),
          );
      }
      log[result.state === 'pending' ? 'info' : 'warn'](
        {
          key: c.key,
          attempts: c.attempts,
          error,
          retryInMs: result.state === 'pending' ? result.notBefore - clock.now() : undefined,
          state: result.state,
        },
        result.state === 'pending' ? 'send failed, will retry' : 'send given up',
      );
    }
    try {
      await store.record(c.key, me, result, clock.now());
    } catch (e) {
      // The send happened; only the record of it is at risk. Say so loudly, keep going.
      log.error({ key: c.key, err: (e as Error).message }, 'could not record delivery state');
    }
  }

  async function recipientRef(id: string): Promise<unknown> {
    const r = await o.recipients.get(id);
    if (!r) throw new Skip('failed', 'unknown recipient');
    if (r.goneAt) throw new Skip('gone', 'recipient gone');
    return r.reference;
  }

  /** Where an earlier message (the one updated, or the thread replied in) landed. */
  async function landedOf(key: string, what: string) {
    const s = await store.status(key);
    if (s?.state !== 'sent' || !s.conversationId)
      throw new Skip(s?.state === 'gone' ? 'gone' : 'failed', `${what} ${s?.state ?? 'unknown'}`);
    return { conversationId: s.conversationId, activityId: s.activityId ?? '' };
  }

  async function attempt(c: Claimed): Promise<{ conversationId?: string; activityId?: string }> {
    if (c.op === 'email') {
      if (!o.mail) throw new Skip('failed', 'e-mail is not configured (SMTP_URL)');
      await o.mail.send(c.body as OutgoingMail);
      return {};
    }
    const reply = c.body as Reply;
    if (c.op === 'update') {
      const original = await landedOf(c.of!, 'original');
      const ref = o.sender.withConversation(await recipientRef(c.lane), original.conversationId);
      await o.sender.update(ref, original.activityId, reply);
      return original;
    }
    if (c.op === 'create-thread') return o.sender.createThread(await recipientRef(c.to!), reply);
    if (c.to !== undefined) return o.sender.send(await recipientRef(c.to), reply);
    const thread = await landedOf(c.threadOf!, 'thread');
    const ref = o.sender.withConversation(await recipientRef(c.lane), thread.conversationId);
    return o.sender.send(ref, reply);
  }

  function toNew(m: Parameters<Outbox['enqueue']>[0][number]): NewMessage {
    // Serialised now: the caller may go on changing the object it handed us.
    const body =
      m.op === 'email'
        ? JSON.stringify({
            to: m.mail.to,
            subject: m.mail.subject,
            text: m.mail.text,
            messageId: m.mail.messageId,
            ...(m.mail.from ? { from: m.mail.from } : {}),
            ...(m.mail.headers ? { headers: m.mail.headers } : {}),
          } satisfies OutgoingMail)
        : JSON.stringify(m.reply);
    return {
      key: m.key,
      op: m.op,
      to:
        m.op === 'email'
          ? mailLane(m.mail.to)
          : m.op !== 'update' && 'recipientId' in m.to
            ? String(m.to.recipientId)
            : undefined,
      threadOf: m.op === 'send' && 'threadOf' in m.to ? String(m.to.threadOf) : undefined,
      of: m.op === 'update' ? String(m.of) : undefined,
      body,
      hash: contentHash(body),
      bulk: m.bulk === true,
    };
  }

  return {
    async enqueue(messages) {
      if (stopped) throw new Error('The outbox is stopped');
      for (const m of messages) {
        const problem =
          checkMessage(m) ??
          (m.op === 'email' && !o.mail ? 'e-mail is not configured (SMTP_URL)' : undefined);
        if (problem)
          throw new TypeError(`Outbox message ${String(m?.key).slice(0, 100)}: ${problem}`);
      }
      if (!messages.length) return;
      await store.enqueue(messages.map(toNew), clock.now());
      wake();
    },

    async status(key) {
      const s = await store.status(key);
      if (!s) return undefined;
      const out: DeliveryStatus = { key: s.key, state: s.state, attempts: s.attempts };
      if (s.conversationId) out.conversationId = s.conversationId;
      if (s.activityId) out.activityId = s.activityId;
      if (s.error) out.error = s.error;
      return out;
    },

    start() {
      if (running || stopped) return;
      running = true;
      store
        .start({ pruneBefore: clock.now() - o.retentionDays * DAY_MS, onWork: wake })
        .catch((e: Error) =>
          // Without notifications the poll still finds the work, a little later.
          log.warn({ err: e.message }, 'outbox: could not prune or listen; polling only'),
        )
        .finally(wake);
      wake();
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      running = false;
      wakeTimer.clear();
      await pumping;
      await Promise.allSettled([...inFlight]);
      await store.close();
    },
  };
}
