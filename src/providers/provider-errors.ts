// What people are told when a provider call fails, and what the log keeps. A provider's own error text can hold
// anything (an echo of the API key, the request, account details), so people get a short cause classified from the
// HTTP status — never the provider's words — and the log gets the details with anything key-like blanked out.
import { APICallError, RetryError } from 'ai';
import { AppError } from '../errors.ts';

/** A reply whose stream started and then broke, or ended without the provider saying it was done. */
export const STREAM_BROKE_OFF = "the provider's stream broke off";

/** Why a status was refused, in a few words, for the statuses that have a usual cause. */
const REFUSAL_REASONS: Partial<Record<number, string>> = {
  400: 'the provider found the request invalid',
  401: 'check the API key',
  402: "check the provider account's credit",
  403: 'the API key may not use this model',
  404: 'the model or the endpoint was not found',
  408: 'the provider timed out',
  413: 'the request is too large for the provider',
  422: 'the provider found the request invalid',
};

/**
 * A short cause a person can act on: the HTTP status and a classified reason, or that the stream broke off, or
 * that the provider went quiet. Never a provider's own text, never a stack trace. `midStream`: the reply had
 * begun, so a failure nothing else explains (say, an error event in the provider's stream) is the stream breaking.
 */
export function describeProviderError(error: unknown, { midStream = false }: { midStream?: boolean } = {}): string {
  if (RetryError.isInstance(error)) {
    const attempts = error.errors.length;
    return `${describeProviderError(error.lastError)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`;
  }
  // Our own idle timeout (see idle-timeout.ts), however deep the SDK wrapped it: its message is ours.
  const timeout = causes(error).find((cause) => cause instanceof Error && cause.name === 'TimeoutError');
  if (timeout) return (timeout as Error).message;
  if (APICallError.isInstance(error)) return describeStatus(error.statusCode);
  // Our own refusals (a provider that is not configured, a model that does not exist) say what to do.
  if (error instanceof AppError) return error.message;
  if (midStream || isBrokenStream(error)) return STREAM_BROKE_OFF;
  return 'the reply failed (an unexpected error; the server log has the details)';
}

/** A failed call's kind, for counting failures (metrics): the same classification as describeProviderError. */
export type ProviderErrorKind =
  | 'timeout'
  | 'rate_limited'
  | 'refused'
  | 'provider_failed'
  | 'unreachable'
  | 'stream_broke_off'
  | 'not_available'
  | 'unexpected';

export function providerErrorKind(
  error: unknown,
  { midStream = false }: { midStream?: boolean } = {},
): ProviderErrorKind {
  if (RetryError.isInstance(error)) return providerErrorKind(error.lastError);
  if (causes(error).some((cause) => cause instanceof Error && cause.name === 'TimeoutError')) return 'timeout';
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === undefined) return 'unreachable';
    if (status >= 200 && status < 300) return 'stream_broke_off';
    if (status === 429) return 'rate_limited';
    return status >= 500 ? 'provider_failed' : 'refused';
  }
  if (error instanceof AppError) return 'not_available';
  if (midStream || isBrokenStream(error)) return 'stream_broke_off';
  return 'unexpected';
}

function describeStatus(status: number | undefined): string {
  // No status: no answer at all (refused connection, unknown host, reset before the headers).
  if (status === undefined) return 'the provider could not be reached';
  // A successful answer that failed on the way: the stream broke.
  if (status >= 200 && status < 300) return STREAM_BROKE_OFF;
  if (status === 429) return 'rate limited by the provider (HTTP 429)';
  if (status >= 500) return `the provider failed (HTTP ${status}: an error on its side)`;
  const reason = REFUSAL_REASONS[status];
  return `the provider refused the request (HTTP ${status}${reason ? `: ${reason}` : ''})`;
}

/** Errors the AI SDK raises for a stream that ended, or went bad, part way. */
function isBrokenStream(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    ['AI_InvalidResponseDataError', 'AI_JSONParseError', 'AI_TypeValidationError'].includes(error.name) ||
    error.message === 'terminated'
  );
}

/** The error and what caused it, outermost first. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (
    let current = error;
    current !== undefined && chain.length < 10;
    current = (current as { cause?: unknown }).cause
  ) {
    chain.push(current);
    if (current === null || typeof current !== 'object') break;
  }
  return chain;
}

/**
 * Everything known about a failed call, for the server log, with secrets blanked out: status, URL, message, the
 * provider's response body and the causes.
 */
export function providerErrorDetails(error: unknown): string {
  const lines: string[] = [];
  const failure = RetryError.isInstance(error) ? error.lastError : error;
  if (RetryError.isInstance(error)) lines.push(`after ${error.errors.length} attempts`);
  for (const cause of causes(failure)) {
    if (APICallError.isInstance(cause)) {
      lines.push(`HTTP ${cause.statusCode ?? '(no response)'} from ${cause.url}: ${cause.message}`);
      if (cause.responseBody) lines.push(`response body: ${cause.responseBody.slice(0, 2_000)}`);
    } else if (cause instanceof Error) {
      lines.push(`${cause.name}: ${cause.message}`);
    } else {
      // An error event of the provider's stream arrives as the plain object it sent.
      lines.push(typeof cause === 'object' && cause !== null ? safeJson(cause) : String(cause));
    }
  }
  return redactSecrets(lines.join('\n  caused by '));
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value).slice(0, 2_000);
  } catch {
    return String(value);
  }
}

/**
 * Text with anything that looks like a credential replaced by `[redacted]`: provider key formats (`sk-…`, `AIza…`),
 * bearer tokens, the value of a `key=`/`"api_key": "…"` pair, and long random-looking tokens.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]')
    .replace(
      /((?:api[_-]?key|x-api-key|access[_-]?token|token|secret|password|authorization|key)["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
      '$1[redacted]',
    )
    .replace(/\b(?:sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, '[redacted]')
    .replace(/\bAIza[A-Za-z0-9_-]{20,}/g, '[redacted]')
    .replace(/[A-Za-z0-9_-]{24,}/g, (token) => (looksRandom(token) ? '[redacted]' : token));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Letters and digits mixed, like a key; not a UUID (ids of our own rows are worth keeping in a log). */
function looksRandom(token: string): boolean {
  if (UUID.test(token)) return false;
  return /[0-9]/.test(token) && /[A-Za-z]/.test(token);
}
