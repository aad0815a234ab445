// The HTTP API as the app uses it: JSON in and out, the session cookie sent along, and every error as an ApiError
// carrying the API's stable code (`{ error: { code, message, details } }`), so forms can say what went wrong.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export async function apiRequest<Result>(method: string, path: string, body?: unknown): Promise<Result> {
  const response = await sendJson(method, path, body);
  if (response.status === 204) return undefined as Result;
  const parsed = await jsonOf(response);
  if (!response.ok) throw errorFrom(response, parsed);
  return parsed as Result;
}

/**
 * A request whose answer is a stream read elsewhere (a reply the chat then follows): settles once the server took
 * it, without reading it.
 */
export async function apiStart(method: string, path: string, body?: unknown): Promise<void> {
  const response = await sendJson(method, path, body);
  if (!response.ok) throw errorFrom(response, await jsonOf(response));
  await response.body?.cancel();
}

async function sendJson(method: string, path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
}

async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text();
  return text ? safeJson(text) : undefined;
}

/** A multipart upload (POST /api/files): the browser sets the content type with its boundary. */
export async function apiUpload<Result>(path: string, form: FormData): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', credentials: 'same-origin', body: form });
  } catch {
    // A server refusing a large body may close the connection before the browser sees its answer.
    throw new ApiError(
      0,
      'network',
      'The upload was cut off: the file may be too large, or the server cannot be reached.',
    );
  }
  const parsed = await jsonOf(response);
  if (!response.ok) throw errorFrom(response, parsed);
  return parsed as Result;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorFrom(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  return new ApiError(
    response.status,
    error?.code ?? 'internal',
    error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
    error?.details,
  );
}

/** A reason better-auth gave (e.g. PASSWORD_TOO_SHORT), passed on in the error's details. */
export function authReasonOf(error: ApiError): string | undefined {
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}
