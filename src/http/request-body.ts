// Reading a request's body, once, for every route: who may send one, how large, how deeply nested. A write to the
// API from nobody signed in is refused before a byte of its body is read; a body past its route's limit is refused
// from its declared length, or while it is read when it comes in chunks of unknown total (an upload is not read
// here but passed on as a stream, the limit enforced as its route reads it); JSON nested past
// MAX_JSON_DEPTH is refused before it is parsed. What is read is kept for the route: the validators take the text
// from Hono's cache (so it is read and decoded once), and better-auth, which reads the raw request itself, is given
// one holding the text.
import type { MiddlewareHandler } from 'hono';
import { AUTH_BASE_PATH } from '../auth/better-auth.ts';
import { AppError } from '../errors.ts';
import { boundedStream } from '../files/byte-streams.ts';
import type { Runtime } from '../runtime.ts';
import { type AppEnv, requireActor, requireAdmin } from './context.ts';

/** Deeper than any request of this API needs (a chat message's part is about 7 deep); parsing and walking stay cheap. */
export const MAX_JSON_DEPTH = 64;
/** 10,000 models take about 6 MB of JSON; the limit leaves room for long descriptions, not for abuse. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
/**
 * A refused body of at most this many declared bytes is read to its end and dropped (by Node, once the refusal is
 * sent), so that a client still sending it reads the refusal instead of a broken pipe; a larger one, or one of no
 * declared length, ends the connection rather than be read.
 */
const DRAINED_BODY_BYTES = 16 * 1024 * 1024;
/** Room for the multipart envelope around an upload (boundaries, part headers) beyond the file's own limit. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

type BodyLimit = { maxBytes: number; refusal: string };

/** The route that reads its body as a stream: an upload passes through to file storage (http/multipart-file.ts). */
const isStreamedUpload = (method: string, path: string) => method === 'POST' && path === '/api/files';

