import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { LanguageModelUsage } from 'ai';
import { priceUsage, tokenUsageFromLanguageModelUsage } from '../../src/models/pricing.ts';

const gpt4o = { input: 2.5, output: 10, cacheRead: 1.25 };

describe('pricing a reply (USD per 1M tokens)', () => {
  test('a million input and a million output tokens cost exactly the listed prices', () => {
    assert.equal(priceUsage(gpt4o, { inputTokens: 1_000_000, outputTokens: 0 }), 2.5);
    assert.equal(priceUsage(gpt4o, { inputTokens: 0, outputTokens: 1_000_000 }), 10);
    assert.equal(priceUsage(gpt4o, { inputTokens: 1_000_000, outputTokens: 1_000_000 }), 12.5);
  });

  test('a small reply: 1,234 in (200 of them cached) and 567 out', () => {
    // (1,034 × 2.5 + 200 × 1.25 + 567 × 10) / 1,000,000 = (2,585 + 250 + 5,670) / 1e6
    assert.equal(priceUsage(gpt4o, { inputTokens: 1234, outputTokens: 567, cachedInputTokens: 200 }), 0.008505);
  });

  test('cached tokens are part of the input, not added to it', () => {
    const allCached = priceUsage(gpt4o, { inputTokens: 1000, outputTokens: 0, cachedInputTokens: 1000 });
    assert.equal(allCached, 0.00125);
  });

  test('without a cache price, cached tokens cost the ordinary input price', () => {
    for (const cacheRead of [null, undefined]) {
      const pricing = { input: 3, output: 15, cacheRead };
      assert.equal(priceUsage(pricing, { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400 }), 0.0045);
      assert.equal(
        priceUsage(pricing, { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400 }),
        priceUsage(pricing, { inputTokens: 1000, outputTokens: 100 }),
      );
    }
  });

  test('a cache price of zero makes cached tokens free', () => {
    assert.equal(
      priceUsage({ input: 1, output: 2, cacheRead: 0 }, { inputTokens: 500, outputTokens: 0, cachedInputTokens: 500 }),
      0,
    );
  });

  test('zero usage and free models cost nothing', () => {
    assert.equal(priceUsage(gpt4o, { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }), 0);
    assert.equal(priceUsage({ input: 0, output: 0 }, { inputTokens: 123_456, outputTokens: 7890 }), 0);
  });

  test('floating-point noise is rounded away at the 10 decimals messages.cost_usd keeps', () => {
    // 0.1 + 0.2 per million would be 3.0000000000000004e-7 in plain double arithmetic.
    assert.equal(priceUsage({ input: 0.1, output: 0.2 }, { inputTokens: 1, outputTokens: 1 }), 0.0000003);
    assert.equal(priceUsage({ input: 0.15, output: 0.6 }, { inputTokens: 3, outputTokens: 7 }), 0.00000465);
  });

  test('cached tokens beyond the input (a provider miscount) are capped at the input', () => {
    assert.equal(priceUsage(gpt4o, { inputTokens: 100, outputTokens: 0, cachedInputTokens: 500 }), 0.000125);
  });
});

describe('reading an AI SDK usage object', () => {
  const usage = (overrides: Partial<LanguageModelUsage>): LanguageModelUsage => ({
    inputTokens: undefined,
    inputTokenDetails: { noCacheTokens: undefined, cacheReadTokens: undefined, cacheWriteTokens: undefined },
    outputTokens: undefined,
    outputTokenDetails: { textTokens: undefined, reasoningTokens: undefined },
    totalTokens: undefined,
    ...overrides,
  });

  test('takes the totals and the cache reads', () => {
    const read = tokenUsageFromLanguageModelUsage(
      usage({
        inputTokens: 1234,
        inputTokenDetails: { noCacheTokens: 1034, cacheReadTokens: 200, cacheWriteTokens: undefined },
        outputTokens: 567,
        totalTokens: 1801,
      }),
    );
    assert.deepEqual(read, { inputTokens: 1234, outputTokens: 567, cachedInputTokens: 200 });
  });

  test('missing counts are zero; a missing input total is the sum of its parts', () => {
    assert.deepEqual(tokenUsageFromLanguageModelUsage(usage({})), {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
    });
    assert.deepEqual(tokenUsageFromLanguageModelUsage(undefined), {
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
    });
    assert.deepEqual(
      tokenUsageFromLanguageModelUsage(
        usage({ inputTokenDetails: { noCacheTokens: 70, cacheReadTokens: 20, cacheWriteTokens: 10 }, outputTokens: 5 }),
      ),
      { inputTokens: 100, outputTokens: 5, cachedInputTokens: 20 },
    );
  });
});
