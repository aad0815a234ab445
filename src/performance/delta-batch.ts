// Text deltas that arrive together leave together. A provider's socket read often holds hundreds of tokens, which
// the AI SDK hands over one part at a time within the same tick; sent one by one, each would cost a JSON encoding,
// a stream-log entry, an SSE event and a socket write. Batched, a burst costs one of each, and a steady stream
// of single tokens is not delayed: the batch goes out as soon as the current tick's work is done
// (docs/performance.md, delta batching).

export type DeltaBatch = {
  /** Adds text; it goes out on the next turn of the event loop, or at the next `flush`. */
  add(text: string): void;
  /** Sends what waits now (before any other part, and at the end), so order is kept. */
  flush(): void;
};

export function batchDeltas(send: (text: string) => void): DeltaBatch {
  let waiting = '';
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (!waiting) return;
    const text = waiting;
    waiting = '';
    send(text);
  };
  return {
    add(text) {
      if (!text) return;
      waiting += text;
      // setImmediate, not a microtask: the parts of one socket read are handed over in a chain of microtasks,
      // and a microtask would run between them.
      scheduled ??= setImmediate(flush);
    },
    flush,
  };
}
