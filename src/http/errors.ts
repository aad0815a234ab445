// Every error leaves the server as JSON `{ "error": { code, message, details? } }` with its status, decided here.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, type ErrorCode } from '../errors.ts';

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

export function errorResponse(context: Context, error: AppError) {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
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

/** The one place errors become responses. Anything unexpected is logged and answered 500 without internals. */
export function handleError(error: Error, context: Context) {
  if (error instanceof AppError) {
    if (error.status >= 500) console.error(`${context.req.method} ${context.req.path}:`, error);
    return errorResponse(context, error);
  }
  if (error instanceof HTTPException) {
    // Hono's own 4xx (e.g. malformed JSON in a validated body).
    const code: ErrorCode = error.status === 401 ? 'unauthorized' : error.status === 413 ? 'payload_too_large' : 'invalid_input';
    return errorResponse(context, new AppError(code, error.message || 'bad request'));
  }
  console.error(`${context.req.method} ${context.req.path}: unhandled`, error);
  return errorResponse(context, new AppError('internal', 'internal server error'));
}
