// The provider registry: which providers this server can call, built once at start-up from the validated
// environment, and the one place a model row (`openai:gpt-4o`) becomes an AI SDK language model.
// Keys live only here; nothing else reads OPENAI_API_KEY and friends.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV4 } from '@ai-sdk/provider';
import { createOpenRouter } from '@openrouter/ai-sdk-provider';
import type { Environment } from '../config/env.ts';
import { AppError } from '../errors.ts';
import type { ModelDefinition } from '../models/model-schema.ts';
import {
  anthropicTextEvents,
  chatCompletionsTextEvents,
  fetchWithCoalescedText,
} from '../performance/sse-coalescing.ts';
import { declaredModelDefinitions } from './declared-models.ts';
import { fetchWithIdleTimeout } from './idle-timeout.ts';
import { createOfflineModel, OFFLINE_PROVIDER } from './offline-model.ts';

export type ProviderEnvironment = Pick<
  Environment,
  | 'OPENAI_API_KEY'
  | 'OPENAI_BASE_URL'
  | 'ANTHROPIC_API_KEY'
  | 'ANTHROPIC_BASE_URL'
  | 'GOOGLE_GENERATIVE_AI_API_KEY'
  | 'GOOGLE_GENERATIVE_AI_BASE_URL'
  | 'OPENROUTER_API_KEY'
  | 'OPENROUTER_BASE_URL'
  | 'CHORUS_PROVIDER_TIMEOUT_MS'
  | 'CHORUS_PROVIDER_MAX_RETRIES'
> & { customProviders?: Environment['customProviders'] };

/** What the registry needs of a model row. */
export type ModelReference = Pick<ModelDefinition, 'id' | 'provider' | 'providerModelId'>;

/**
 * Settings for every provider call (model-stream.ts): how often a 429/5xx before
 * the first token is retried (CHORUS_PROVIDER_MAX_RETRIES). There is no `timeout` here on purpose: a
 * quiet provider is cut off inside the registry's fetch (see idle-timeout.ts), which the SDK's own
 * chunk timeouts cannot do.
 */
export type ProviderCallSettings = { maxRetries: number };

/** How the model will be called: with `webSearch`, it is given a web search tool (see web-search.ts). */
export type LanguageModelOptions = { webSearch?: boolean };

export type ProviderRegistry = {
  /** True for `local` and for every provider with a key (or, for custom ones, a base URL). */
  isConfigured(provider: string): boolean;
  /** Sorted provider ids, `local` included. */
  configuredProviders(): string[];
  /**
   * The AI SDK model for a registry row; AppError `unavailable` naming the model when its provider is not configured.
   * The same row and options give the same object: replies share it.
   */
  languageModel(model: ModelReference, options?: LanguageModelOptions): LanguageModelV4;
  /** The models listed in CHORUS_PROVIDER_<NAME>_MODELS, as registry rows (see declared-models.ts). */
  declaredModels(): ModelDefinition[];
  readonly callSettings: ProviderCallSettings;
};

type ModelFactory = (providerModelId: string, options: LanguageModelOptions) => LanguageModelV4;

/**
 * Language models kept for reuse. Building one is not free (~0.5 ms of CPU and ~80 KB of heap: providers compile
 * their chunk schemas per model object), and a model object holds no per-call state, so every reply of a model
 * shares one. Past this many the oldest is dropped; the registry has far fewer models than that.
 */
const MODEL_CACHE_LIMIT = 1_000;

/** The variable that turns each built-in provider on, for the error that says what to set. */
const KEY_VARIABLE: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  openrouter: 'OPENROUTER_API_KEY',
};

