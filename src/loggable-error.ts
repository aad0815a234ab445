// What an error may show in the log. A failed statement's error carries the values it was sent: drizzle writes them
// into its message and `params`, the embedded database's error keeps them in `params`, and PostgreSQL's own
// `detail` and `where` quote them ("Failing row contains (...)", "JSON data, line 1: ...") — message text among
// them. The log gets each error's name, SQLSTATE code, message and stack, and the statement, never its values.
import { DrizzleQueryError } from 'drizzle-orm';
import { type LogFields, log } from './logging/logger.ts';

/** How many causes deep the description follows (a cause chain is rarely longer than three). */
const MAX_CAUSES = 5;

/** The error and its causes, one after another, without the values any statement was sent. */
export function describeErrorForLog(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth <= MAX_CAUSES; depth++) {
    parts.push(`${depth === 0 ? '' : 'caused by: '}${describeOne(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n');
}

function describeOne(error: unknown): string {
  // Anything but an Error may be anything at all, request text included: only its kind is safe to print.
  if (!(error instanceof Error)) return `a thrown ${typeof error}, not an Error`;
  const code = (error as { code?: unknown }).code;
  // drizzle's errors keep the name "Error": their class says more.
  const name = error.name === 'Error' ? error.constructor.name : error.name;
  const head = `${name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}: ${messageOf(error)}`;
  // The stack's first lines repeat the message (drizzle's with the values): only the frames are kept.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [head, ...frames].join('\n');
}

function messageOf(error: Error): string {
  // drizzle's message is "Failed query: <sql>\nparams: <values>".
  if (error instanceof DrizzleQueryError) return `Failed query: ${error.query}`;
  return error.message;
}

/** Logs what went wrong (`what`) and the error as describeErrorForLog gives it, with any ids in `fields`. */
export function logError(what: string, error: unknown, fields?: LogFields): void {
  log.error(what, { ...fields, error: describeErrorForLog(error) });
}
