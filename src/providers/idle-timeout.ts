// A fetch that gives up on a provider that goes quiet: no response, or no further bytes of a streamed
// response, for CHORUS_PROVIDER_TIMEOUT_MS.
// Why here and not in the AI SDK's own `timeout` options: `firstChunkMs`/`chunkMs` start only after the
// model's doStream has returned, and @ai-sdk/openai's doStream itself waits for the first output chunk
// (to turn early in-stream errors into retryable ones), so a server that accepts the request and then
// says nothing would hold the reply open forever. Watching the bytes covers every provider and phase,
// and the reply fails with an error (not an abort), so it is recorded as an error, not as a user's stop.

export type Fetch = typeof globalThis.fetch;

/** The reason a quiet provider's request is aborted with (a TimeoutError, which the AI SDK does not retry). */
export function idleTimeoutError(timeoutMs: number): DOMException {
  return new DOMException(`the provider sent nothing for ${timeoutMs} ms`, 'TimeoutError');
}

/**
 * Wraps `fetch` so that a request fails with a TimeoutError once `timeoutMs` pass without the response
 * starting or, after it started, without another chunk of its body. The caller's own abort signal keeps
 * working. A non-streaming call receives its answer in one piece, so there the limit bounds the whole
 * generation; keep-alive frames a provider sends while thinking (SSE comments, pings) count as activity.
 */
export function fetchWithIdleTimeout(timeoutMs: number, baseFetch: Fetch = globalThis.fetch): Fetch {
  return async (input, init = {}) => {
    const idle = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const stopWatching = () => clearTimeout(timer);
    const restartWatch = () => {
      stopWatching();
      timer = setTimeout(() => idle.abort(idleTimeoutError(timeoutMs)), timeoutMs);
      // A reply its reader abandoned must not keep the process alive until the timer fires.
      timer.unref();
    };
    const signal = init.signal ? AbortSignal.any([init.signal, idle.signal]) : idle.signal;
    restartWatch();
    let response: Response;
    try {
      response = await baseFetch(input, { ...init, signal });
    } catch (error) {
      stopWatching();
      throw error;
    }
    if (!response.body) {
      stopWatching();
      return response;
    }
    restartWatch();
    const watchedBody = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          restartWatch();
          controller.enqueue(chunk);
        },
        flush: stopWatching,
      }),
    );
    return new Response(watchedBody, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
