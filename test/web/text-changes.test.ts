// The document panel's pure text work: the line diff between two versions and where suggestions sit in a text.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type DiffLine, diffLines, placeSuggestions } from '../../web/src/documents/text-changes.ts';

const shown = (lines: DiffLine[]) =>
  lines.map(({ change, text }) => `${{ same: ' ', added: '+', removed: '-' }[change]}${text}`);

describe('the line diff between two versions', () => {
  test('identical texts are all kept', () => {
    assert.deepEqual(shown(diffLines('a\nb', 'a\nb')), [' a', ' b']);
  });

  test('a changed line in the middle is removed then added, the rest kept', () => {
    assert.deepEqual(shown(diffLines('one\ntwo\nthree', 'one\n2\nthree')), [' one', '-two', '+2', ' three']);
  });

  test('lines added and removed in several places are matched by what the texts share', () => {
    assert.deepEqual(shown(diffLines('a\nb\nc\nd\ne', 'a\nc\nd\nx\ne\nf')), [' a', '-b', ' c', ' d', '+x', ' e', '+f']);
  });

  test('from nothing, everything is added; to nothing, everything removed', () => {
    assert.deepEqual(shown(diffLines('', 'new\nlines')), ['+new', '+lines']);
    assert.deepEqual(shown(diffLines('old', '')), ['-old']);
  });

  test('reading the removed and the kept lines gives the old text; the added and kept, the new', () => {
    const before = 'Tea\nis\nwarm\nand\nkind\n';
    const after = 'Tea\nis\nhot\nand\nvery\nkind\n';
    const lines = diffLines(before, after);
    const side = (change: DiffLine['change']) =>
      lines
        .filter((line) => line.change !== change)
        .map((line) => line.text)
        .join('\n');
    assert.equal(side('added'), before);
    assert.equal(side('removed'), after);
  });
});

describe('suggestions placed in the text', () => {
  const suggestion = (id: string, originalText: string) => ({ id, originalText });

  test('each sits at the first occurrence of its original text, in reading order', () => {
    const { pieces, unplaced } = placeSuggestions('Tea is warm. Tea is kind.', [
      suggestion('kind', 'kind'),
      suggestion('warm', 'warm'),
    ]);
    assert.deepEqual(
      pieces.map((piece) => [piece.text, piece.suggestion?.id ?? null]),
      [
        ['Tea is ', null],
        ['warm', 'warm'],
        ['. Tea is ', null],
        ['kind', 'kind'],
        ['.', null],
      ],
    );
    assert.deepEqual(unplaced, []);
  });

  test('a suggestion whose text is gone, or overlaps one placed before it, is left unplaced', () => {
    const gone = suggestion('gone', 'coffee');
    const overlapping = suggestion('overlap', 'is warm');
    const { pieces, unplaced } = placeSuggestions('Tea is warm', [suggestion('tea', 'Tea is'), overlapping, gone]);
    assert.deepEqual(
      pieces.map((piece) => piece.text),
      ['Tea is', ' warm'],
    );
    assert.deepEqual(
      unplaced.map((item) => item.id),
      ['gone', 'overlap'],
    );
  });
});
