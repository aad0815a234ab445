// The real AI SDK providers, built by the registry, talking HTTP to the fake provider on loopback.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateText, type ModelMessage, streamText } from 'ai';
import { readEnvironment } from '../../src/config/env.ts';
import { createProviderRegistry, type ModelReference } from '../../src/providers/provider-registry.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';

// The fake's model ids are unknown to the SDK, which would warn about them on stderr.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

// Short enough for a fast test, long enough that a loaded machine never trips it on a healthy stream.
const QUIET_LIMIT_MS = 500;
const quietLimit = { CHORUS_PROVIDER_TIMEOUT_MS: String(QUIET_LIMIT_MS) };

let fake: FakeProvider;
before(async () => {
  fake = await startFakeProvider();
});
after(() => fake.close());
beforeEach(() => fake.reset());

function registryOnFake(extra: Record<string, string> = {}) {
  return createProviderRegistry(
    readEnvironment({
      OPENAI_API_KEY: 'sk-openai-test',
      OPENAI_BASE_URL: fake.baseURL,
      ANTHROPIC_API_KEY: 'sk-anthropic-test',
      ANTHROPIC_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_LOCALAI_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_LOCALAI_API_KEY: 'sk-localai-test',
      CHORUS_PROVIDER_TIMEOUT_MS: '30000',
      ...extra,
    }),
  );
}

const model = (provider: string, providerModelId: string): ModelReference => ({
  id: `${provider}:${providerModelId}`,
  provider,
  providerModelId,
});

const conversation: ModelMessage[] = [
  { role: 'user', content: 'Hello?' },
  { role: 'assistant', content: 'Hi.' },
  { role: 'user', content: 'Tell me something.' },
];

/** Reads a whole stream: the text pieces in order, and the error or abort that ended it, if any. */
async function readStream(result: ReturnType<typeof streamText>) {
  const pieces: string[] = [];
  let error: unknown;
  let aborted = false;
  try {
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta') pieces.push(part.text);
      if (part.type === 'error') error = part.error;
      if (part.type === 'abort') aborted = true;
    }
  } catch (thrown) {
    error = thrown;
  }
  return { pieces, error, aborted };
}

