// Web search, provider by provider, as what a model call takes (model-stream.ts): a search tool the provider runs
// itself (OpenAI, Anthropic, Google) or OpenRouter's web plugin. Other providers have none; their models lack the
// web_search capability, so a request for it was refused before it got here. Pure: no keys, no calls.
import { anthropic } from '@ai-sdk/anthropic';
import { google } from '@ai-sdk/google';
import { openai } from '@ai-sdk/openai';
import type { SharedV4ProviderOptions } from '@ai-sdk/provider';
import type { ToolSet } from 'ai';
import type { ModelReference } from './provider-registry.ts';

export type WebSearchContextSize = 'low' | 'medium' | 'high';

/** What to add to the provider call; null when the provider offers no web search. */
export type WebSearchCallOptions = { tools?: ToolSet; providerOptions?: SharedV4ProviderOptions };

/** Anthropic has no context size: a larger one allows Claude more searches per reply. */
const ANTHROPIC_MAX_SEARCHES: Record<WebSearchContextSize, number> = { low: 1, medium: 3, high: 5 };
/** OpenRouter's plugin takes a number of results (its default is 5). */
const OPENROUTER_MAX_RESULTS: Record<WebSearchContextSize, number> = { low: 3, medium: 5, high: 10 };

export function webSearchCallOptions(
  model: Pick<ModelReference, 'provider'>,
  contextSize: WebSearchContextSize,
): WebSearchCallOptions | null {
  switch (model.provider) {
    case 'openai':
      // Only the Responses API has this tool: the registry gives a Responses model when asked with `webSearch`.
      return { tools: { web_search: openai.tools.webSearch({ searchContextSize: contextSize }) } };
    case 'anthropic':
      return {
        tools: { web_search: anthropic.tools.webSearch_20250305({ maxUses: ANTHROPIC_MAX_SEARCHES[contextSize] }) },
      };
    case 'google':
      // Grounding with Google Search has no size to choose.
      return { tools: { google_search: google.tools.googleSearch({}) } };
    case 'openrouter':
      return {
        providerOptions: {
          openrouter: {
            plugins: [{ id: 'web', max_results: OPENROUTER_MAX_RESULTS[contextSize] }],
            // Models that search natively (OpenAI, Perplexity through OpenRouter) take the size as it is.
            web_search_options: { search_context_size: contextSize },
          },
        },
      };
    default:
      return null;
  }
}
