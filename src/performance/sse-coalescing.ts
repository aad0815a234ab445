// Provider streams arrive in bursts: one read of the socket often holds dozens or hundreds of Server-Sent Events that
// each add a token of text. The AI SDK parses and validates every event on its own and sends it through a chain of
// web streams, which costs far more per event than anything else the server does with a token. So before the SDK
// sees a read, runs of plain text events in it are merged into one event carrying their text — what the provider
// would have sent had it been slower to flush. Only events of the same read are merged (a token is never held back
// for the next one), and only events whose every other field says nothing (no role, finish, usage, tool call,
// reasoning, log probabilities): anything else passes through untouched, in order. A read that holds a single whole
// event, as each does at a reading pace, has nothing to merge with and goes on as the bytes read.
// (docs/performance.md, provider SSE coalescing)
import type { Fetch } from '../providers/idle-timeout.ts';

/** One SSE event: its `event:` field (if any) and its JSON data, parsed. */
export type SseEvent = { event: string | undefined; data: Record<string, unknown> };

/**
 * How one wire format marks a plain text event: `textOf` returns its text when the event carries nothing else, and
 * `sameRun` says whether two such events continue the same text (same choice or content block), so they may merge.
 * `withText` builds the merged event from the run's first one.
 */
export type TextEventFormat = {
  textOf(event: SseEvent): string | undefined;
  sameRun(first: SseEvent, next: SseEvent): boolean;
  withText(first: SseEvent, text: string): SseEvent;
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when every field but `allowed` is absent or null: nothing but the allowed ones is said. */
function onlyFields(object: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in object)
    if (object[key] !== null && object[key] !== undefined && !allowed.includes(key)) return false;
  return true;
}

type ChatChoice = { index?: unknown; delta: { content: string } };

/** The single choice of a Chat Completions chunk that adds text and says nothing else. */
function plainTextChoice(data: Record<string, unknown>): ChatChoice | undefined {
  const choices = data.choices;
  if (!Array.isArray(choices) || choices.length !== 1) return undefined;
  const [choice] = choices as unknown[];
  if (!isObject(choice) || !onlyFields(choice, ['index', 'delta'])) return undefined;
  const delta = choice.delta;
  if (!isObject(delta) || typeof delta.content !== 'string' || !onlyFields(delta, ['content'])) return undefined;
  return choice as ChatChoice;
}

/** Chat Completions (OpenAI, OpenRouter, every OpenAI-compatible server): `data: {choices: [{delta: {content}}]}`. */
export const chatCompletionsTextEvents: TextEventFormat = {
  textOf(event) {
    if (event.event !== undefined && event.event !== 'message') return undefined;
    // Chunk-level fields that describe the chunk (id, model, created, fingerprint, obfuscation padding) are kept from
    // the run's first chunk; usage and anything unknown must not be merged away.
    const { data } = event;
    if (data.usage !== null && data.usage !== undefined) return undefined;
    return plainTextChoice(data)?.delta.content;
  },
  sameRun(first, next) {
    return (
      first.data.id === next.data.id &&
      first.data.model === next.data.model &&
      plainTextChoice(first.data)?.index === plainTextChoice(next.data)?.index
    );
  },
  withText(first, text) {
    const choice = plainTextChoice(first.data)!;
    return {
      event: first.event,
      data: { ...first.data, choices: [{ ...choice, delta: { ...choice.delta, content: text } }] },
    };
  },
};

/** Anthropic Messages: `event: content_block_delta` with `{type: 'content_block_delta', index, delta: {type: 'text_delta', text}}`. */
export const anthropicTextEvents: TextEventFormat = {
  textOf({ event, data }) {
    if (
      event !== 'content_block_delta' ||
      data.type !== 'content_block_delta' ||
      !onlyFields(data, ['type', 'index', 'delta'])
    ) {
      return undefined;
    }
    const delta = data.delta;
    if (
      !isObject(delta) ||
      delta.type !== 'text_delta' ||
      typeof delta.text !== 'string' ||
      !onlyFields(delta, ['type', 'text'])
    ) {
      return undefined;
    }
    return delta.text;
  },
  sameRun: (first, next) => first.data.index === next.data.index,
  withText: (first, text) => ({ event: first.event, data: { ...first.data, delta: { type: 'text_delta', text } } }),
};

