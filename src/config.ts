import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseRateLimits } from './outbox/pacer.js';

/** The project's root folder, so that `knowledge/` is found whatever the working directory is. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const commaList = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const probability = z.coerce.number().min(0).max(1);

/** "7/1,8/2,60/30": count per seconds, as Microsoft states Teams' limits. */
const rateLimits = z
  .string()
  .regex(
    /^\s*[1-9]\d*\s*\/\s*\d*\.?\d*[1-9]\d*\s*(,\s*[1-9]\d*\s*\/\s*\d*\.?\d*[1-9]\d*\s*)*$/,
    'count/seconds, comma separated, e.g. 7/1,60/30',
  )
  .transform(parseRateLimits);

export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** Empty: loopback in local mode, every interface once credentials are set. */
    HOST: z.string().default(''),
    DATA_DIR: z.string().min(1).default('./data'),
    /**
     * Empty: the stores are lowdb files in DATA_DIR (one instance). A postgres:// URL: every store
     * is in that database, shared by as many instances as run behind the load balancer.
     */
    DATABASE_URL: z.string().default(''),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(2).default(10),
    /** How long an instance's claim on an outbox message lasts (PostgreSQL); a crashed one's return after it. */
    OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(5).default(60),
    KNOWLEDGE_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, 'knowledge')),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),

    MicrosoftAppId: z.string().default(''),
    MicrosoftAppPassword: z.string().default(''),
    MicrosoftAppTenantId: z.string().default(''),
    MicrosoftAppType: z.enum(['', 'MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default(''),

    /** Entra ID object ids of support staff (nivå 1–3) and the coordinator. */
    SUPPORT_STAFF_IDS: commaList,
    /** Entra ID object ids of function coordinators: they read the statistics tab, like staff. */
    COORDINATOR_IDS: commaList,
    /**
     * How the statistics tab checks Teams SSO tokens. Empty: Entra ID's keys and issuer for
     * MicrosoftAppTenantId, audience MicrosoftAppId. Tests point these at their own loopback JWKS.
     */
    TAB_JWKS_URL: z.string().default(''),
    TAB_TOKEN_ISSUER: commaList,
    TAB_TOKEN_AUDIENCE: commaList,
    /** Tenants allowed to talk to the bot; empty allows any (local mode). */
    ALLOWED_TENANTS: commaList,

    /**
     * Where Bot Framework's token signing keys are published; empty: botbuilder's public-cloud
     * defaults. Tests serve their own OpenID configuration and JWKS on loopback.
     */
    ToBotFromChannelOpenIdMetadataUrl: z.string().default(''),
    ToBotFromEmulatorOpenIdMetadataUrl: z.string().default(''),
    /** Largest request body accepted, in bytes; larger gets 413. Teams activities are a few kB. */
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(256 * 1024),
    /** Per-user rate limit: activities at once, then per minute (a token bucket). */
    RATE_LIMIT_BURST: z.coerce.number().int().min(1).default(30),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().positive().default(60),
    /** How long a stop waits for requests in flight before it closes their connections. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),

    /** The way to support, from the support routine (Kontaktvägar). */
    SUPPORT_EMAIL: z.string().default('info.hmc@vgregion.se'),
    SUPPORT_PHONE: z.string().default('010-473 80 80'),
    SUPPORT_PHONE_CHOICE: z.string().default('4'),
    SUPPORT_PHONE_HOURS: z.string().default('vardagar kl. 8–12'),
    /**
     * Where general IT questions (Outlook, printers, the computer, the network) are sent: the
     * user's own IT support. Empty: the default text of texts.ts, which names no number. The
     * tenant is the one sign of the user's organisation Teams gives, so per-tenant texts are
     * JSON: {"<tenant-id>": "Ring kommunens IT-servicedesk …"}.
     */
    IT_SUPPORT_CONTACT: z.string().default(''),
    IT_SUPPORT_CONTACTS_BY_TENANT: z
      .string()
      .default('{}')
      .transform((s, ctx) => {
        try {
          const v: unknown = JSON.parse(s || '{}');
          if (
            v &&
            typeof v === 'object' &&
            !Array.isArray(v) &&
            Object.values(v).every((x) => typeof x === 'string' && x.trim())
          )
            return v as Record<string, string>;
        } catch {
          // reported below
        }
        ctx.addIssue({ code: 'custom', message: 'a JSON object of tenant id → text' });
        return z.NEVER;
      }),
    /** Whether the card for general IT still offers a webSesam ticket (typing "skapa ärende" always does). */
    IT_SUPPORT_OFFER_TICKET: z
      .enum(['true', 'false'])
      .default('false')
      .transform((s) => s === 'true'),

    /** The support chain tickets climb (levels, names, what each means to the user), as JSON. */
    TICKET_CHAIN: z.string().min(1).default(path.join(PROJECT_ROOT, 'config/chains/vgr-hmc.json')),
    /** When support answers tickets, local time on weekdays; Swedish public holidays are closed. */
    SUPPORT_HOURS: z.string().default('08:00-12:00'),
    SUPPORT_TIMEZONE: z.string().default('Europe/Stockholm'),
    /** Support hours a ticket may sit untouched before its thread gets a reminder. */
    TICKET_REMINDER_HOURS: z.coerce.number().positive().default(4),
    /** Category → registered channel name, e.g. "Hämtorder och retur=retur;Felrapport=felanmalan". */
    TICKET_ROUTES: z.string().default(''),
    /** How often the ticket scheduler looks for untouched tickets. */
    TICKET_TICK_SECONDS: z.coerce.number().int().min(1).default(60),

    /** The access request form's fields and choices (behörighet), as JSON. */
    ACCESS_FORM: z.string().min(1).default(path.join(PROJECT_ROOT, 'config/access-form.json')),
    /** Registered channel name for access requests; empty: the support channel. */
    ACCESS_CHANNEL: z
      .string()
      .default('')
      .transform((s) => s.trim().toLowerCase()),
    /** Support hours an approval may wait before the manager is reminded. */
    ACCESS_REMINDER_HOURS: z.coerce.number().positive().default(8),
    /** Months after a request is closed that its personal details are removed; 0 keeps them. */
    ACCESS_RETENTION_MONTHS: z.coerce.number().int().min(0).default(24),
    /** How often reminders, unreachable managers and retention are looked at. */
    ACCESS_TICK_SECONDS: z.coerce.number().int().min(1).default(60),

    /**
     * Confidence thresholds of the knowledge matcher, calibrated on the dev set and every
     * tuned-on question set together (`npm run calibrate`). At or above ANSWER: answer; at or above SUGGEST:
     * "Menade du …?". A near tie has confidence 0.25 at most: never answered, always asked back.
     */
    MATCH_ANSWER_THRESHOLD: probability.default(0.3),
    MATCH_SUGGEST_THRESHOLD: probability.default(0.15),
    /** How close a question must be to a phrase staff taught to get its topic (bench/taught.ts). */
    TAUGHT_MATCH_THRESHOLD: probability.default(0.6),
    /** Quiet time after a change in KNOWLEDGE_DIR before the files are reloaded; 0: no watch. */
    KNOWLEDGE_WATCH_MS: z.coerce.number().int().min(0).default(500),

    /**
     * Teams' rate limits as count/seconds, comma separated; Microsoft calls them estimates. The
     * outbox paces itself below them: per app and tenant, and per conversation.
     */
    OUTBOX_APP_LIMITS: rateLimits.default(parseRateLimits('50/1')),
    OUTBOX_CONVERSATION_LIMITS: rateLimits.default(parseRateLimits('7/1,8/2,60/30')),
    /**
     * Sends let through at once before the steady rate applies. Two, app-wide: a timer that fires
     * a little late then costs nothing, and 2 + 48/s still keeps within 50 in any second.
     */
    OUTBOX_APP_BURST: z.coerce.number().int().min(1).default(2),
    OUTBOX_CONVERSATION_BURST: z.coerce.number().int().min(1).default(3),
    OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
    OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(10),
    OUTBOX_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(1000),
    OUTBOX_BACKOFF_MAX_MS: z.coerce
      .number()
      .int()
      .min(1)
      .default(5 * 60_000),
    OUTBOX_RETENTION_DAYS: z.coerce.number().min(1).default(30),
    /** E-mail through the outbox: empty sends none; e.g. smtp://127.0.0.1:2525 or smtps://u:p@host:465. */
    SMTP_URL: z
      .string()
      .regex(/^(smtps?:\/\/\S+)?$/, 'empty, or smtp://host:port / smtps://user:password@host:port')
      .default(''),
    /** The sender address of the bot's e-mail, when a message names none. */
    SMTP_FROM: z
      .string()
      .regex(/^([^\s<>,;:@]+@[^\s<>,;:@]+\.[^\s<>,;:@]+)?$/, 'one e-mail address')
      .default(''),
    /**
     * New tickets by e-mail to the support mailbox (the support routine's intake): `always`,
     * `fallback` (only when no support channel took the ticket: none registered, or its post
     * failed) or `off`. Needs SMTP_URL; without it no ticket is mailed.
     */
    TICKET_EMAIL_MODE: z.enum(['always', 'fallback', 'off']).default('fallback'),
    /** Where ticket mail goes; empty: SUPPORT_EMAIL (info.hmc@vgregion.se in the support routine). */
    TICKET_EMAIL_TO: z
      .string()
      .regex(/^([^\s<>,;:@]+@[^\s<>,;:@]+\.[^\s<>,;:@]+)?$/, 'one e-mail address')
      .default(''),
    /** The sender of ticket mail; empty: SMTP_FROM. */
    TICKET_EMAIL_FROM: z
      .string()
      .regex(/^([^\s<>,;:@]+@[^\s<>,;:@]+\.[^\s<>,;:@]+)?$/, 'one e-mail address')
      .default(''),
    /** How often the bot looks whether a new ticket has reached support, to tell its user. */
    TICKET_DELIVERY_CHECK_SECONDS: z.coerce.number().positive().default(5),
    /** How long to wait for the SMTP server to connect, greet and answer each step. */
    SMTP_TIMEOUT_SECONDS: z.coerce.number().positive().default(30),
    /** E-mail per address, count/seconds (Exchange Online takes 30 a minute), and its burst. */
    OUTBOX_MAIL_LIMITS: rateLimits.default(parseRateLimits('30/60')),
    OUTBOX_MAIL_BURST: z.coerce.number().int().min(1).default(5),
    /** Reminders of a planned outage, in minutes before it starts (default: a day and an hour). */
    OUTAGE_REMINDER_MINUTES: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'minutes, comma separated, e.g. 1440,60')
      .default('1440,60')
      .transform((s) => s.split(',').map(Number)),
    /** How often the delivery report card is brought up to date while a broadcast runs. */
    OUTAGE_REPORT_INTERVAL_SECONDS: z.coerce.number().min(1).default(10),
  })
  .refine((c) => c.MATCH_SUGGEST_THRESHOLD <= c.MATCH_ANSWER_THRESHOLD, {
    message: 'MATCH_SUGGEST_THRESHOLD must not be above MATCH_ANSWER_THRESHOLD',
    path: ['MATCH_SUGGEST_THRESHOLD'],
  })
  .refine(
    (c) =>
      !c.SMTP_URL || c.TICKET_EMAIL_MODE === 'off' || Boolean(c.TICKET_EMAIL_FROM || c.SMTP_FROM),
    {
      message: 'ticket e-mail needs a sender: set SMTP_FROM or TICKET_EMAIL_FROM',
      path: ['TICKET_EMAIL_FROM'],
    },
  )
  .refine(
    (c) => !c.MicrosoftAppId || c.MicrosoftAppType === 'UserAssignedMSI' || c.MicrosoftAppPassword,
    {
      message:
        'MicrosoftAppPassword is required when MicrosoftAppId is set (unless UserAssignedMSI)',
      path: ['MicrosoftAppPassword'],
    },
  );

export type Config = z.output<typeof configSchema> & {
  /** True when no Microsoft App credentials are configured. */
  localMode: boolean;
  /** The address the server binds to. */
  listenHost: string;
};

export class ConfigError extends Error {}

/** Reads the configuration from an environment-shaped object; the only reader of `process.env` is main. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success)
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const localMode = c.MicrosoftAppId === '';
  // In local mode CloudAdapter accepts any request and replies to whatever serviceUrl it names,
  // so it must not be reachable from other machines unless someone says so.
  const listenHost = c.HOST || (localMode ? '127.0.0.1' : '0.0.0.0');
  return { ...c, DATA_DIR: path.resolve(c.DATA_DIR), localMode, listenHost };
}
