// Small stream stages the storage backends and uploads share: a body as a stream, a SHA-256 and a count of the bytes
// that pass, a bound on how many may pass, and a look at a stream's first bytes without losing them.
import { createHash } from 'node:crypto';

/** A body given whole or as a stream, as a stream. */
export function asStream(body: ReadableStream<Uint8Array> | Uint8Array): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  return new ReadableStream({
    start(controller) {
      if (body.byteLength > 0) controller.enqueue(body);
      controller.close();
    },
  });
}

/** A pass-through stage that hashes and counts what goes through it; `digest()` once it has ended. */
export function measuringStream(): TransformStream<Uint8Array, Uint8Array> & {
  digest(): { size: number; sha256: string };
} {
  const hash = createHash('sha256');
  let size = 0;
  const stage = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      hash.update(chunk);
      size += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  return Object.assign(stage, { digest: () => ({ size, sha256: hash.digest('hex') }) });
}

/** A pass-through stage that fails with `refusal()` as soon as more than `maxBytes` have come through. */
export function boundedStream(maxBytes: number, refusal: () => Error): TransformStream<Uint8Array, Uint8Array> {
  let size = 0;
  return new TransformStream({
    transform(chunk, controller) {
      size += chunk.byteLength;
      if (size > maxBytes) controller.error(refusal());
      else controller.enqueue(chunk);
    },
  });
}

/**
 * The first `count` bytes of a stream (fewer when it is shorter), and a stream of all of it, those bytes included:
 * for deciding what a stream is before passing it on.
 */
export async function peekBytes(
  stream: ReadableStream<Uint8Array>,
  count: number,
): Promise<{ head: Uint8Array; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let done = false;
  while (size < count) {
    const read = await reader.read();
    if (read.done) {
      done = true;
      break;
    }
    chunks.push(read.value);
    size += read.value.byteLength;
  }
  const head = Buffer.concat(chunks, size);
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      if (size > 0) controller.enqueue(head);
      if (done) controller.close();
    },
    async pull(controller) {
      const read = await reader.read();
      if (read.done) controller.close();
      else controller.enqueue(read.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head: head.subarray(0, Math.min(count, size)), stream: rest };
}
