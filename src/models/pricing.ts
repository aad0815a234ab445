// What a reply cost: a model's prices (USD per 1M tokens) applied to the tokens a provider reported.
// Pure functions, so past costs can be recomputed with the same arithmetic when prices change.
import type { LanguageModelUsage } from 'ai';
import type { ModelPricing } from '../db/schema/models.ts';

/**
 * Tokens as Chorus stores them on a message. `cachedInputTokens` are input tokens read from the
 * provider's prompt cache and are PART OF `inputTokens` (the AI SDK's convention, and OpenAI's and
 * Anthropic's as the SDK reports them), not in addition to it.
 */
export type TokenUsage = { inputTokens: number; outputTokens: number; cachedInputTokens?: number };

const TOKENS_PER_PRICE_UNIT = 1_000_000;
/** messages.cost_usd is numeric(20, 10): rounding there removes binary floating-point noise (0.1 + 0.2). */
const COST_DECIMALS = 10;

/**
 * The cost in USD. Cached input tokens are priced at `cacheRead` when the model has one, else at the
 * ordinary input price (a provider without a cache discount charges them in full); the rest of the
 * input at `input`, output at `output`. Tokens written to a cache are priced as ordinary input, since
 * the registry has no cache-write price. Rounded to 10 decimal places.
 */
export function priceUsage(pricing: ModelPricing, usage: TokenUsage): number {
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const cachedPrice = pricing.cacheRead ?? pricing.input;
  const perMillion = uncached * pricing.input + cached * cachedPrice + usage.outputTokens * pricing.output;
  return Number((perMillion / TOKENS_PER_PRICE_UNIT).toFixed(COST_DECIMALS));
}

/**
 * Reads an AI SDK (v7) usage object. A provider that reports no count gives 0; when the total input is
 * missing but its parts are present, the parts are added up.
 */
export function tokenUsageFromLanguageModelUsage(usage: LanguageModelUsage | undefined): Required<TokenUsage> {
  const details = usage?.inputTokenDetails;
  const cachedInputTokens = details?.cacheReadTokens ?? 0;
  const inputTokens =
    usage?.inputTokens ?? (details?.noCacheTokens ?? 0) + cachedInputTokens + (details?.cacheWriteTokens ?? 0);
  return { inputTokens, outputTokens: usage?.outputTokens ?? 0, cachedInputTokens };
}

/** Two usages together (a reply's model calls, step after step). */
export function addTokenUsage(a: Required<TokenUsage>, b: Required<TokenUsage>): Required<TokenUsage> {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
  };
}
