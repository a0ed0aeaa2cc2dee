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

    /**
     * Confidence thresholds of the knowledge matcher, calibrated on the dev, validation and tune
     * sets together (`npm run calibrate`). At or above ANSWER: answer; at or above SUGGEST:
     * "Menade du …?". A near tie has confidence 0.30: never answered, always asked back.
     */
    MATCH_ANSWER_THRESHOLD: probability.default(0.32),
    MATCH_SUGGEST_THRESHOLD: probability.default(0.15),

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
