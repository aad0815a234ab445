import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { MemoryStreamLog } from '../../src/streams/memory-stream-log.ts';
import { RedisStreamLog } from '../../src/streams/redis-stream-log.ts';
import type { StreamLog } from '../../src/streams/stream-log.ts';

async function collect(stream: AsyncIterable<string> | null): Promise<string[]> {
  assert.ok(stream, 'the stream exists');
  const chunks: string[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

type Backend = { name: string; open: () => StreamLog };
const backends: Backend[] = [{ name: 'memory', open: () => new MemoryStreamLog() }];
if (process.env.TEST_REDIS_URL) {
  backends.push({ name: 'redis', open: () => new RedisStreamLog(process.env.TEST_REDIS_URL!) });
}

for (const backend of backends) {
  describe(`stream log (${backend.name})`, () => {
    const log = backend.open();
    // A second instance stands for another server process (same Redis); in memory it is the same one.
    const elsewhere = backend.name === 'redis' ? backend.open() : log;
    after(async () => {
      await log.close();
      if (elsewhere !== log) await elsewhere.close();
    });

    test('a finished stream replays from its first chunk, on any process', async () => {
      const id = randomUUID();
      log.append(id, 'a');
      log.append(id, 'b');
      log.end(id);
      await tick();
      assert.deepEqual(await collect(await elsewhere.read(id)), ['a', 'b']);
      assert.equal(await elsewhere.isActive(id), false);
    });

    test('a reader that joins mid-stream gets what was missed, then follows live until the end', async () => {
      const id = randomUUID();
      log.append(id, 'first');
      await tick();
      assert.equal(await elsewhere.isActive(id), true);
      const reading = collect(await elsewhere.read(id));
      for (const chunk of ['second', 'third']) {
        await tick();
        log.append(id, chunk);
      }
      log.end(id);
      assert.deepEqual(await reading, ['first', 'second', 'third']);
    });

    test('a stream that never started reads as null', async () => {
      assert.equal(await elsewhere.read(randomUUID()), null);
      assert.equal(await elsewhere.isActive(randomUUID()), false);
    });

    test('thousands of chunks written in a burst arrive complete and in order', async () => {
      const id = randomUUID();
      const chunks = Array.from({ length: 5_000 }, (_, index) => `chunk ${index}`);
      const reading = (async () => {
        let stream = await elsewhere.read(id);
        while (!stream) {
          await tick();
          stream = await elsewhere.read(id);
        }
        return collect(stream);
      })();
      for (const chunk of chunks) log.append(id, chunk);
      log.end(id);
      assert.deepEqual(await reading, chunks);
    });

    test('a batched reader takes every chunk available at once, then follows live in order', async () => {
      const id = randomUUID();
      for (const chunk of ['a', 'b', 'c']) log.append(id, chunk);
      await tick();
      const batches = await elsewhere.readBatches(id);
      assert.ok(batches, 'the stream exists');
      const iterator = batches[Symbol.asyncIterator]();
      assert.deepEqual((await iterator.next()).value, ['a', 'b', 'c']);
      const rest: string[][] = [];
      const reading = (async () => {
        for (let step = await iterator.next(); !step.done; step = await iterator.next()) rest.push(step.value);
      })();
      for (const chunk of ['d', 'e']) {
        await tick();
        log.append(id, chunk);
      }
      log.append(id, 'f');
      log.end(id);
      await reading;
      assert.ok(
        rest.every((batch) => batch.length > 0),
        'no empty batches',
      );
      assert.deepEqual(rest.flat(), ['d', 'e', 'f']);
    });

    test('an aborted reader stops following while the stream goes on', async () => {
      const id = randomUUID();
      log.append(id, 'only');
      await tick();
      const controller = new AbortController();
      const stream = await elsewhere.read(id, controller.signal);
      const seen: string[] = [];
      const reading = (async () => {
        for await (const chunk of stream!) {
          seen.push(chunk);
          controller.abort();
        }
      })();
      await reading;
      assert.deepEqual(seen, ['only']);
      log.end(id);
    });
  });
}
