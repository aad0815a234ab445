// Server-Sent Events frames as they go on the wire: pure text, written by sse.ts. A frame is its lines, each
// `field: value`, then an empty line; EventSource, the AI SDK's client and OpenAI's clients all read these.

/** A frame ready to write: text, or bytes encoded once for many readers. */
export type SseFrame = string | Uint8Array;

/** The last frame of a chat reply and of an OpenAI-compatible stream. */
export const DONE_FRAME = 'data: [DONE]\n\n';

/**
 * One frame: `retry:` (how long EventSource waits before reconnecting), `id:` (what it sends back as Last-Event-ID),
 * then the data, one `data:` line per line of it. A frame with an id and no data moves the client's position only.
 * An id must be a single line: every id here is one of the server's own.
 */
export function formatFrame({ id, data, retryMs }: { id?: string; data?: string; retryMs?: number }): string {
  let frame = '';
  if (retryMs !== undefined) frame += `retry: ${retryMs}\n`;
  if (id !== undefined) frame += `id: ${id}\n`;
  if (data !== undefined) frame += dataLines(data);
  return `${frame}\n`;
}

/** A comment: readers ignore it; it keeps a quiet connection from looking idle to proxies. */
export function commentFrame(text: string): string {
  return `: ${text}\n\n`;
}

// JSON (every payload here) never holds a raw line break: the usual case is one line, found by a scan for each.
function dataLines(data: string): string {
  if (!data.includes('\n') && !data.includes('\r')) return `data: ${data}\n`;
  let lines = '';
  for (const line of data.split(/\r\n|\r|\n/)) lines += `data: ${line}\n`;
  return lines;
}
