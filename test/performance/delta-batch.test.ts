import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { batchDeltas } from '../../src/performance/delta-batch.ts';

describe('text delta batches', () => {
  test('deltas of the same tick go out together on the next turn of the event loop', async () => {
    const sent: string[] = [];
    const deltas = batchDeltas((text) => sent.push(text));
    for (const piece of ['tok ', 'tok ', 'tok ']) {
      deltas.add(piece);
      await Promise.resolve(); // the AI SDK hands parts over in microtasks
    }
    assert.deepEqual(sent, [], 'nothing is sent within the tick');
    await nextTurn();
    assert.deepEqual(sent, ['tok tok tok ']);
  });

  test('deltas of different ticks are not held back for each other', async () => {
    const sent: string[] = [];
    const deltas = batchDeltas((text) => sent.push(text));
    deltas.add('one ');
    await nextTurn();
    deltas.add('two ');
    await nextTurn();
    assert.deepEqual(sent, ['one ', 'two ']);
  });

  test('flush sends what waits at once, only once, and empty text sends nothing', async () => {
    const sent: string[] = [];
    const deltas = batchDeltas((text) => sent.push(text));
    deltas.add('');
    deltas.flush();
    deltas.add('before a source ');
    deltas.flush();
    assert.deepEqual(sent, ['before a source ']);
    await nextTurn();
    assert.deepEqual(sent, ['before a source '], 'the scheduled send found nothing left');
  });
});
