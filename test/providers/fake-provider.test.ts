// The fake provider is shared test infrastructure: its scripting must do what it promises.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createAnthropic } from '@ai-sdk/anthropic';
import { streamText } from 'ai';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';

let fake: FakeProvider;
before(async () => {
  fake = await startFakeProvider({ defaults: { reply: 'default reply' }, models: { alpha: { reply: 'alpha reply' } } });
});
after(() => fake.close());
beforeEach(() => fake.reset());

async function complete(model: string): Promise<{ status: number; text?: string }> {
  const response = await fetch(`${fake.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await response.json()) as { choices?: { message: { content: string } }[] };
  return { status: response.status, text: body.choices?.[0]?.message.content };
}

describe('the fake provider', () => {
  test('lists its scripted models at GET /v1/models and answers unknown routes with 404', async () => {
    const models = (await (await fetch(`${fake.baseURL}/models`)).json()) as { data: { id: string }[] };
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['alpha'],
    );
    assert.equal((await fetch(`${fake.baseURL}/embeddings`, { method: 'POST', body: '{}' })).status, 404);
  });

  test('a next-request override applies once, for its model only, then the script holds again', async () => {
    fake.scriptNextRequest({ reply: 'just once' }, 'alpha');
    fake.scriptNextRequest({ failFirst: { count: 1, status: 500 } });

    assert.deepEqual(await complete('beta'), { status: 500, text: undefined });
    assert.deepEqual(await complete('alpha'), { status: 200, text: 'just once' });
    assert.deepEqual(await complete('alpha'), { status: 200, text: 'alpha reply' });
    assert.deepEqual(await complete('beta'), { status: 200, text: 'default reply' });
  });

  test('records each request in arrival order with when it arrived and when its answer ended', async () => {
    fake.scriptNextRequest({ firstChunkDelayMs: 300 }, 'alpha');
    const slowOne = complete('alpha');
    // The second is sent once the first has arrived, and has all of the first's delay to overtake it.
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([slowOne, complete('beta')]);

    const [slow, quick] = fake.requests;
    assert.deepEqual([slow?.model, quick?.model], ['alpha', 'beta']);
    assert.ok(slow!.receivedAt < quick!.receivedAt);
    assert.ok(quick!.finishedAt! < slow!.finishedAt!, 'the delayed answer ended last');
    assert.ok(slow!.finishedAt! - slow!.receivedAt >= 295);
  });

  test('the real Anthropic provider retries an overloaded fake and then streams', async () => {
    (globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;
    fake.scriptNextRequest({ failFirst: { count: 1, status: 529, retryAfterMs: 5 } }, 'claude-test');
    const anthropic = createAnthropic({ apiKey: 'k', baseURL: fake.baseURL });

    const result = streamText({ model: anthropic.messages('claude-test'), prompt: 'hi', maxOutputTokens: 100 });

    assert.equal(await result.text, 'default reply');
    assert.deepEqual(
      fake.requestsFor('claude-test').map((request) => request.status),
      [529, 200],
    );
  });
});
