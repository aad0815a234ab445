// The reply stream written straight to Node's response (src/http/sse.ts): a long reply to a reader slower than
// the writer waits for the socket to drain again and again, and must leave nothing behind on the response each time.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/http/context.ts';
import { sendUiMessageStream } from '../../src/http/sse.ts';

const BATCHES = 60;
/** Past the socket's buffer every time: each write waits for `drain`. */
const BATCH_TEXT = 'x'.repeat(64 * 1024);

async function* longReply(): AsyncIterable<string[]> {
  for (let index = 0; index < BATCHES; index++)
    yield [JSON.stringify({ type: 'text-delta', id: 't', delta: BATCH_TEXT })];
}

test('a long reply to a slow reader waits for the socket many times without piling up listeners', async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  process.on('warning', onWarning);
  let listenersAtTheEnd = -1;
  const app = new Hono<AppEnv>();
  app.get('/reply', (context) => {
    const outgoing = context.env.outgoing;
    outgoing.once('finish', () => {
      listenersAtTheEnd = outgoing.listenerCount('close') + outgoing.listenerCount('drain');
    });
    return sendUiMessageStream(context, longReply());
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/reply`);
    const reader = response.body!.getReader();
    let received = 0;
    // A reader slower than the writer: a pause after every read.
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      received += read.value.byteLength;
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.ok(received > BATCHES * BATCH_TEXT.length, 'the whole reply arrived');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning').map((warning) => warning.message),
      [],
    );
    assert.ok(listenersAtTheEnd >= 0 && listenersAtTheEnd <= 3, `listeners left on the response: ${listenersAtTheEnd}`);
  } finally {
    process.off('warning', onWarning);
    await new Promise((resolve) => server.close(resolve));
  }
});
