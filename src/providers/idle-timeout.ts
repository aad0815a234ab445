// A fetch that gives up on a provider that goes quiet: no response, or no further bytes of a streamed
// response, for CHORUS_PROVIDER_TIMEOUT_MS.
// Why here and not in the AI SDK's own `timeout` options: `firstChunkMs`/`chunkMs` start only after the
// model's doStream has returned, and @ai-sdk/openai's doStream itself waits for the first output chunk
// (to turn early in-stream errors into retryable ones), so a server that accepts the request and then
// says nothing would hold the reply open forever. Watching the bytes covers every provider and phase,
// and the reply fails with an error (not an abort), so it is recorded as an error, not as a user's stop.
//
// Only the provider's silence counts: the clock runs while a read of the body waits for the provider, not while
// the reader is busy elsewhere, and a server too busy to look (an event loop blocked for longer than the limit)
// reads what arrived meanwhile before it judges.
import { performance } from 'node:perf_hooks';

export type Fetch = typeof globalThis.fetch;

/** The reason a quiet provider's request is aborted with (a TimeoutError, which the AI SDK does not retry). */
export function idleTimeoutError(timeoutMs: number): DOMException {
  return new DOMException(`the provider sent nothing for ${timeoutMs} ms`, 'TimeoutError');
}

/**
 * Wraps `fetch` so that a request fails with a TimeoutError once `timeoutMs` pass without the response
 * starting or, after it started, while a read of its body waits that long for another chunk. The caller's own
 * abort signal keeps working. A non-streaming call receives its answer in one piece, so there the limit bounds the
 * whole generation; keep-alive frames a provider sends while thinking (SSE comments, pings) count as activity.
 */
export function fetchWithIdleTimeout(timeoutMs: number, baseFetch: Fetch = globalThis.fetch): Fetch {
  return async (input, init = {}) => {
    const idle = new AbortController();
    const watch = createSilenceWatch(timeoutMs, () => idle.abort(idleTimeoutError(timeoutMs)));
    const signal = init.signal ? AbortSignal.any([init.signal, idle.signal]) : idle.signal;
    watch.start();
    let response: Response;
    try {
      response = await baseFetch(input, { ...init, signal });
    } finally {
      watch.stop();
    }
    if (!response.body) return response;
    const reader = response.body.getReader();
    // Pulled only as the reader asks (no read-ahead), so the watch runs exactly while a read waits on the provider.
    const watchedBody = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          watch.start();
          try {
            const { value, done } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          } finally {
            watch.stop();
          }
        },
        cancel(reason) {
          watch.stop();
          return reader.cancel(reason);
        },
      },
      { highWaterMark: 0 },
    );
    return new Response(watchedBody, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

/**
 * How late a timer may fire before the loop counts as having been blocked: then it could not have read what the
 * provider sent, so the silence it saw proves nothing, and the watch starts over once.
 */
const blockedToleranceMs = (timeoutMs: number) => Math.min(1_000, timeoutMs / 2);

/**
 * Calls `onSilence` when a watch runs for `timeoutMs` without being stopped. Before it does, it lets the event loop
 * read the sockets once (a timer fires before the loop polls for I/O, an immediate after), so bytes that came while
 * the loop was busy stop the watch first. One timer serves every watch of a call: a watch per chunk of a fast
 * stream only notes the time, and the timer, when it fires, waits out whatever is left of the newest watch.
 */
function createSilenceWatch(timeoutMs: number, onSilence: () => void) {
  let timer: NodeJS.Timeout | undefined;
  /** The running watch (0: none) and when it started. */
  let watch = 0;
  let watchCount = 0;
  let since = 0;
  /** The running watch was started over once already, after a blocked loop. */
  let startedOver = false;

  const arm = (delayMs: number) => {
    const dueAt = performance.now() + delayMs;
    timer = setTimeout(() => {
      timer = undefined;
      if (watch === 0) return; // nothing is waited for; the next watch arms the timer again
      const now = performance.now();
      if (now - since < timeoutMs) return arm(timeoutMs - (now - since));
      const lateMs = now - dueAt;
      const judged = watch;
      setImmediate(() => {
        if (watch !== judged) return;
        if (lateMs > blockedToleranceMs(timeoutMs) && !startedOver) {
          startedOver = true;
          since = performance.now();
          if (!timer) arm(timeoutMs);
        } else {
          onSilence();
        }
      });
    }, delayMs);
    // A reply its reader abandoned must not keep the process alive until the timer fires.
    timer.unref();
  };

  return {
    start() {
      watch = ++watchCount;
      since = performance.now();
      startedOver = false;
      if (!timer) arm(timeoutMs);
    },
    stop() {
      watch = 0;
    },
  };
}
