// A UI message stream as Server-Sent Events: the AI SDK's wire format (`data: <chunk>` … `data: [DONE]`), so its
// own client (useChat) reads it unchanged. One event per chunk, pulled as the client reads (backpressure).
import { UI_MESSAGE_STREAM_HEADERS } from 'ai';

const encoder = new TextEncoder();

export function uiMessageStreamResponse(chunks: AsyncIterable<string>, headers: Record<string, string> = {}): Response {
  const iterator = chunks[Symbol.asyncIterator]();
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (finished) return;
      const { value, done } = await iterator.next();
      if (done) {
        finished = true;
        controller.enqueue(encoder.encode('data: [DONE]\n\n'));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(`data: ${value}\n\n`));
    },
    async cancel() {
      // The client went away: stop following the log; the reply itself goes on (see ChatEngine).
      finished = true;
      await iterator.return?.();
    },
  });
  return new Response(body, { headers: { ...UI_MESSAGE_STREAM_HEADERS, ...headers } });
}