/** The default limit, or the larger one of the routes that take files: an upload, a model or a conversation import. */
function bodyLimitFor(method: string, path: string, runtime: Runtime): BodyLimit {
  if (isStreamedUpload(method, path)) {
    const { maxBytes } = runtime.files.limits;
    const refusal = `the upload is larger than the limit of ${maxBytes} bytes per file`;
    return { maxBytes: maxBytes + MULTIPART_OVERHEAD_BYTES, refusal };
  }
  if (method === 'POST' && path === '/api/admin/models/import') {
    return { maxBytes: MAX_IMPORT_BYTES, refusal: `an import is at most ${MAX_IMPORT_BYTES} bytes of JSON` };
  }
  if (method === 'POST' && path === '/api/conversations/import') {
    const maxBytes = runtime.env.CHORUS_MAX_IMPORT_BYTES;
    return {
      maxBytes,
      refusal: `a conversation import is at most ${maxBytes} bytes of JSON (CHORUS_MAX_IMPORT_BYTES)`,
    };
  }
  const maxBytes = runtime.env.CHORUS_MAX_BODY_BYTES;
  return { maxBytes, refusal: `the request body is larger than the limit of ${maxBytes} bytes` };
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Methods that change nothing, and whose bodies (if any) no route reads. */
export const isReadOnlyMethod = (method: string) => READ_ONLY_METHODS.has(method);
/** Every write under /api and /v1 is for signed-in people (their OpenAPI `security` says so), but better-auth's own. */
const isSignedInWrite = (path: string) => /^\/(api|v1)\//.test(path) && !path.startsWith(`${AUTH_BASE_PATH}/`);
const isJsonType = (contentType: string | undefined) =>
  contentType !== undefined && /^application\/([a-z.-]+\+)?json/i.test(contentType);

export const readRequestBody: MiddlewareHandler<AppEnv> = async (context, next) => {
  const { method, path } = context.req;
  if (isReadOnlyMethod(method)) return next();
  const length = context.req.header('content-length');
  const chunked = context.req.header('transfer-encoding') !== undefined;
  const hasBody = chunked || (length !== undefined && length !== '0');
  const drainable = !chunked && Number(length) <= DRAINED_BODY_BYTES;
  const refuse = (error: AppError): never => {
    if (hasBody && !drainable) context.header('connection', 'close');
    throw error;
  };

  if (isSignedInWrite(path)) {
    try {
      if (path.startsWith('/api/admin/')) requireAdmin(context);
      else requireActor(context);
    } catch (error) {
      refuse(error as AppError);
    }
  }
  if (!hasBody) return next();

  const limit = bodyLimitFor(method, path, context.get('runtime'));
  // Node delivers no more than the declared length: checking the header is enforcing the limit.
  if (!chunked && Number(length) > limit.maxBytes) refuse(new AppError('payload_too_large', limit.refusal));
  if (chunked && isStreamedUpload(method, path) && context.req.raw.body) {
    // An upload is read by its route as it arrives, never whole; the limit is enforced on the way.
    const tooLarge = () => {
      context.header('connection', 'close');
      return new AppError('payload_too_large', limit.refusal);
    };
    context.req.raw = requestWithBody(
      context.req.raw,
      context.req.raw.body.pipeThrough(boundedStream(limit.maxBytes, tooLarge)),
    );
  } else if (chunked) {
    const body = await readWithin(context.req.raw.body, limit).catch((error: unknown) => refuse(asReadFailure(error)));
    context.req.raw = requestWithBody(context.req.raw, body);
  }
  if (isJsonType(context.req.header('content-type'))) {
    const text = await context.req.text().catch((error: unknown) => refuse(asReadFailure(error)));
    const tooDeepAt = positionPastDepth(text, MAX_JSON_DEPTH);
    if (tooDeepAt >= 0) {
      refuse(
        new AppError(
          'invalid_input',
          `the JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} deep (at character ${tooDeepAt}); ` +
            'no request needs that',
          { details: [{ path: '', message: `nested more than ${MAX_JSON_DEPTH} deep` }] },
        ),
      );
    }
    if (path.startsWith(`${AUTH_BASE_PATH}/`)) context.req.raw = requestWithBody(context.req.raw, text);
  }
  return next();
};

/** A refusal as it is; anything else is the client going away with its body half sent. */
const asReadFailure = (error: unknown): AppError =>
  error instanceof AppError
    ? error
    : new AppError('invalid_input', 'the request body could not be read: the connection ended before it was whole', {
        cause: error,
      });

/** The body of a request of unknown length, refused once it passes the limit rather than read to its end. */
async function readWithin(body: ReadableStream<Uint8Array> | null, limit: BodyLimit): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    size += read.value.byteLength;
    // Not cancelled: that would destroy the connection before the refusal is written. It closes after it instead.
    if (size > limit.maxBytes) throw new AppError('payload_too_large', limit.refusal);
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, size);
}

/** The same request with its body given again, for a reader of the raw request after the body was read. */
function requestWithBody(raw: Request, body: Uint8Array | string | ReadableStream<Uint8Array>): Request {
  return new Request(raw.url, { method: raw.method, headers: raw.headers, body, signal: raw.signal, duplex: 'half' });
}

/**
 * Where JSON text opens an object or array past `maxDepth` levels (its index), or -1. Brackets inside strings do
 * not count; text that is not JSON is left to the parser to refuse. A scan of the text, so the refusal costs
 * nothing like parsing does (V8 parses two million levels in most of a second).
 */
export function positionPastDepth(text: string, maxDepth: number): number {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = endOfString(text, index);
      if (index < 0) return -1;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return index;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--;
    }
  }
  return -1;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The index of the quote closing the string opened at `start` (one not escaped by an odd run of backslashes), or -1. */
function endOfString(text: string, start: number): number {
  let end = start;
  for (;;) {
    end = text.indexOf('"', end + 1);
    if (end < 0) return -1;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
}
