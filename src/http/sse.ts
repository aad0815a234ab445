// Server-Sent Events, written straight to Node's response: the chat reply stream, a conversation's live events and
// /v1's completion chunks all go out here. Not through a web ReadableStream (which Hono would read chunk by
// chunk): between a source and the socket, web streams cost about ten times a plain write per chunk (the chat
// benchmark, bench/chat.bench.ts, shows it). The items available together are framed and written together, one socket write per batch;
// a client that reads slowly holds the next batch back (the write waits for `drain`), and one that leaves stops
// the reading of the source.
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';
import type { Context } from 'hono';
import { logError } from '../loggable-error.ts';
import type { AppEnv } from './context.ts';
import { REQUEST_ID_HEADER } from './request-ids.ts';
import { DONE_FRAME, formatFrame, type SseFrame } from './sse-frames.ts';
import { KEEP_ALIVE_FRAME, type KeepAlive } from './sse-keep-alive.ts';

export type EventStreamOptions<Item> = {
  /** The response's headers; cookies a middleware set (a session renewed while reading it) are added. */
  headers: Record<string, string>;
  /** The frame of one item. */
  frameOf: (item: Item) => SseFrame;
  /** Written as soon as the stream opens. */
  first?: SseFrame;
  /** Written when the source ends by itself: not after `endsAfter`, not when it fails or the client left. */
  last?: SseFrame;
  /** The stream ends after the item this is true of, and the source is left. */
  endsAfter?: (item: Item) => boolean;
  /** A comment line at each beat of this shared timer while the stream is open. */
  keepAlive?: KeepAlive;
  /** What the log says when the source (or framing an item) fails. */
  failureLog: string;
  /**
   * The frame a stream whose source failed ends with ('' for none: a plain end). Without it the connection is cut,
   * so the client sees the stream did not end well.
   */
  failureFrame?: (error: unknown) => SseFrame;
  /** Called when the client goes away before the end. */
  onClientGone?: () => void;
  /** Called once the response is closed, however it ended. */
  onClosed?: () => void;
};

/** Sends batches of items as the event stream answering `context`'s request. */
export function sendEventStream<Item>(
  context: Context<AppEnv>,
  batches: AsyncIterable<readonly Item[]>,
  options: EventStreamOptions<Item>,
): Response {
  const outgoing = context.env.outgoing;
  const cookies = context.get('responseCookies') ?? [];
  const requestId = context.get('requestId');
  outgoing.writeHead(200, {
    ...options.headers,
    ...(cookies.length ? { 'set-cookie': cookies } : {}),
    ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}),
  });
  // The client sees the stream open at once, not with the first item (which may be seconds away).
  if (options.first !== undefined) outgoing.write(options.first);
  else outgoing.flushHeaders();
  const stopKeepAlive = options.keepAlive?.add(() => {
    // A stream waiting for a slow reader is not quiet; one ended is not open.
    if (!outgoing.writableNeedDrain && !outgoing.writableEnded && !outgoing.destroyed) outgoing.write(KEEP_ALIVE_FRAME);
  });
  outgoing.once('close', () => {
    stopKeepAlive?.();
    if (!outgoing.writableEnded) options.onClientGone?.();
    options.onClosed?.();
  });
  writeBatches(outgoing, batches, options).catch((error: unknown) => {
    logError(options.failureLog, error);
    outgoing.destroy();
  });
  return RESPONSE_ALREADY_SENT;
}

/** A source that gives one item at a time, as batches of one. */
export async function* oneByOne<Item>(items: AsyncIterable<Item>): AsyncIterable<Item[]> {
  for await (const item of items) yield [item];
}

/**
 * A UI message stream (batches of chunks, as StreamLog.readBatches gives them): the AI SDK's wire format
 * (`data: <chunk>` … `data: [DONE]`), so its own client (useChat) reads it unchanged.
 */
export function sendUiMessageStream(
  context: Context<AppEnv>,
  batches: AsyncIterable<string[]>,
  {
    headers = {},
    onClientGone,
  }: {
    headers?: Record<string, string>;
    /** Called when the client goes away before the end: stop following the log. The reply itself goes on. */
    onClientGone?: () => void;
  } = {},
): Response {
  return sendEventStream(context, batches, {
    headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers },
    frameOf: (chunk) => formatFrame({ data: chunk }),
    last: DONE_FRAME,
    failureLog: 'writing a reply stream failed',
    onClientGone,
  });
}

async function writeBatches<Item>(
  outgoing: ServerResponse,
  batches: AsyncIterable<readonly Item[]>,
  { frameOf, endsAfter, last, failureLog, failureFrame }: EventStreamOptions<Item>,
): Promise<void> {
  try {
    for await (const batch of batches) {
      if (outgoing.destroyed) return;
      const { frames, ends } = framesOf(batch, frameOf, endsAfter);
      if (ends) return endWith(outgoing, frames);
      if (!outgoing.write(frames)) await drainedOrClosed(outgoing);
    }
  } catch (error) {
    logError(failureLog, error);
    if (!failureFrame) outgoing.destroy();
    else endWith(outgoing, failureFrame(error));
    return;
  }
  endWith(outgoing, last);
}

/**
 * A batch's frames as one write. Text frames are joined as text; frames already encoded (shared by many readers)
 * are written as they are when alone, and joined as bytes with the others when not.
 */
function framesOf<Item>(
  batch: readonly Item[],
  frameOf: (item: Item) => SseFrame,
  endsAfter: ((item: Item) => boolean) | undefined,
): { frames: SseFrame; ends: boolean } {
  if (batch.length === 1) {
    const item = batch[0]!;
    return { frames: frameOf(item), ends: endsAfter?.(item) ?? false };
  }
  let text = '';
  let encoded: Uint8Array[] | undefined;
  let ends = false;
  for (const item of batch) {
    const frame = frameOf(item);
    if (typeof frame === 'string') text += frame;
    else {
      encoded ??= [];
      if (text) encoded.push(Buffer.from(text));
      encoded.push(frame);
      text = '';
    }
    if (endsAfter?.(item)) {
      ends = true;
      break;
    }
  }
  if (!encoded) return { frames: text, ends };
  if (text) encoded.push(Buffer.from(text));
  return { frames: Buffer.concat(encoded), ends };
}

function endWith(outgoing: ServerResponse, frame: SseFrame | undefined): void {
  if (outgoing.destroyed || outgoing.writableEnded) return;
  if (frame === undefined || frame.length === 0) outgoing.end();
  else outgoing.end(frame);
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
