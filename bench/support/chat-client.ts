// The benchmark's client: sends a chat request over node:http (lighter than fetch, so thousands fit in one
// process) and times the UI message stream that comes back — when the first and last piece of text arrived, when
// `[DONE]` did — reading events the same cheap way whether Chorus or the bare relay sent them. Text is counted in
// the provider's pieces (CHUNK_TEXT), not in events, so a server that merges deltas is not penalised for it.
// Plus the account a benchmark chats as.
import { type Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CHUNK_TEXT } from './instant-provider.ts';

export type StreamTiming = {
  status: number;
  /** performance.now() values. */
  startedAt: number;
  firstDeltaAt?: number;
  lastDeltaAt?: number;
  endedAt: number;
  /** text-delta events, and the provider's pieces of text they carried. */
  deltas: number;
  pieces: number;
  errorEvents: number;
  /** The first error event, as sent. */
  firstErrorEvent?: string;
  /** `data: [DONE]` arrived. */
  done: boolean;
  /** A transport failure, or the body of a non-200 answer. */
  failure?: string;
};

const DELTA_EVENT = 'data: {"type":"text-delta"';
const ERROR_EVENT = 'data: {"type":"error"';

/** Sends over `agent`, or over `socket` (one request, then the connection closes). */
export type Transport = { agent: Agent; socket?: undefined } | { socket: Socket; agent?: undefined };

/**
 * Which events carry the text: the UI message stream's text-delta events (Chorus, the relay), or every JSON event
 * (a provider's own Chat Completions stream, read directly).
 */
export type TextEvents = 'ui-text-deltas' | 'every-event';

/** `signal` gives up on the stream (a failure, `gave up: <reason>`). */
export function streamChat(
  url: URL,
  body: string,
  transport: Transport & { headers?: Record<string, string>; signal?: AbortSignal; textEvents?: TextEvents },
): Promise<StreamTiming> {
  const { headers = {}, signal, textEvents = 'ui-text-deltas' } = transport;
  const textPrefix = textEvents === 'every-event' ? 'data: {' : DELTA_EVENT;
  return new Promise((resolve) => {
    const timing: StreamTiming = {
      status: 0,
      startedAt: performance.now(),
      endedAt: 0,
      deltas: 0,
      pieces: 0,
      errorEvents: 0,
      done: false,
    };
    const finish = (failure?: string) => {
      if (timing.endedAt) return;
      timing.endedAt = performance.now();
      signal?.removeEventListener('abort', giveUp);
      if (failure) timing.failure = failure;
      resolve(timing);
    };
    const socket = transport.socket;
    const request = httpRequest(url, {
      method: 'POST',
      ...(socket ? { createConnection: () => socket } : { agent: transport.agent }),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
    });
    request.on('error', (error) => finish(error.message));
    const giveUp = () => {
      finish(`gave up: ${signal!.reason instanceof Error ? signal!.reason.message : String(signal!.reason)}`);
      request.destroy();
    };
    if (signal?.aborted) giveUp();
    signal?.addEventListener('abort', giveUp, { once: true });
    request.on('response', (response) => {
      timing.status = response.statusCode ?? 0;
      response.setEncoding('utf8');
      let pending = '';
      response.on('data', (text: string) => {
        const arrivedAt = performance.now();
        pending += text;
        let start = 0;
        for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
          if (pending.startsWith(textPrefix, start)) {
            let pieces = 0;
            for (
              let at = pending.indexOf(CHUNK_TEXT, start);
              at !== -1 && at < end;
              at = pending.indexOf(CHUNK_TEXT, at + CHUNK_TEXT.length)
            ) {
              pieces++;
            }
            // A provider's role and finish events carry no text.
            if (pieces > 0) {
              timing.deltas++;
              timing.pieces += pieces;
              timing.firstDeltaAt ??= arrivedAt;
              timing.lastDeltaAt = arrivedAt;
            }
          } else if (pending.startsWith('data: [DONE]', start)) {
            timing.done = true;
          } else if (pending.startsWith(ERROR_EVENT, start)) {
            timing.errorEvents++;
            timing.firstErrorEvent ??= pending.slice(start + 6, Math.min(end, start + 300));
          }
          start = end + 2;
        }
        pending = pending.slice(start);
      });
      response.on('end', () => finish(timing.status === 200 ? undefined : pending.slice(0, 300)));
      response.on('error', (error) => finish(error.message));
      response.on('close', () => finish(timing.done ? undefined : 'the connection closed mid-stream'));
    });
    request.end(body);
  });
}

/**
 * Opens `count` connections to `url`'s server, `batch` at a time. Thousands of handshakes in the same instant
 * overflow any listen backlog (Node's default is 511) and the kernel drops SYNs, which clients retry after 1, 3,
 * 7 s: that measures the kernel, not the server, so a benchmark of many concurrent streams connects first.
 */
export async function openConnections(url: URL, count: number, batch = 250): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let opened = 0; opened < count; opened += batch) {
    const size = Math.min(batch, count - opened);
    const connecting = Array.from(
      { length: size },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
          socket.once('connect', () => resolve(socket));
          socket.once('error', reject);
        }),
    );
    sockets.push(...(await Promise.all(connecting)));
  }
  return sockets;
}

/** What went wrong with a stream that should have carried `expectedPieces` pieces of text, or undefined. */
export function problemWith(timing: StreamTiming, expectedPieces: number): string | undefined {
  if (timing.failure) return `HTTP ${timing.status || '-'}: ${timing.failure}`;
  if (timing.errorEvents > 0) return `${timing.errorEvents} error event(s), the first: ${timing.firstErrorEvent}`;
  if (!timing.done) return 'the stream ended without [DONE]';
  if (timing.pieces !== expectedPieces) return `${timing.pieces} of ${expectedPieces} pieces of text`;
  return undefined;
}

/** A useChat-style request body: a new conversation id each call unless one is given. */
export function chatBody(modelIds: string[], text = 'Say something.', conversationId = crypto.randomUUID()): string {
  return JSON.stringify({
    id: conversationId,
    messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] }],
    modelIds,
  });
}

/**
 * Signs up (the first account of a fresh server is its admin), checks that, and creates an API key.
 * `origin` is the server's PUBLIC_URL: a browser's sign-up carries it.
 */
export async function createBenchAccount(baseUrl: string, origin: string): Promise<{ userId: string; apiKey: string }> {
  const signUp = await fetch(`${baseUrl}/api/auth/sign-up/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: 'bench@example.test', password: 'a long enough password', name: 'Bench' }),
  });
  if (signUp.status !== 200) throw new Error(`sign-up failed: ${signUp.status} ${await signUp.text()}`);
  const { user } = (await signUp.json()) as { user: { id: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((setCookie) => setCookie.split(';')[0])
    .join('; ');
  const key = await fetch(`${baseUrl}/api/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, cookie },
    body: JSON.stringify({ name: 'benchmark' }),
  });
  if (key.status !== 201) throw new Error(`creating an API key failed: ${key.status} ${await key.text()}`);
  const { key: apiKey } = (await key.json()) as { key: string };
  return { userId: user.id, apiKey };
}
