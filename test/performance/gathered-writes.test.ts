import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GatheredWrites } from '../../src/performance/gathered-writes.ts';

test('a write with nothing in flight goes at once; those arriving meanwhile go together in the next', async () => {
  const batches: number[][] = [];
  let open!: () => void;
  let gate: Promise<void> | undefined = new Promise((resolve) => (open = resolve));
  const writes = new GatheredWrites<number>(async (items) => {
    batches.push(items);
    await gate;
    return items.map(() => undefined);
  });
  const first = writes.write(1);
  const rest = [2, 3, 4].map((item) => writes.write(item));
  assert.deepEqual(batches, [[1]]);
  gate = undefined;
  open();
  await Promise.all([first, ...rest]);
  assert.deepEqual(batches, [[1], [2, 3, 4]]);
  await writes.write(5);
  assert.deepEqual(batches.at(-1), [5]);
});

test("each write gets its own failure, or the whole batch's", async () => {
  let failBatch = false;
  const writes = new GatheredWrites<string>(async (items) => {
    if (failBatch) throw new Error('the database is gone');
    return items.map((item) => (item === 'bad' ? new Error(`${item} refused`) : undefined));
  });
  const outcomes = await Promise.allSettled(['good', 'bad', 'fine'].map((item) => writes.write(item)));
  assert.deepEqual(
    outcomes.map((outcome) => (outcome.status === 'fulfilled' ? 'written' : (outcome.reason as Error).message)),
    ['written', 'bad refused', 'written'],
  );
  failBatch = true;
  await assert.rejects(writes.write('good'), /the database is gone/);
  failBatch = false;
  await writes.write('good');
});
