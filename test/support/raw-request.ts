// A request sent exactly as a test writes it (any body, any content type, any headers), by a signed-in browser or by
// nobody, and its answer read without assuming JSON: an event stream is read to its end, or cancelled when it
// would never end (a conversation's live events).
import assert from 'node:assert/strict';
import { TEST_PUBLIC_URL, type TestClient } from './server.ts';

export type RawRequest = {
  /** Sent as JSON unless `rawBody` or `form` is given. */
  body?: unknown;
  /** Sent as it is, with `contentType` (default application/json). */
  rawBody?: string;
  contentType?: string;
  form?: FormData;
  headers?: Record<string, string>;
  /** An event stream that stays open: check the status and headers, then hang up. */
  endless?: boolean;
};

export type RawAnswer = {
  status: number;
  headers: Headers;
  contentType: string;
  /** The whole body as text ('' for a cancelled stream). */
  text: string;
  /** The body parsed, when it is JSON. */
  json: any;
};

/** `who` null: no credentials at all. */
export async function sendRaw(
  baseUrl: string,
  who: TestClient | null,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawAnswer> {
  const headers = new Headers(request.headers);
  // The page of the app a browser would be on, unless the test says where the request comes from.
  if (!headers.has('origin')) headers.set('origin', TEST_PUBLIC_URL);
  if (who && who.cookies.size > 0) {
    headers.set('cookie', [...who.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
  }
  let body: string | FormData | undefined;
  if (request.form) body = request.form;
  else if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) body = JSON.stringify(request.body);
  if (typeof body === 'string' && !headers.has('content-type')) {
    headers.set('content-type', request.contentType ?? 'application/json');
  }

  const response = await fetch(baseUrl + path, { method, headers, body });
  const contentType = response.headers.get('content-type') ?? '';
  let text = '';
  if (contentType.startsWith('text/event-stream') && request.endless) await response.body?.cancel();
  else text = await response.text();
  let json: unknown = null;
  if (contentType.includes('json') && text) json = JSON.parse(text);
  return { status: response.status, headers: response.headers, contentType, text, json };
}

/** Every refusal is `{ error: { code, message } }` as JSON, whatever refused it. */
export function assertErrorBody(answer: RawAnswer, what: string) {
  assert.match(
    answer.contentType,
    /^application\/json/,
    `${what}: an error answered as ${answer.contentType}: ${answer.text}`,
  );
  assert.equal(typeof answer.json?.error?.code, 'string', `${what}: no error.code in ${answer.text}`);
  assert.equal(typeof answer.json?.error?.message, 'string', `${what}: no error.message in ${answer.text}`);
  assert.ok(answer.json.error.message.length > 0, `${what}: an empty error message`);
}
