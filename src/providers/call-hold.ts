// Holding a provider call until something else is done. The chat server builds a reply's request — the prompt, the
// SDK's own set-up — while the person's message is still being saved, and the request goes out once it is: the
// message is always saved before any model is called, and the set-up no longer waits for the database. The AI SDK
// has no per-call hook before its request, so the hold travels as a header of the call: the registry's fetch (and
// the offline model) wait on it and strip it. A call whose hold fails never goes out.
import type { Fetch } from './idle-timeout.ts';

const HOLD_HEADER = 'x-chorus-hold';
/** How long a failed hold is remembered, for a call that only gets to its request later (then it fails too). */
const FAILED_HOLD_KEPT_MS = 60_000;

const holds = new Map<string, Promise<unknown>>();
let lastHold = 0;

/** The headers that make a call (streamText's `headers`) wait until `ready` fulfils, and fail if it rejects. */
export function holdCallUntil(ready: Promise<unknown>): Record<string, string> {
  const id = String(++lastHold);
  holds.set(id, ready);
  ready.then(
    () => holds.delete(id),
    () => setTimeout(() => holds.delete(id), FAILED_HOLD_KEPT_MS).unref(),
  );
  return { [HOLD_HEADER]: id };
}

type HeaderRecord = Record<string, string | undefined>;

/** Waits out the call's hold, if it has one; the headers without the hold's. */
export async function awaitCallHold<Headers extends HeaderRecord | undefined>(headers: Headers): Promise<Headers> {
  const id = headers?.[HOLD_HEADER];
  if (id === undefined) return headers;
  const { [HOLD_HEADER]: _hold, ...rest } = headers!;
  await holds.get(id);
  return rest as Headers;
}

/** Wraps `fetch` so that a held call's request goes out only once its hold is done (see above). */
export function fetchAfterHold(baseFetch: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const headers = init?.headers;
    // The AI SDK's providers pass their headers as a plain object.
    if (!headers || headers instanceof Headers || Array.isArray(headers) || !(HOLD_HEADER in headers)) {
      return baseFetch(input, init);
    }
    return baseFetch(input, {
      ...init,
      headers: (await awaitCallHold(headers as HeaderRecord)) as Record<string, string>,
    });
  };
}
