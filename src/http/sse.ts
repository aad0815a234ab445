// A UI message stream as Server-Sent Events: the AI SDK's wire format (`data: <chunk>` … `data: [DONE]`), so its
// own client (useChat) reads it unchanged. Written straight to Node's response, not through a web ReadableStream
// (which Hono would read chunk by chunk): between the stream log and the socket, web streams cost more per chunk
// than everything else the server does with a token (BASELINES.md: ~10× a plain write). The chunks available
// together are encoded and written together, one socket write per batch; a client that reads slowly holds the
// next batch back (the write waits for `drain`), and one that leaves stops the reading of the log.
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import type { Context } from 'hono';
import { logError } from '../loggable-error.ts';
import type { AppEnv } from './context.ts';

const DONE = 'data: [DONE]\n\n';

export type UiMessageStreamOptions = {
  headers?: Record<string, string>;
  /** Called when the client goes away before the end: stop following the log. The reply itself goes on. */
  onClientGone?: () => void;
};

/** Sends batches of chunks (as StreamLog.readBatches gives them) as the response to `context`'s request. */
export function sendUiMessageStream(
  context: Context<AppEnv>,
  batches: AsyncIterable<string[]>,
  { headers = {}, onClientGone }: UiMessageStreamOptions = {},
): Response {
  const outgoing = context.env.outgoing;
  const cookies = context.get('responseCookies') ?? [];
  outgoing.writeHead(200, {
    ...UI_MESSAGE_STREAM_HEADERS,
    ...headers,
    ...(cookies.length ? { 'set-cookie': cookies } : {}),
  });
  outgoing.once('close', () => {
    if (!outgoing.writableEnded) onClientGone?.();
  });
  writeBatches(outgoing, batches).catch((error: unknown) => {
    logError('writing a reply stream failed', error);
    outgoing.destroy();
  });
  return RESPONSE_ALREADY_SENT;
}

async function writeBatches(outgoing: ServerResponse, batches: AsyncIterable<string[]>): Promise<void> {
  for await (const batch of batches) {
    if (outgoing.destroyed) return;
    let events = '';
    for (const chunk of batch) events += `data: ${chunk}\n\n`;
    if (!outgoing.write(events)) await drainedOrClosed(outgoing);
  }
  if (!outgoing.destroyed) outgoing.end(DONE);
}

/**
 * Until the socket takes more or is gone. Both listeners go when either fires: a long reply to a slow reader waits
 * here thousands of times, and each wait left behind would be another listener on the response.
 */
function drainedOrClosed(outgoing: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    if (outgoing.destroyed) return resolve();
    const done = () => {
      outgoing.off('drain', done);
      outgoing.off('close', done);
      resolve();
    };
    outgoing.on('drain', done);
    outgoing.on('close', done);
  });
}
