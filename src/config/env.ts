// Configuration comes from the environment and is validated once at start-up: a bad value stops the
// program with a message naming the variable, instead of failing later somewhere far away.
import { z } from 'zod';
import { LOG_LEVELS } from '../logging/logger.ts';
import { backupScheduleFields } from './backup-schedule.ts';
import { type CustomProvider, parseCustomProviders } from './custom-providers.ts';
import { objectStorageFields, objectStorageProblems } from './object-storage.ts';
import { singleSignOnFields, singleSignOnProblems } from './single-sign-on.ts';
import { trustProxySchema } from './trust-proxy.ts';

const optionalUrl = z
  .string()
  .trim()
  .min(1)
  .optional()
  .refine((value) => value === undefined || URL.canParse(value), 'must be a URL');

export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl,
  /** The largest file a person may upload to attach to a message (POST /api/files). */
  CHORUS_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 ** 3)
    .default(10 * 1024 * 1024),
  /** The most bytes one person's uploads may take together; delete some to make room. */
  CHORUS_MAX_UPLOAD_BYTES_PER_USER: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 ** 4)
    .default(500 * 1024 * 1024),
  /** The most characters one reply may hold; past it the reply is cut and its provider call stopped. */
  CHORUS_MAX_REPLY_CHARS: z.coerce.number().int().min(1_000).max(10_000_000).default(200_000),
  CHORUS_MAX_TOOL_STEPS: z.coerce.number().int().min(1).max(50).default(5),
  /** How long one call of an MCP server's tool may take before it is an error result. */
  CHORUS_MCP_CALL_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /**
   * The largest request body any route reads, enforced while it is read (uploads and model imports have their own,
   * larger limits: http/request-body.ts).
   */
  CHORUS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 ** 3)
    .default(1024 * 1024),
  /**
   * The largest conversation import (POST /api/conversations/import: a Chorus transcript with its files, or ChatGPT's
   * conversations.json), read and checked whole before anything is written, so it is held in memory while it is.
   */
  CHORUS_MAX_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 ** 3)
    .default(64 * 1024 * 1024),
  /** The most text one message may hold (a chat message, each message of an OpenAI-compatible call). */
  CHORUS_MAX_MESSAGE_CHARS: z.coerce.number().int().positive().max(100_000_000).default(100_000),
  /** Live event streams (GET /api/conversations/:id/events) one person may hold open at once, per server process. */
  CHORUS_MAX_EVENT_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  /** 32 bytes, base64 or hex. When set, message text is stored only encrypted. */
  CHORUS_ENCRYPTION_KEY: z.string().min(1).optional(),
  /** Earlier keys, comma-separated, still accepted for reading until `chorus encryption rotate` ran. */
  CHORUS_ENCRYPTION_PREVIOUS_KEYS: z.string().min(1).optional(),

  /** The address people reach the app at (cookies, auth callbacks); defaults to http://localhost:PORT. */
  PUBLIC_URL: optionalUrl,
  /**
   * Signs sessions. When unset, one is generated once and kept in DATA_DIR (embedded database) or in the database
   * (PostgreSQL, where every process must agree on it): see auth/secret.ts.
   */
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Whoever signs up with this email is an admin; when unset, the first user to sign up is. */
  CHORUS_ADMIN_EMAIL: z.email().optional(),
  /** Whose X-Forwarded-For to believe for a client's address (see config/trust-proxy.ts); unset: nobody's. */
  CHORUS_TRUST_PROXY: trustProxySchema.optional(),
  /** Sign-in attempts one client address may make in a minute (every sign-in route but the guests'). */
  CHORUS_SIGN_IN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Sign-in attempts with one email, from anywhere, in 15 minutes; a successful sign-in starts the count afresh. */
  CHORUS_SIGN_IN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /**
   * Failed sign-ins per email and per address that cost nothing; each further one makes the next attempt wait
   * twice as long (5 s, 10 s, …), and seven further ones lock sign-in for 15 minutes (auth/failed-sign-ins.ts).
   */
  CHORUS_SIGN_IN_FREE_FAILURES: z.coerce.number().int().min(1).max(1_000_000).default(3),
  /** Accounts one client address may sign up in an hour. */
  CHORUS_SIGN_UPS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Guests (anonymous sign-ins) one client address may start in an hour. */
  CHORUS_GUESTS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(10),
  /** Single sign-on with an OpenID Connect provider, and whether passwords still work (see single-sign-on.ts). */
  ...singleSignOnFields,

  /** The Discord bot's token: `chorus serve` runs the bot when it is set (see discord/discord-bot.ts). */
  DISCORD_BOT_TOKEN: z.string().trim().min(1).optional(),
  /** Another base for Discord's HTTP API (a proxy; a loopback fake in tests), e.g. http://127.0.0.1:8080/api. */
  DISCORD_API_URL: optionalUrl,

  /** Events between processes (live group chat, resumable streams); in-process when unset. */
  REDIS_URL: optionalUrl,
  /** Stored files in an S3-compatible bucket (see object-storage.ts); DATA_DIR/files when S3_BUCKET is unset. */
  ...objectStorageFields,

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: optionalUrl,
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: optionalUrl,
  GOOGLE_GENERATIVE_AI_API_KEY: z.string().min(1).optional(),
  GOOGLE_GENERATIVE_AI_BASE_URL: optionalUrl,
  OPENROUTER_API_KEY: z.string().min(1).optional(),
  OPENROUTER_BASE_URL: optionalUrl,
  /** A reply that sends nothing for this long is given up (status error). */
  CHORUS_PROVIDER_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  /** Retries of a provider call that fails (429/5xx) before its first token. */
  CHORUS_PROVIDER_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /**
   * Turns set up at the same time (saving the message, creating the replies); more wait their turn. Each spends most
   * of its set-up waiting on the database, so a few dozen leave the CPU idle in a burst (docs/performance.md).
   */
  CHORUS_MAX_CONCURRENT_SETUPS: z.coerce.number().int().min(1).max(10_000).default(128),
  /** Turns that may wait to be set up; past that a request is refused with 503 and Retry-After. */
  CHORUS_MAX_QUEUED_SETUPS: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /**
   * How far the server's JS heap may grow past what it holds live before a full collection, in percent; 0 leaves
   * it to V8 (up to 300 % under load). See http/server.ts.
   */
  CHORUS_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1_000).default(35),
  /**
   * The embedded database, while serving: a statement not answered within this long fails, with every other in
   * flight, and the database's thread is restarted on its data (see db/pglite-thread.ts). 0: no limit.
   */
  CHORUS_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  /** A turn's set-up that has not finished within this long fails (503), and its place goes to the next. */
  CHORUS_SETUP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Seconds a stopping server (SIGTERM, SIGINT) gives requests still running to end; past it, it exits anyway.
   * A second signal ends it at once.
   */
  CHORUS_SHUTDOWN_GRACE: z.coerce.number().min(0).max(3_600).default(10),

  /** How much the server logs: fatal, error, warn, info, debug, trace or silent. */
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** Lets a monitoring system read GET /metrics with `Authorization: Bearer <token>` (admins may read it signed in). */
  CHORUS_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** `off`: no metrics are kept (no GET /metrics, no rollups, no charts). */
  CHORUS_METRICS: z.enum(['on', 'off']).default('on'),
  /**
   * The embedded database: `durable` waits for the disk at every commit (a committed message survives a power cut);
   * `relaxed` leaves writes to the operating system, faster, but a power cut may lose the last seconds of commits.
   */
  CHORUS_EMBEDDED_DURABILITY: z.enum(['durable', 'relaxed']).default('durable'),
  ...backupScheduleFields,
});

/** The validated variables, plus the OpenAI-compatible servers declared as CHORUS_PROVIDER_<NAME>_* (see custom-providers.ts). */
export type Environment = z.infer<typeof environmentSchema> & { customProviders: CustomProvider[] };

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Parses the environment; on failure names every bad variable and why. */
export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = environmentSchema.safeParse(cleaned);
  const custom = parseCustomProviders(cleaned);
  const settingProblems = result.success
    ? [...objectStorageProblems(result.data, cleaned), ...singleSignOnProblems(result.data)]
    : [];
  if (result.success && custom.problems.length === 0 && settingProblems.length === 0) {
    return { ...result.data, customProviders: custom.providers };
  }
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...custom.problems,
    ...settingProblems,
  ];
  throw new ConfigurationError(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
}
