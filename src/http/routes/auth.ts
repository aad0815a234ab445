// /api/auth/*: better-auth's own routes (sign-up/email, sign-in/email, sign-in/anonymous, sign-out, get-session,
// ...), answered by better-auth itself, told the client's address as Chorus works it out (client-address.ts). Its
// errors are rewritten into our one error shape on the way out.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AUTH_BASE_PATH } from '../../auth/better-auth.ts';
import { CLIENT_ADDRESS_HEADER } from '../../auth/rate-limits.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { log } from '../../logging/logger.ts';
import { callBetterAuth } from '../../performance/async-context-switch.ts';
import { clientAddress } from '../client-address.ts';
import type { AppEnv } from '../context.ts';
import type { ErrorBody } from '../errors.ts';

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'chorus.session_token',
    description: `Set by POST ${AUTH_BASE_PATH}/sign-in/email, /sign-up/email or /sign-in/anonymous`,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from POST /api/keys',
  });

  app.on(['GET', 'POST'], `${AUTH_BASE_PATH}/*`, async (context) => {
    const { auth, env } = context.get('runtime');
    const request = context.req.raw;
    const address = clientAddress(
      context.env?.incoming?.socket.remoteAddress,
      request.headers.get('x-forwarded-for'),
      env.CHORUS_TRUST_PROXY,
    );
    // Whatever a client sent under this name is replaced (or dropped when the address is unknown).
    request.headers.delete(CLIENT_ADDRESS_HEADER);
    if (address) request.headers.set(CLIENT_ADDRESS_HEADER, address);
    const response = await callBetterAuth(() => auth.handler(request));
    return response.status < 400 ? response : rewriteError(context, response);
  });
}

/** better-auth answers `{ code, message }`; ours is `{ error: { code, message, details } }` with our codes. */
async function rewriteError(context: Context<AppEnv>, response: Response): Promise<Response> {
  const body = (await response.json().catch(() => ({}))) as { code?: unknown; message?: unknown };
  const reason = typeof body.code === 'string' ? body.code : undefined;
  const code = errorCodeFor(response.status, reason);
  const error = new AppError(
    code,
    typeof body.message === 'string' && body.message ? body.message : defaultMessage(response),
  );
  if (error.status >= 500) {
    // Its code only: its message and other fields may echo what was sent (an email, a statement's values).
    log.error('the accounts library failed', {
      method: context.req.method,
      path: context.req.path,
      status: response.status,
      reason,
    });
  }
  const errorBody: ErrorBody = {
    error: {
      code,
      // A 503 says what to do about it; only an unexpected failure is not described to the client.
      message: code === 'internal' ? 'internal server error' : error.message,
      ...(reason ? { details: { reason } } : {}),
    },
  };
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  // better-auth's own rate limiter says when to retry in a header of its own; clients know the standard one.
  const retryAfter = headers.get('x-retry-after');
  if (response.status === 429 && retryAfter && !headers.has('retry-after')) headers.set('retry-after', retryAfter);
  headers.delete('content-length');
  return new Response(JSON.stringify(errorBody), { status: error.status, headers });
}

function errorCodeFor(status: number, reason: string | undefined): ErrorCode {
  if (status === 422) return reason?.startsWith('USER_ALREADY_EXISTS') ? 'conflict' : 'invalid_input';
  const byStatus: Record<number, ErrorCode> = {
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
    503: 'unavailable',
  };
  return byStatus[status] ?? (status >= 500 ? 'internal' : 'invalid_input');
}

const defaultMessage = (response: Response) =>
  response.status === 404 ? 'no such auth route' : response.statusText || `auth request failed (${response.status})`;
