// Text the database cannot store, found in any request value before it is stored: the NUL character (PostgreSQL
// text and jsonb refuse it) and a lone UTF-16 surrogate (jsonb refuses it), each named by its path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findUnstorableText } from '../../src/http/errors.ts';

test('the NUL character and lone surrogates are found in values and in keys, named by their path', () => {
  assert.equal(findUnstorableText({ a: ['fine', { b: 'fi\u0000ne' }] })?.path, 'a.1.b');
  assert.match(findUnstorableText({ a: ['fine', { b: 'fi\u0000ne' }] })!.problem, /NUL/);
  assert.equal(findUnstorableText({ a: 'x\ud800y' })?.path, 'a');
  assert.match(findUnstorableText({ a: 'x\ud800y' })!.problem, /lone surrogate/);
  assert.equal(findUnstorableText({ a: 'tail \udc00' })?.path, 'a');
  assert.equal(findUnstorableText({ 'key\ud800': 1 })?.path, 'key\ud800');
  assert.equal(findUnstorableText('\u0000')?.path, '', 'the value itself');
});

test('whole pairs, emoji and every other character are text', () => {
  assert.equal(
    findUnstorableText({ text: 'a 😀 pair, 中文, \u00a0, \ufffd', list: [1, true, null, { deeper: ['é'] }] }),
    null,
  );
});

test('the first problem in reading order is the one named', () => {
  assert.equal(findUnstorableText(['ok', ['x\u0000'], 'y\u0000'])?.path, '1.0');
});

test('a value nested however deep is walked without overflowing the stack', () => {
  let deep: unknown = 'bottom\u0000';
  for (let depth = 0; depth < 200_000; depth++) deep = [deep];
  const found = findUnstorableText(deep);
  assert.equal(found?.path.split('.').length, 200_000);
  assert.match(found!.problem, /NUL/);
});