/** The fields of one event block (the lines between blank lines), or undefined when it is not a single JSON data line. */
function parseEvent(block: string): SseEvent | undefined {
  let event: string | undefined;
  let data: string | undefined;
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    // A comment, a field without a value, or an id/retry field: such a block is passed on as it is.
    if (colon <= 0) return undefined;
    const field = line.slice(0, colon);
    const value = line.charCodeAt(colon + 1) === 32 ? line.slice(colon + 2) : line.slice(colon + 1);
    if (field === 'event' && event === undefined) event = value;
    else if (field === 'data' && data === undefined) data = value;
    else return undefined;
  }
  if (data === undefined || data.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? { event, data: parsed } : undefined;
  } catch {
    return undefined;
  }
}

const formatEvent = ({ event, data }: SseEvent) =>
  `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;

/**
 * A stateful rewriter of one SSE body: `push` takes the next read and returns what may go on now (complete events,
 * text runs merged), keeping a trailing partial event for the next read; `end` returns what is left.
 */
export function createSseCoalescer(format: TextEventFormat) {
  let pending = '';
  return {
    push(text: string): string {
      pending += text;
      // CRLF line endings are legal SSE but not what providers send; such a stream is passed through unmerged.
      if (pending.includes('\r')) {
        const all = pending;
        pending = '';
        return all;
      }
      const lastEnd = pending.lastIndexOf('\n\n');
      if (lastEnd === -1) return '';
      const complete = pending.slice(0, lastEnd);
      pending = pending.slice(lastEnd + 2);
      return coalesceEvents(complete.split('\n\n'), format);
    },
    end(): string {
      const rest = pending;
      pending = '';
      return rest;
    },
  };
}

/** The event blocks again, each run of mergeable text events as one event. */
function coalesceEvents(blocks: string[], format: TextEventFormat): string {
  let out = '';
  let run: { first: SseEvent; firstBlock: string; text: string; count: number } | undefined;
  const closeRun = () => {
    if (!run) return;
    out += run.count === 1 ? `${run.firstBlock}\n\n` : formatEvent(format.withText(run.first, run.text));
    run = undefined;
  };
  for (const block of blocks) {
    if (block === '') continue;
    const event = parseEvent(block);
    const text = event && format.textOf(event);
    if (event === undefined || text === undefined) {
      closeRun();
      out += `${block}\n\n`;
      continue;
    }
    if (run && format.sameRun(run.first, event)) {
      run.text += text;
      run.count++;
      continue;
    }
    closeRun();
    run = { first: event, firstBlock: block, text, count: 1 };
  }
  closeRun();
  return out;
}

const LINE_FEED = 10;

const endsWithBlankLine = (bytes: Uint8Array) =>
  bytes.length >= 2 && bytes[bytes.length - 2] === LINE_FEED && bytes[bytes.length - 1] === LINE_FEED;

/**
 * True when a read is exactly one whole event (it ends with a blank line and holds no other): it has nothing to
 * merge with, so its bytes may go on as they are, without being decoded, parsed and encoded again. At a reading
 * pace, where each read holds one token, that is nearly every read.
 */
export function holdsOneWholeEvent(bytes: Uint8Array): boolean {
  if (!endsWithBlankLine(bytes)) return false;
  const end = bytes.length - 2;
  for (let at = bytes.indexOf(LINE_FEED); at !== -1 && at < end; at = bytes.indexOf(LINE_FEED, at + 1))
    if (bytes[at + 1] === LINE_FEED) return false;
  return true;
}

const isEventStream = (response: Response) =>
  response.headers.get('content-type')?.includes('text/event-stream') ?? false;

/**
 * Wraps `fetch` so that streamed (text/event-stream) answers reach the caller with their text events coalesced per
 * read (see above). Pulled only as the caller reads, like the body it wraps.
 */
export function fetchWithCoalescedText(format: TextEventFormat, baseFetch: Fetch): Fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (!response.ok || !response.body || !isEventStream(response)) return response;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    const coalescer = createSseCoalescer(format);
    // The reads so far ended with a whole event: nothing waits in the coalescer or the decoder.
    let atEventBoundary = true;
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          // A read that completes no event (half an event) yields nothing to pass on: read on.
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              const rest = coalescer.push(decoder.decode()) + coalescer.end();
              if (rest) controller.enqueue(encoder.encode(rest));
              controller.close();
              return;
            }
            if (atEventBoundary && holdsOneWholeEvent(value)) {
              controller.enqueue(value);
              return;
            }
            atEventBoundary = endsWithBlankLine(value);
            const text = coalescer.push(decoder.decode(value, { stream: true }));
            if (text) {
              controller.enqueue(encoder.encode(text));
              return;
            }
          }
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    );
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