describe('streaming through the real providers against the fake', () => {
  test('the OpenAI chat model streams the reply piece by piece, with usage, and sends the conversation', async () => {
    const registry = registryOnFake();
    fake.scriptModel('gpt-test', {
      reply: 'Octopuses have three hearts.',
      chunkSize: 5,
      usage: { inputTokens: 40, outputTokens: 7, cachedInputTokens: 16 },
    });

    const result = streamText({
      model: registry.languageModel(model('openai', 'gpt-test')),
      instructions: 'Be brief.',
      messages: conversation,
      ...registry.callSettings,
    });
    const { pieces, error } = await readStream(result);

    assert.equal(error, undefined);
    assert.deepEqual(pieces, ['Octop', 'uses ', 'have ', 'three', ' hear', 'ts.']);
    const usage = await result.usage;
    assert.equal(usage.inputTokens, 40);
    assert.equal(usage.inputTokenDetails.cacheReadTokens, 16);
    assert.equal(usage.outputTokens, 7);
    assert.equal(await result.finishReason, 'stop');

    const [sent] = fake.requestsFor('gpt-test');
    assert.ok(sent);
    assert.equal(sent.api, 'openai');
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.body.stream_options, { include_usage: true });
    assert.equal(sent.headers.authorization, 'Bearer sk-openai-test');
    assert.deepEqual(sent.messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hello?' },
      { role: 'assistant', content: 'Hi.' },
      { role: 'user', content: 'Tell me something.' },
    ]);
  });

  test('a declared OpenAI-compatible server is called with its key and asked for usage', async () => {
    const registry = registryOnFake();
    fake.scriptModel('llama3.1:8b', { reply: 'Local reply.' });

    const result = streamText({
      model: registry.languageModel(model('localai', 'llama3.1:8b')),
      messages: conversation,
    });

    assert.equal(await result.text, 'Local reply.');
    assert.equal((await result.usage).outputTokens, 3);
    const [sent] = fake.requestsFor('llama3.1:8b');
    assert.equal(sent?.headers.authorization, 'Bearer sk-localai-test');
    assert.deepEqual(sent?.body.stream_options, { include_usage: true });
  });

  test('the Anthropic messages model streams from the fake Messages endpoint', async () => {
    const registry = registryOnFake();
    fake.scriptModel('claude-test', {
      reply: 'Bonjour from Claude.',
      chunkSize: 3,
      usage: { inputTokens: 30, outputTokens: 6, cachedInputTokens: 10 },
    });

    const result = streamText({
      model: registry.languageModel(model('anthropic', 'claude-test')),
      instructions: 'Be brief.',
      messages: conversation,
      maxOutputTokens: 256,
    });
    const { pieces, error } = await readStream(result);

    assert.equal(error, undefined);
    assert.equal(pieces.join(''), 'Bonjour from Claude.');
    assert.equal(pieces.length, 7);
    const usage = await result.usage;
    assert.deepEqual([usage.inputTokens, usage.inputTokenDetails.cacheReadTokens, usage.outputTokens], [30, 10, 6]);
    const [sent] = fake.requestsFor('claude-test');
    assert.equal(sent?.api, 'anthropic');
    assert.equal(sent?.headers['x-api-key'], 'sk-anthropic-test');
    assert.deepEqual(sent?.body.system, [{ type: 'text', text: 'Be brief.' }]);
    assert.equal(sent?.messages.length, 3);
  });

  test('a non-streaming call gets the whole reply and its usage', async () => {
    const registry = registryOnFake();
    fake.scriptModel('gpt-test', { reply: 'All at once.', usage: { inputTokens: 5, outputTokens: 3 } });

    const result = await generateText({ model: registry.languageModel(model('openai', 'gpt-test')), prompt: 'Go' });

    assert.equal(result.text, 'All at once.');
    assert.deepEqual([result.usage.inputTokens, result.usage.outputTokens], [5, 3]);
    assert.equal(fake.requestsFor('gpt-test')[0]?.stream, false);
  });
});

