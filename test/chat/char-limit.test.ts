import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CharLimitedText, cutAtWordBoundary } from '../../src/chat/char-limit.ts';

describe('character limit', () => {
  test('a text over the limit is cut where a word ends; a text within it is untouched', () => {
    assert.equal(cutAtWordBoundary('one two three', 20), 'one two three');
    assert.equal(cutAtWordBoundary('one two three', 9), 'one two');
    assert.equal(cutAtWordBoundary('one two three', 7), 'one two');
    assert.equal(cutAtWordBoundary('one two   three', 10), 'one two');
    assert.equal(cutAtWordBoundary('abcdefghij', 4), 'abcd', 'one word longer than the limit: a hard cut');
  });

  test('streaming under a limit shows whole words only, and what was shown is exactly what is kept', () => {
    const limited = new CharLimitedText(12);
    const shown = ['one t', 'wo thr', 'ee four five'].map((delta) => limited.push(delta)).join('') + limited.flush();
    assert.equal(limited.text, 'one two');
    assert.equal(shown, limited.text);
    assert.equal(limited.truncated, true);
    assert.equal(limited.push(' more'), '', 'nothing after the cut');
  });

  test('a reply that ends within the limit is shown whole; without a limit every delta passes at once', () => {
    const within = new CharLimitedText(100);
    const shown = ['short ', 'reply'].map((delta) => within.push(delta)).join('') + within.flush();
    assert.equal(shown, 'short reply');
    assert.equal(within.truncated, false);
    const unlimited = new CharLimitedText(null);
    assert.equal(unlimited.push('par'), 'par');
    assert.equal(unlimited.flush(), '');
  });
});
