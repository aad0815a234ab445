// A UI message stream as Server-Sent Events: the AI SDK's wire format (`data: <chunk>` … `data: [DONE]`), so its
// own client (useChat) reads it unchanged. One event per chunk, pulled as the client reads (backpressure); the
// chunks that are available together are encoded and written together (one web-stream read and one socket write
// per batch: per chunk, the web stream alone would cost more than everything else the server does with a token).
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';

const encoder = new TextEncoder();
const DONE = 'data: [DONE]\n\n';

/** Batches of chunks as read from the stream log (StreamLog.readBatches). */
export function uiMessageStreamResponse(batches: AsyncIterable<string[]>, headers: Record<string, string> = {}): Response {
  const iterator = batches[Symbol.asyncIterator]();
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      const { value, done } = await iterator.next();
      if (done) {
        finished = true;
        controller.enqueue(encoder.encode(DONE));
        controller.close();
        return;
      }
      let events = '';
      for (const chunk of value) events += `data: ${chunk}\n\n`;
      controller.enqueue(encoder.encode(events));
    },
    async cancel() {
      // The client went away: stop following the log; the reply itself goes on (see ChatEngine).
      finished = true;
      await iterator.return?.();
    },
  });
  return new Response(body, { headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers } });
}
