// The server's log: one JSON object a line (pino) for a log collector, or a readable line when it goes to a terminal.
// Every line written while a request is handled carries that request's id (request-ids.ts), whichever module wrote
// it. Lines carry what happened and ids, never a secret or what people wrote: callers pass errors through
// describeErrorForLog (loggable-error.ts), and the fields that usually hold credentials are blanked regardless.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';
import { formatForTerminal } from './terminal-format.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a line may carry besides its message: ids, counts, durations; never text people wrote. */
export type LogFields = Record<string, unknown>;

/** Where lines go: anything with a `write(line)` (the process's stdout by default). */
export type LogDestination = { write(line: string): unknown };

/** Fields that hold credentials when they appear at all, blanked wherever a caller passes them. */
const REDACTED_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'apiKey',
  'token',
  'secret',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.apiKey',
  '*.token',
  '*.secret',
];

/**
 * Where Node carries contexts in the async context frame (Node 24's default), a storage costs nothing while unused;
 * where promise hooks carry them (Node 22), one that ever ran slows every promise (docs/performance.md, async
 * context), so there only the lines the HTTP layer writes itself carry the request id.
 */
const contextsAreFree = !('_enable' in AsyncLocalStorage.prototype);
const currentRequest = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` with every line it logs tagged with `requestId` (where that costs nothing: see above). */
export function withRequestId<Result>(requestId: string, work: () => Result): Result {
  return contextsAreFree ? currentRequest.run({ requestId }, work) : work();
}

function createLogger(level: LogLevel, destination: LogDestination): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: REDACTED_FIELDS, censor: '[redacted]' },
      mixin: () => currentRequest.getStore() ?? {},
    },
    destination,
  );
}

const defaultLevel = (): LogLevel => {
  const named = process.env.LOG_LEVEL as LogLevel | undefined;
  if (named && LOG_LEVELS.includes(named)) return named;
  // Test runs start many servers; their every request would bury the failures worth reading.
  return process.env.NODE_ENV === 'test' ? 'warn' : 'info';
};

const stdout: LogDestination = { write: (line) => process.stdout.write(line) };
const terminal: LogDestination = { write: (line) => process.stdout.write(formatForTerminal(line)) };

let root = createLogger(defaultLevel(), stdout);

/**
 * Sets the level and where lines go: JSON to stdout, or readable lines when stdout is a terminal (`terminal`
 * unset: decided by stdout), or to `destination` (tests read what was logged). Returns what puts the previous
 * logger back.
 */
export function configureLogging({
  level,
  terminal: toTerminal = process.stdout.isTTY === true,
  destination,
}: {
  level: LogLevel;
  terminal?: boolean;
  destination?: LogDestination;
}): () => void {
  const previous = root;
  root = createLogger(level, destination ?? (toTerminal ? terminal : stdout));
  return () => {
    root = previous;
  };
}

/** The current logger (configureLogging may replace it), for a module that logs with fields of its own. */
export const logger = (): Logger => root;

/** Logs at each level: `message` says what happened, `fields` add ids, counts, durations. */
export const log = {
  error: (message: string, fields?: LogFields) => root.error(fields ?? {}, message),
  warn: (message: string, fields?: LogFields) => root.warn(fields ?? {}, message),
  info: (message: string, fields?: LogFields) => root.info(fields ?? {}, message),
  debug: (message: string, fields?: LogFields) => root.debug(fields ?? {}, message),
};
