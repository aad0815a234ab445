// Errors on /v1 keep Chorus's body `{ error: { code, message, details? } }` and add OpenAI's `type` and `param`,
// so OpenAI's own clients (which read those) and ours (which read `code`) both understand them.
import type { ErrorCode } from '../errors.ts';
import type { OpenAiErrorBody } from './wire.ts';

type ChorusErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** The nearest of OpenAI's error types; their clients choose the exception by status, this is for people. */
const OPENAI_ERROR_TYPE: Record<ErrorCode, string> = {
  invalid_input: 'invalid_request_error',
  not_found: 'invalid_request_error',
  conflict: 'invalid_request_error',
  payload_too_large: 'invalid_request_error',
  unsupported_media_type: 'invalid_request_error',
  range_not_satisfiable: 'invalid_request_error',
  request_timeout: 'invalid_request_error',
  headers_too_large: 'invalid_request_error',
  unauthorized: 'authentication_error',
  forbidden: 'permission_error',
  rate_limited: 'rate_limit_error',
  provider_error: 'server_error',
  unavailable: 'server_error',
  internal: 'server_error',
};

export function withOpenAiFields(body: ChorusErrorBody): OpenAiErrorBody {
  return { error: { ...body.error, type: OPENAI_ERROR_TYPE[body.error.code], param: paramOf(body.error.details) } };
}

export function isChorusErrorBody(value: unknown): value is ChorusErrorBody {
  const error = (value as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && error.code in OPENAI_ERROR_TYPE && typeof error.message === 'string';
}

/** The field at fault: the first path of a validation failure, or what `details.param` names. */
function paramOf(details: unknown): string | null {
  if (Array.isArray(details)) {
    const path = (details[0] as { path?: unknown } | undefined)?.path;
    return typeof path === 'string' && path ? path : null;
  }
  const param = (details as { param?: unknown } | null | undefined)?.param;
  return typeof param === 'string' ? param : null;
}
