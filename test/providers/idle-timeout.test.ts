// The idle timeout of provider calls (fetchWithIdleTimeout) against a real HTTP server on loopback: it gives up on
// a provider that is quiet, and only on one that is — not on a server too busy to read what arrived, nor on a
// reader that takes its time.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fetchWithIdleTimeout } from '../../src/providers/idle-timeout.ts';

const TIMEOUT_MS = 150;

/** Keeps the event loop busy, as thousands of replies set up at once do (PGlite answers in microtasks). */
function blockEventLoop(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('the idle timeout of provider calls', () => {
  let baseUrl: string;
  /** The response of the request in progress, written by each test as it likes. */
  let answering: Promise<ServerResponse>;
  let answer: (response: ServerResponse) => void;
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    answer(response);
  });
  const nextAnswer = () => {
    answering = new Promise((resolve) => (answer = resolve));
  };

  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const open = async () => {
    nextAnswer();
    const response = await fetchWithIdleTimeout(TIMEOUT_MS)(baseUrl);
    return { reader: response.body!.getReader(), provider: await answering };
  };
  const text = (chunk: Uint8Array | undefined) => new TextDecoder().decode(chunk);

  test('a provider that goes quiet is given up with a TimeoutError', async () => {
    const { reader, provider } = await open();
    provider.write('first');
    assert.equal(text((await reader.read()).value), 'first');
    const started = performance.now();
    await assert.rejects(reader.read(), (error: Error) => error.name === 'TimeoutError');
    assert.ok(performance.now() - started >= TIMEOUT_MS - 5);
    provider.end();
  });

  test('bytes that arrived while the event loop was blocked are read, not mistaken for silence', async () => {
    const { reader, provider } = await open();
    provider.write('first');
    assert.equal(text((await reader.read()).value), 'first');
    const next = reader.read();
    // The provider answers at once, but this process is too busy to read it for several times the limit.
    provider.write('second');
    blockEventLoop(TIMEOUT_MS * 4);
    assert.equal(text((await next).value), 'second');
    provider.end();
    assert.equal((await reader.read()).done, true);
  });

  test('a provider quiet while the loop was blocked is still given up, once the loop could look', async () => {
    const { reader, provider } = await open();
    provider.write('first');
    assert.equal(text((await reader.read()).value), 'first');
    const started = performance.now();
    const next = reader.read();
    blockEventLoop(TIMEOUT_MS * 3);
    await assert.rejects(next, (error: Error) => error.name === 'TimeoutError');
    const elapsed = performance.now() - started;
    assert.ok(elapsed < TIMEOUT_MS * 3 + TIMEOUT_MS * 2 + 500, `gave up after ${Math.round(elapsed)} ms`);
    provider.end();
  });

  test('a reader that takes its time between chunks is not mistaken for a quiet provider', async () => {
    const { reader, provider } = await open();
    provider.write('first');
    assert.equal(text((await reader.read()).value), 'first');
    provider.write('second');
    // Busy elsewhere (another reply, a slow client) for longer than the limit, while the provider's bytes wait.
    await sleep(TIMEOUT_MS * 3);
    assert.equal(text((await reader.read()).value), 'second');
    provider.end();
    assert.equal((await reader.read()).done, true);
  });
});
