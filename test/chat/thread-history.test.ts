// Which messages a turn's models read: the main line alone, or a thread with the main line up to its root.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { historyForTurn } from '../../src/chat/thread-history.ts';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second));
const message = (id: string, second: number, threadRootId: string | null = null) => ({
  id,
  createdAt: at(second),
  threadRootId,
});

// The main line m1..m4; a thread on m2 (t1, t2) and one on m1 (u1), interleaved in time with the main line.
const conversation = [
  message('m1', 1),
  message('m2', 2),
  message('t1', 3, 'm2'),
  message('m3', 4),
  message('u1', 5, 'm1'),
  message('t2', 6, 'm2'),
  message('m4', 7),
];
const ids = (messages: { id: string }[]) => messages.map((each) => each.id);

describe('history for a turn', () => {
  test('the main line leaves every thread out', () => {
    assert.deepEqual(ids(historyForTurn(conversation, null)), ['m1', 'm2', 'm3', 'm4']);
  });

  test('a thread sees the main line up to its root, then itself: not later main messages, not other threads', () => {
    assert.deepEqual(ids(historyForTurn(conversation, 'm2')), ['m1', 'm2', 't1', 't2']);
    assert.deepEqual(ids(historyForTurn(conversation, 'm1')), ['m1', 'u1']);
  });

  test('candidates in any order come out in conversation order, ties broken by id', () => {
    const shuffled = [...conversation].reverse();
    assert.deepEqual(ids(historyForTurn(shuffled, 'm2')), ['m1', 'm2', 't1', 't2']);
    const sameMoment = [message('b', 1), message('a', 1)];
    assert.deepEqual(ids(historyForTurn(sameMoment, null)), ['a', 'b']);
  });

  test('within the limit the newest are kept, and a thread keeps its root before its own messages', () => {
    assert.deepEqual(ids(historyForTurn(conversation, null, 2)), ['m3', 'm4']);
    assert.deepEqual(ids(historyForTurn(conversation, 'm2', 3)), ['m2', 't1', 't2']);
    assert.deepEqual(ids(historyForTurn(conversation, 'm2', 2)), ['m2', 't2']);
  });

  test('a thread whose root is not among the candidates is the thread alone', () => {
    assert.deepEqual(
      ids(
        historyForTurn(
          conversation.filter((each) => each.id !== 'm2'),
          'm2',
        ),
      ),
      ['t1', 't2'],
    );
  });
});