export function createProviderRegistry(env: ProviderEnvironment): ProviderRegistry {
  const fetch = fetchWithIdleTimeout(env.CHORUS_PROVIDER_TIMEOUT_MS);
  // Bursts of text events are merged before the SDK parses them (see sse-coalescing.ts), per wire format.
  const chatCompletionsFetch = fetchWithCoalescedText(chatCompletionsTextEvents, fetch);
  const anthropicFetch = fetchWithCoalescedText(anthropicTextEvents, fetch);
  const factories = new Map<string, ModelFactory>();

  if (env.OPENAI_API_KEY) {
    const openai = createOpenAI({
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      fetch: chatCompletionsFetch,
    });
    // Chat Completions rather than the Responses API: it is what every OpenAI-compatible endpoint speaks. Except
    // for web search: OpenAI's web search tool exists only in the Responses API.
    factories.set('openai', (id, options) => (options.webSearch ? openai.responses(id) : openai.chat(id)));
  }
  if (env.ANTHROPIC_API_KEY) {
    // As in the AI SDK, ANTHROPIC_BASE_URL includes the version: https://api.anthropic.com/v1.
    const anthropic = createAnthropic({
      apiKey: env.ANTHROPIC_API_KEY,
      baseURL: env.ANTHROPIC_BASE_URL,
      fetch: anthropicFetch,
    });
    factories.set('anthropic', (id) => anthropic.messages(id));
  }
  if (env.GOOGLE_GENERATIVE_AI_API_KEY) {
    const google = createGoogleGenerativeAI({
      apiKey: env.GOOGLE_GENERATIVE_AI_API_KEY,
      baseURL: env.GOOGLE_GENERATIVE_AI_BASE_URL,
      fetch,
    });
    factories.set('google', (id) => google.chat(id));
  }
  if (env.OPENROUTER_API_KEY) {
    // 'strict' asks OpenRouter for usage in the stream (the default 'compatible' mode omits it).
    const openrouter = createOpenRouter({
      apiKey: env.OPENROUTER_API_KEY,
      baseURL: env.OPENROUTER_BASE_URL,
      compatibility: 'strict',
      fetch: chatCompletionsFetch,
    });
    factories.set('openrouter', (id) => openrouter.chat(id));
  }
  for (const custom of env.customProviders ?? []) {
    const server = createOpenAICompatible({
      name: custom.name,
      baseURL: custom.baseURL,
      apiKey: custom.apiKey,
      includeUsage: true,
      fetch: chatCompletionsFetch,
    });
    factories.set(custom.name, (id) => server.chatModel(id));
  }

  const offlineModel = createOfflineModel({ configuredProviders: [...factories.keys()] });
  factories.set(OFFLINE_PROVIDER, (id) => {
    if (id !== offlineModel.modelId) {
      throw new AppError(
        'invalid_input',
        `model ${OFFLINE_PROVIDER}:${id} does not exist; the offline model is ${OFFLINE_PROVIDER}:${offlineModel.modelId}`,
      );
    }
    return offlineModel;
  });

  const providers = [...factories.keys()].sort();
  const declared = declaredModelDefinitions(env.customProviders ?? []);
  const built = new Map<string, LanguageModelV4>();

  return {
    isConfigured: (provider) => factories.has(provider),
    configuredProviders: () => [...providers],
    declaredModels: () => declared.map((definition) => ({ ...definition })),
    callSettings: { maxRetries: env.CHORUS_PROVIDER_MAX_RETRIES },
    languageModel(model, options = {}) {
      const key = `${model.provider}\u0000${model.providerModelId}\u0000${options.webSearch ? 'search' : ''}`;
      const cached = built.get(key);
      if (cached) return cached;
      const factory = factories.get(model.provider);
      if (!factory) throw providerNotConfigured(model);
      const languageModel = factory(model.providerModelId, options);
      if (built.size >= MODEL_CACHE_LIMIT) built.delete(built.keys().next().value!);
      built.set(key, languageModel);
      return languageModel;
    },
  };
}

function providerNotConfigured(model: ModelReference): AppError {
  const variable = KEY_VARIABLE[model.provider];
  const remedy = variable
    ? `set ${variable}`
    : `declare an OpenAI-compatible server as CHORUS_PROVIDER_${model.provider.toUpperCase().replaceAll('-', '_')}_BASE_URL`;
  return new AppError(
    'unavailable',
    `model ${model.id} cannot be used: its provider "${model.provider}" is not configured on this server (${remedy})`,
    { details: { modelId: model.id, provider: model.provider } },
  );
}