describe('provider failures', () => {
  for (const failure of [
    { status: 429, label: '429 with Retry-After' },
    { status: 500, retryAfterMs: 10, label: '500' },
  ]) {
    test(`${failure.label} twice, then success: retried before the first token`, async () => {
      const registry = registryOnFake({ CHORUS_PROVIDER_MAX_RETRIES: '2' });
      fake.scriptModel('gpt-test', { reply: 'Finally.', failFirst: { count: 2, ...failure } });

      const result = streamText({
        model: registry.languageModel(model('openai', 'gpt-test')),
        prompt: 'Hi',
        ...registry.callSettings,
      });

      assert.equal(await result.text, 'Finally.');
      const attempts = fake.requestsFor('gpt-test');
      assert.deepEqual(
        attempts.map((attempt) => attempt.status),
        [failure.status, failure.status, 200],
      );
      assert.deepEqual(
        attempts.map((attempt) => attempt.outcome),
        ['failed', 'failed', 'completed'],
      );
    });
  }

  test('more failures than retries: the last status surfaces as the error', async () => {
    const registry = registryOnFake({ CHORUS_PROVIDER_MAX_RETRIES: '1' });
    fake.scriptModel('gpt-test', { failFirst: { count: 5, status: 503, retryAfterMs: 10 } });

    const result = streamText({
      model: registry.languageModel(model('openai', 'gpt-test')),
      prompt: 'Hi',
      ...registry.callSettings,
      onError: () => {},
    });
    const { pieces, error } = await readStream(result);

    assert.deepEqual(pieces, []);
    assert.match(String(error), /Failed after 2 attempts.*503/s);
    assert.equal(fake.requestsFor('gpt-test').length, 2);
  });

  test('a stream cut off mid-reply surfaces as an error after the pieces that arrived', async () => {
    const registry = registryOnFake();
    fake.scriptModel('gpt-test', { reply: 'one two three four', chunkSize: 4, cutAfterChunks: 2 });

    const { pieces, error } = await readStream(
      streamText({ model: registry.languageModel(model('openai', 'gpt-test')), prompt: 'Hi', onError: () => {} }),
    );

    assert.deepEqual(pieces, ['one ', 'two ']);
    assert.ok(error, 'the cut is an error, not a normal end');
    assert.equal(fake.requestsFor('gpt-test')[0]?.outcome, 'cut');
  });

  test('a provider that never answers is given up after CHORUS_PROVIDER_TIMEOUT_MS, with a timeout error', async () => {
    const registry = registryOnFake(quietLimit);
    fake.scriptModel('gpt-test', { hang: true });

    const started = performance.now();
    const { error } = await readStream(
      streamText({
        model: registry.languageModel(model('openai', 'gpt-test')),
        prompt: 'Hi',
        ...registry.callSettings,
        onError: () => {},
      }),
    );

    const elapsed = performance.now() - started;
    assert.equal((error as Error).name, 'TimeoutError');
    assert.ok(
      elapsed >= QUIET_LIMIT_MS - 20 && elapsed < QUIET_LIMIT_MS + 1000,
      `gave up after ${Math.round(elapsed)} ms`,
    );
    assert.equal(fake.requestsFor('gpt-test').length, 1, 'a timeout is not retried');
  });

  test('a reply that goes quiet after it started is given up too; a slow but steady one is not', async () => {
    const registry = registryOnFake(quietLimit);
    fake.scriptModel('quiet', { reply: 'abcdefgh', chunkSize: 2, chunkDelayMs: QUIET_LIMIT_MS * 3 });
    fake.scriptModel('steady', { reply: 'abcdefgh', chunkSize: 1, chunkDelayMs: QUIET_LIMIT_MS / 5 });

    const [quiet, steady] = await Promise.all(
      ['quiet', 'steady'].map((id) =>
        readStream(streamText({ model: registry.languageModel(model('openai', id)), prompt: 'Hi', onError: () => {} })),
      ),
    );

    assert.deepEqual(quiet?.pieces, ['ab']);
    assert.equal((quiet!.error as Error).name, 'TimeoutError');
    assert.equal(steady?.error, undefined);
    assert.equal(steady?.pieces.join(''), 'abcdefgh');
  });

  test('a hung request ends when the caller aborts, and the fake sees the client leave', async () => {
    const registry = registryOnFake();
    fake.scriptModel('gpt-test', { hang: true });
    const stop = new AbortController();

    const reading = readStream(
      streamText({
        model: registry.languageModel(model('openai', 'gpt-test')),
        prompt: 'Hi',
        abortSignal: stop.signal,
      }),
    );
    const [request] = await fake.waitForRequests(1);
    stop.abort();
    const { aborted, error } = await reading;

    assert.ok(aborted || (error as Error)?.name === 'AbortError', 'the stream ends as aborted');
    await waitUntil(() => request?.outcome === 'client-closed');
  });

  test('closing the fake releases requests it left hanging', async () => {
    const ownFake = await startFakeProvider({ models: { 'gpt-test': { hang: true } } });
    const registry = createProviderRegistry(readEnvironment({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: ownFake.baseURL }));

    const reading = readStream(
      streamText({
        model: registry.languageModel(model('openai', 'gpt-test')),
        prompt: 'Hi',
        maxRetries: 0,
        onError: () => {},
      }),
    );
    await ownFake.waitForRequests(1);
    await ownFake.close();

    const { error } = await reading;
    assert.ok(error, 'the request fails instead of waiting forever');
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
