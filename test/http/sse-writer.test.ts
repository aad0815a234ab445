// The one Server-Sent Events writer (src/http/sse.ts) that chat replies, live conversation events and /v1 streams
// go out through: frames with ids and a first and last frame on the wire exactly, a batch in one socket write,
// comment lines while quiet, an end after a given item, a slow reader holding the source back, a client that
// leaves stopping it, and a failing source ending the stream with a frame or cutting the connection.
import assert from 'node:assert/strict';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AppEnv } from '../../src/http/context.ts';
import { type EventStreamOptions, oneByOne, sendEventStream } from '../../src/http/sse.ts';
import { DONE_FRAME, formatFrame } from '../../src/http/sse-frames.ts';
import { KeepAlive } from '../../src/http/sse-keep-alive.ts';

type Item = { id: string; text: string };
const HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const frameOf = (item: Item) => formatFrame({ id: item.id, data: item.text });

/** Serves `handle`'s event stream on a fresh server for the length of `use`. */
async function withStream<Result>(
  handle: (outgoing: ServerResponse) => {
    batches: AsyncIterable<readonly Item[]>;
    options: Partial<EventStreamOptions<Item>>;
  },
  use: (url: string) => Promise<Result>,
  { cookies }: { cookies?: string[] } = {},
): Promise<Result> {
  const app = new Hono<AppEnv>();
  app.get('/stream', (context) => {
    if (cookies) context.set('responseCookies', cookies);
    const { batches, options } = handle(context.env.outgoing);
    return sendEventStream(context, batches, {
      headers: HEADERS,
      frameOf,
      failureLog: 'test stream failed',
      ...options,
    });
  });
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`);
  } finally {
    (server as Server).closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function* batchesOf(...batches: Item[][]): AsyncIterable<Item[]> {
  for (const batch of batches) yield batch;
}

/** For the tests that wait for a callback: a writer that never calls it fails the test rather than hangs it. */
const WAITS = { timeout: 10_000 };

const item = (id: number, text = `item ${id}`): Item => ({ id: String(id), text });

/** A promise with its resolve, for a source that must wait for the test. */
function signal<Value = void>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

test('frames go out exactly: the first frame, each id and data line, a line break split in data lines, the last', async () => {
  const text = await withStream(
    () => ({
      batches: batchesOf([item(1), item(2, 'two\nlines')], [item(3)]),
      options: { first: formatFrame({ retryMs: 2000, id: '0' }), last: DONE_FRAME },
    }),
    async (url) => {
      const response = await fetch(url);
      assert.equal(response.headers.get('content-type'), 'text/event-stream');
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      return response.text();
    },
  );
  assert.equal(
    text,
    'retry: 2000\nid: 0\n\n' +
      'id: 1\ndata: item 1\n\n' +
      'id: 2\ndata: two\ndata: lines\n\n' +
      'id: 3\ndata: item 3\n\n' +
      'data: [DONE]\n\n',
  );
});

test('the items of a batch go out in one socket write, text and bytes encoded once alike', async () => {
  const writes: string[] = [];
  const shared = Buffer.from(formatFrame({ id: '2', data: 'shared' }));
  const text = await withStream(
    (outgoing) => {
      const write = outgoing.write.bind(outgoing) as (chunk: unknown) => boolean;
      outgoing.write = ((chunk: string | Uint8Array) => {
        writes.push(Buffer.from(chunk).toString());
        return write(chunk);
      }) as typeof outgoing.write;
      return {
        batches: batchesOf([item(1), item(2), item(3)], [item(4)]),
        options: { frameOf: (each: Item) => (each.id === '2' ? shared : frameOf(each)) },
      };
    },
    async (url) => (await fetch(url)).text(),
  );
  assert.deepEqual(writes, [
    'id: 1\ndata: item 1\n\nid: 2\ndata: shared\n\nid: 3\ndata: item 3\n\n',
    'id: 4\ndata: item 4\n\n',
  ]);
  assert.equal(text, writes.join(''));
});

test('the cookies a middleware set go out with the stream', async () => {
  const cookies = await withStream(
    () => ({ batches: batchesOf([item(1)]), options: {} }),
    async (url) => {
      const response = await fetch(url);
      await response.text();
      return response.headers.getSetCookie();
    },
    { cookies: ['session=renewed; Path=/; HttpOnly'] },
  );
  assert.deepEqual(cookies, ['session=renewed; Path=/; HttpOnly']);
});

test('a quiet stream gets comment lines from the shared timer; readers see no event in them', WAITS, async () => {
  const keepAlive = new KeepAlive(10);
  const quietUntil = signal();
  const text = await withStream(
    () => ({
      batches: (async function* () {
        yield [item(1)];
        await quietUntil.promise;
        yield [item(2)];
      })(),
      options: { keepAlive },
    }),
    async (url) => {
      const response = await fetch(url);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      while (received.split(': keep-alive\n\n').length < 3) received += (await reader.read()).value ?? '';
      quietUntil.resolve();
      for (let read = await reader.read(); !read.done; read = await reader.read()) received += read.value;
      return received;
    },
  );
  assert.match(text, /^id: 1\ndata: item 1\n\n(: keep-alive\n\n){2,}id: 2\ndata: item 2\n\n$/);
});

test('the stream ends after the item that ends it: no last frame, and the source is left', WAITS, async () => {
  const sourceLeft = signal<number>();
  let pulled = 0;
  const text = await withStream(
    () => ({
      batches: oneByOne(
        (async function* () {
          try {
            for (;;) yield item(++pulled);
          } finally {
            sourceLeft.resolve(pulled);
          }
        })(),
      ),
      options: { endsAfter: (each) => each.id === '3', last: DONE_FRAME },
    }),
    async (url) => (await fetch(url)).text(),
  );
  assert.equal(text, 'id: 1\ndata: item 1\n\nid: 2\ndata: item 2\n\nid: 3\ndata: item 3\n\n');
  assert.equal(await sourceLeft.promise, 3);
});

test('a reader slower than the source holds it back: no item is taken while the socket waits to drain', async () => {
  const ITEMS = 40;
  const bigText = 'x'.repeat(256 * 1024);
  let pulledWhileFull = 0;
  let drains = 0;
  const received = await withStream(
    (outgoing) => {
      outgoing.on('drain', () => drains++);
      return {
        batches: (async function* () {
          for (let index = 1; index <= ITEMS; index++) {
            if (outgoing.writableNeedDrain) pulledWhileFull++;
            yield [item(index, bigText)];
          }
        })(),
        options: {},
      };
    },
    async (url) => {
      const response = await fetch(url);
      const reader = response.body!.getReader();
      // Nothing read for a while: the socket's buffers fill up.
      await new Promise((resolve) => setTimeout(resolve, 100));
      let bytes = 0;
      for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.byteLength;
      return bytes;
    },
  );
  assert.ok(received > ITEMS * bigText.length, 'everything arrived');
  assert.ok(drains > 0, 'the socket was full at times');
  assert.equal(pulledWhileFull, 0, 'no item was taken from the source while the socket was full');
});

test(
  'a client that leaves stops the source: the client-gone and closed callbacks run, the source is left',
  WAITS,
  async () => {
    const sourceLeft = signal();
    const gone = signal();
    const closed = signal();
    await withStream(
      () => ({
        batches: (async function* () {
          try {
            for (let index = 1; ; index++) {
              yield [item(index)];
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
          } finally {
            sourceLeft.resolve();
          }
        })(),
        options: { onClientGone: gone.resolve, onClosed: closed.resolve, last: DONE_FRAME },
      }),
      async (url) => {
        const leave = new AbortController();
        const response = await fetch(url, { signal: leave.signal });
        const reader = response.body!.getReader();
        await reader.read();
        leave.abort();
        await Promise.all([gone.promise, closed.promise, sourceLeft.promise]);
      },
    );
  },
);

test('a stream that ends by itself runs the closed callback, not the client-gone one', WAITS, async () => {
  const closed = signal();
  let clientGone = false;
  await withStream(
    () => ({
      batches: batchesOf([item(1)]),
      options: { onClientGone: () => (clientGone = true), onClosed: closed.resolve },
    }),
    async (url) => {
      await (await fetch(url)).text();
      await closed.promise;
    },
  );
  assert.equal(clientGone, false);
});

test('a failing source ends the stream with its failure frame, or without one cuts the connection', async () => {
  const failing = () =>
    (async function* () {
      yield [item(1)];
      throw new Error('the source broke');
    })();
  const ended = await withStream(
    () => ({ batches: failing(), options: { failureFrame: () => formatFrame({ data: 'failed' }), last: DONE_FRAME } }),
    async (url) => (await fetch(url)).text(),
  );
  assert.equal(ended, 'id: 1\ndata: item 1\n\ndata: failed\n\n');

  await withStream(
    () => ({ batches: failing(), options: { last: DONE_FRAME } }),
    async (url) => {
      const response = await fetch(url);
      await assert.rejects(response.text(), 'the client sees the stream broke off');
    },
  );
});
