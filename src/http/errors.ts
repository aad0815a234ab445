// Every error leaves the server as JSON `{ "error": { code, message, details? } }` with its status, decided here.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';
import { logError } from '../loggable-error.ts';

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

export function errorResponse(context: Context, error: AppError) {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  if (error.retryAfterSeconds !== undefined) context.header('retry-after', String(error.retryAfterSeconds));
  return context.json(body, error.status as ContentfulStatusCode);
}

/** Zod's issues, as a list a client can show next to the fields: where, and what is wrong. */
export function describeIssues(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export function invalidInput(error: ZodError, where: string): AppError {
  const issues = describeIssues(error);
  const summary = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  return new AppError('invalid_input', `invalid ${where}: ${summary}`, { details: issues });
}

export type UnstorableText = { path: string; problem: string };

/**
 * Where a value holds text the database cannot store (a dotted path, '' for the value itself), and what is wrong
 * with it, or null. PostgreSQL text and jsonb cannot hold the NUL character, and jsonb refuses a lone UTF-16
 * surrogate (half of a pair, which JSON can carry as `\ud800`): such input is refused up front rather than
 * failing in the database. Walked without recursion, so no nesting overflows the stack.
 */
export function findUnstorableText(value: unknown): UnstorableText | null {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { path, problem };
    } else if (current !== null && typeof current === 'object') {
      const entries: Array<[string | number, unknown]> = Array.isArray(current)
        ? current.map((item, index) => [index, item])
        : Object.entries(current);
      for (const [key] of entries) {
        const problem = typeof key === 'string' ? textProblem(key) : null;
        if (problem) return { path: pathTo(path, key), problem };
      }
      // Reversed onto the stack, so the first problem in reading order is the one named.
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, item] = entries[index]!;
        pending.push({ value: item, path: pathTo(path, key) });
      }
    }
  }
  return null;
}

const pathTo = (path: string, key: string | number) => (path ? `${path}.${key}` : String(key));

/** String.prototype.isWellFormed (ES2024, in every Node this runs on; TypeScript's lib here is ES2023). */
const isWellFormed = (text: string) => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'holds the NUL character (\\u0000), which text cannot hold';
  if (!isWellFormed(text)) return 'holds a lone surrogate (half of a UTF-16 pair, such as \\ud800), which is not text';
  return null;
}

const HTTP_EXCEPTION_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** The one place errors become responses. Anything unexpected is logged and answered 500 without internals. */
export function handleError(error: Error, context: Context) {
  if (error instanceof AppError) {
    // A refusal to come back later (an overloaded server) is no fault to log, and may come thousands at once.
    if (error.status >= 500 && error.retryAfterSeconds === undefined) {
      logError('request failed', error, { method: context.req.method, path: context.req.path });
    }
    return errorResponse(context, error);
  }
  if (error instanceof HTTPException) {
    // Hono's own 4xx (e.g. malformed JSON in a validated body, a body of a type the route does not read).
    const code = HTTP_EXCEPTION_CODES[error.status] ?? 'invalid_input';
    const message =
      code === 'unsupported_media_type'
        ? `a body of type ${context.req.header('content-type')?.slice(0, 100) ?? '(none given)'} is not what this route reads; see GET /api/openapi.json`
        : error.message || 'bad request';
    return errorResponse(context, new AppError(code, message));
  }
  // Described, not printed whole: a failed statement's error holds the values it was sent (loggable-error.ts).
  logError('request failed: unhandled error', error, { method: context.req.method, path: context.req.path });
  return errorResponse(context, new AppError('internal', 'internal server error'));
}
