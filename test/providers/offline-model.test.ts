import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { generateText, type ModelMessage, streamText } from 'ai';
import { readEnvironment } from '../../src/config/env.ts';
import { createOfflineModel } from '../../src/providers/offline-model.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';
import { estimateTokens } from '../../src/providers/token-estimate.ts';

const echoReference = { id: 'local:echo', provider: 'local', providerModelId: 'echo' };
const conversation: ModelMessage[] = [
  { role: 'user', content: 'Hello?' },
  { role: 'assistant', content: 'Hi.' },
  { role: 'user', content: 'What is the capital of France?' },
];

describe('the offline model local:echo', () => {
  test('streams, piece by piece, an honest reply that it is not an AI and no key is configured, then echoes', async () => {
    const echo = createProviderRegistry(readEnvironment({})).languageModel(echoReference);

    const result = streamText({ model: echo, messages: conversation });
    const pieces: string[] = [];
    for await (const piece of result.textStream) pieces.push(piece);
    const text = pieces.join('');

    assert.ok(pieces.length > 20, `streamed in small pieces (${pieces.length})`);
    assert.ok(
      pieces.every((piece) => piece.trim().split(/\s+/).length <= 1),
      'one word a piece',
    );
    assert.match(text, /^This is Chorus's built-in offline model\. It is not an AI/);
    assert.match(text, /No AI provider key is configured on this server/);
    assert.ok(text.endsWith('You wrote:\n\nWhat is the capital of France?'), text);
    assert.equal(await result.finishReason, 'stop');
    const usage = await result.usage;
    assert.equal(usage.inputTokens, estimateTokens('Hello?\nHi.\nWhat is the capital of France?'));
    assert.equal(usage.outputTokens, estimateTokens(text));
  });

  test('when real providers are configured it points to them instead', async () => {
    const registry = createProviderRegistry(readEnvironment({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }));

    const result = await generateText({ model: registry.languageModel(echoReference), prompt: 'Ping' });

    assert.match(result.text, /It is not an AI/);
    assert.match(result.text, /AI providers configured \(anthropic, openai\)/);
    assert.doesNotMatch(result.text, /No AI provider key/);
    assert.ok(result.text.endsWith('You wrote:\n\nPing'));
  });

  test('answers without streaming too, with the same text and usage', async () => {
    const model = createOfflineModel();
    const streamed = streamText({ model, messages: conversation });
    const generated = await generateText({ model, messages: conversation });

    assert.equal(generated.text, await streamed.text);
    assert.equal(generated.finishReason, 'stop');
    assert.deepEqual(
      [generated.usage.inputTokens, generated.usage.outputTokens],
      [(await streamed.usage).inputTokens, (await streamed.usage).outputTokens],
    );
  });

  test('stops streaming when aborted', async () => {
    const model = createOfflineModel({ chunkDelayMs: 5 });
    const stop = new AbortController();

    const result = streamText({ model, prompt: 'Echo this please', abortSignal: stop.signal });
    const pieces: string[] = [];
    let aborted = false;
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') pieces.push(part.text);
      if (part.type === 'abort') aborted = true;
      if (pieces.length === 3) stop.abort();
    }

    assert.equal(aborted, true);
    assert.ok(pieces.length >= 3 && pieces.length <= 4, `stopped after ${pieces.length} pieces`);
  });

  test('its raw stream fails with the abort reason, and an aborted call does not start', async () => {
    const model = createOfflineModel();
    const stop = new AbortController();
    const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'hi' }] }];
    const { stream } = await model.doStream({ prompt, abortSignal: stop.signal });
    const reader = stream.getReader();
    assert.equal((await reader.read()).value?.type, 'stream-start');

    stop.abort(new Error('stopped by the user'));

    await assert.rejects(reader.read(), /stopped by the user/);
    await assert.rejects(async () => model.doGenerate({ prompt, abortSignal: stop.signal }), /stopped by the user/);
  });

  test('says so when there is nothing to echo', async () => {
    const model = createOfflineModel();
    const result = await generateText({
      model,
      messages: [
        { role: 'user', content: [{ type: 'file', data: new Uint8Array([1, 2, 3]), mediaType: 'image/png' }] },
      ],
    });
    assert.ok(result.text.endsWith('You wrote:\n\n(your message had no text)'));
  });

  test('respects maxOutputTokens, finishing with reason length', async () => {
    const result = await generateText({ model: createOfflineModel(), prompt: 'Hi', maxOutputTokens: 5 });
    assert.equal(result.text.length, 20);
    assert.equal(result.finishReason, 'length');
  });
});
