// Fitting a prompt into a model's context window: the oldest turns go first, the newest always stays, and the prompt
// never begins with a tool result whose call was dropped (providers refuse one).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelMessage } from 'ai';
import { fitToContextWindow } from '../../src/chat/history.ts';

/** About `tokens` tokens of text (four characters each). */
const words = (tokens: number) => 'word'.repeat(tokens);

const call: ModelMessage = {
  role: 'assistant',
  content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'lookup', input: { q: words(40) } }],
};
const result: ModelMessage = {
  role: 'tool',
  content: [{ type: 'tool-result', toolCallId: 'call-1', toolName: 'lookup', output: { type: 'text', value: 'x' } }],
};

describe('fitting a prompt to the context window', () => {
  test('a prompt that fits is left whole', () => {
    const prompt: ModelMessage[] = [
      { role: 'user', content: words(10) },
      { role: 'assistant', content: words(10) },
      { role: 'user', content: words(10) },
    ];
    assert.deepEqual(fitToContextWindow(prompt, 1_000, 100), prompt);
  });

  test('the oldest turns are dropped until it fits; the newest stays even when alone too long', () => {
    const prompt: ModelMessage[] = [
      { role: 'user', content: words(50) },
      { role: 'assistant', content: words(50) },
      { role: 'user', content: words(50) },
    ];
    assert.deepEqual(fitToContextWindow(prompt, 120, 10), prompt.slice(1));
    assert.deepEqual(fitToContextWindow(prompt, 60, 10), prompt.slice(2));
    assert.deepEqual(fitToContextWindow(prompt, 10, 10), prompt.slice(2));
  });

  test('a tool result whose call was dropped is dropped with it', () => {
    const question: ModelMessage = { role: 'user', content: words(5) };
    const answer: ModelMessage = { role: 'assistant', content: words(5) };
    const next: ModelMessage = { role: 'user', content: words(5) };
    const prompt = [question, call, result, answer, next];
    // Room for everything but the question and the call: cutting there would leave the result first.
    const fitted = fitToContextWindow(prompt, 60, 0);
    assert.deepEqual(fitted, [answer, next]);
    assert.notEqual(fitted[0]!.role, 'tool');
  });
});
