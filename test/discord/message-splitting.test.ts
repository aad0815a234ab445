import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DISCORD_MESSAGE_LIMIT, openFenceAfter, splitMessage } from '../../src/discord/message-splitting.ts';

const words = (count: number, word = 'word') => Array.from({ length: count }, () => word).join(' ');

/** The pieces joined again, less the fences the split added (a close ending one piece, a reopen starting the next). */
function rejoined(pieces: string[]): string {
  let joined = pieces[0]!;
  for (const piece of pieces.slice(1)) {
    const reopen = /^```[^\s`]*\n/.exec(piece);
    if (reopen && joined.endsWith('\n```')) joined = `${joined.slice(0, -4)}\n${piece.slice(reopen[0].length)}`;
    else joined = `${joined}\n${piece}`;
  }
  return joined;
}
const squashed = (text: string) => text.replace(/\s+/g, ' ').trim();

describe('splitting a reply into Discord messages', () => {
  test('a text within the limit is one message, untouched', () => {
    assert.deepEqual(splitMessage('Hello there.'), ['Hello there.']);
    const full = 'x'.repeat(DISCORD_MESSAGE_LIMIT);
    assert.deepEqual(splitMessage(full), [full]);
  });

  test('a long text is cut at a paragraph when there is one, and nothing is lost', () => {
    const first = words(250);
    const second = words(250, 'other');
    const pieces = splitMessage(`${first}\n\n${second}`);
    assert.deepEqual(pieces, [first, second]);
  });

  test('without a paragraph, at the end of a sentence; without one, between words', () => {
    const sentences = Array.from({ length: 60 }, (_, index) => `Sentence number ${index} is here.`).join(' ');
    const bySentence = splitMessage(sentences, 200);
    for (const piece of bySentence) {
      assert.ok(piece.length <= 200);
      assert.match(piece, /^Sentence number \d+ is here\.( Sentence number \d+ is here\.)*$/);
    }
    assert.equal(bySentence.join(' '), sentences);
    const byWord = splitMessage(words(100, 'abcdefg'), 50);
    for (const piece of byWord) assert.match(piece, /^abcdefg( abcdefg)*$/);
    assert.equal(byWord.join(' '), words(100, 'abcdefg'));
  });

  test('a word longer than a message is cut where it must be', () => {
    const pieces = splitMessage('y'.repeat(4_500));
    assert.deepEqual(
      pieces.map((piece) => piece.length),
      [2_000 - 4, 2_000 - 4, 4_500 - 2 * (2_000 - 4)],
    );
    assert.equal(pieces.join(''), 'y'.repeat(4_500));
  });

  test('a 5,000-character reply with a code block across the cut: every piece ≤ 2,000, the block closed and reopened', () => {
    const prose = `${words(180, 'prose')}.\n\n`;
    const code = Array.from({ length: 160 }, (_, index) => `const value${index} = ${index}; // line`).join('\n');
    const reply = `${prose}\`\`\`ts\n${code}\n\`\`\`\n\nAfter the code.`;
    assert.ok(reply.length > 5_000);
    const pieces = splitMessage(reply);
    assert.ok(pieces.length >= 3);
    for (const piece of pieces) {
      assert.ok(piece.length <= DISCORD_MESSAGE_LIMIT, `a piece of ${piece.length} characters`);
      assert.equal(openFenceAfter(piece, null), null, `every piece's code blocks are closed:\n${piece.slice(-60)}`);
    }
    assert.ok(pieces[1]!.startsWith('```ts\n'), 'the block reopens with its language');
    assert.ok(pieces.at(-1)!.endsWith('After the code.'));
    assert.equal(squashed(rejoined(pieces)), squashed(reply));
  });

  test('a piece followed by another does not change as the text grows (streaming edits only the last message)', () => {
    const reply = `${words(300, 'alpha')}. ${words(300, 'beta')}\n\n${words(300, 'gamma')}`;
    const final = splitMessage(reply);
    for (let length = 2_100; length < reply.length; length += 97) {
      const partial = splitMessage(reply.slice(0, length));
      for (let index = 0; index < partial.length - 1; index++) assert.equal(partial[index], final[index]);
    }
  });
});
