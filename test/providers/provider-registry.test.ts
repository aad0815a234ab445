import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError, readEnvironment } from '../../src/config/env.ts';
import { AppError } from '../../src/errors.ts';
import { createProviderRegistry } from '../../src/providers/provider-registry.ts';

const registryFrom = (variables: Record<string, string>) => createProviderRegistry(readEnvironment(variables));

describe('the provider registry', () => {
  test('with no keys configured, only the offline model can be used', () => {
    const registry = registryFrom({});
    assert.deepEqual(registry.configuredProviders(), ['local']);
    assert.equal(registry.isConfigured('local'), true);
    assert.equal(registry.isConfigured('openai'), false);

    const echo = registry.languageModel({ id: 'local:echo', provider: 'local', providerModelId: 'echo' });
    assert.equal(echo.specificationVersion, 'v4');
    assert.equal(echo.provider, 'local');
    assert.equal(echo.modelId, 'echo');
  });

  test('each built-in provider is available exactly when its key is set', () => {
    const cases = [
      { variable: 'OPENAI_API_KEY', provider: 'openai', sdkProvider: 'openai.chat' },
      { variable: 'ANTHROPIC_API_KEY', provider: 'anthropic', sdkProvider: 'anthropic.messages' },
      { variable: 'GOOGLE_GENERATIVE_AI_API_KEY', provider: 'google', sdkProvider: 'google.generative-ai' },
      { variable: 'OPENROUTER_API_KEY', provider: 'openrouter', sdkProvider: 'openrouter' },
    ];
    for (const { variable, provider, sdkProvider } of cases) {
      const registry = registryFrom({ [variable]: 'test-key' });
      assert.deepEqual(registry.configuredProviders(), ['local', provider].sort(), variable);
      const model = registry.languageModel({ id: `${provider}:some-model`, provider, providerModelId: 'some-model' });
      assert.equal(model.provider, sdkProvider);
      assert.equal(model.modelId, 'some-model');
      for (const other of cases.filter((entry) => entry.provider !== provider)) {
        assert.equal(
          registry.isConfigured(other.provider),
          false,
          `${variable} alone does not configure ${other.provider}`,
        );
      }
    }
  });

  test('a model whose provider is not configured is refused as unavailable, naming the model and what to set', () => {
    const registry = registryFrom({ OPENAI_API_KEY: 'test-key' });
    assert.throws(
      () =>
        registry.languageModel({
          id: 'anthropic:claude-sonnet-4-5',
          provider: 'anthropic',
          providerModelId: 'claude-sonnet-4-5',
        }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'unavailable' &&
        error.message.includes('anthropic:claude-sonnet-4-5') &&
        error.message.includes('ANTHROPIC_API_KEY'),
    );
    // Catalog providers without variables of their own are served by a declared OpenAI-compatible server.
    assert.throws(
      () =>
        registry.languageModel({ id: 'mistral:mistral-large', provider: 'mistral', providerModelId: 'mistral-large' }),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'unavailable' &&
        error.message.includes('CHORUS_PROVIDER_MISTRAL_BASE_URL'),
    );
  });

  test('the offline provider has one model; another local id is invalid input', () => {
    const registry = registryFrom({});
    assert.throws(
      () => registry.languageModel({ id: 'local:parrot', provider: 'local', providerModelId: 'parrot' }),
      (error: unknown) =>
        error instanceof AppError && error.code === 'invalid_input' && error.message.includes('local:parrot'),
    );
  });

  test('OpenAI-compatible servers are declared with CHORUS_PROVIDER_<NAME>_* and their models listed', () => {
    const registry = registryFrom({
      CHORUS_PROVIDER_OLLAMA_BASE_URL: 'http://127.0.0.1:11434/v1',
      CHORUS_PROVIDER_OLLAMA_MODELS: 'llama3.1:8b, qwen2.5',
      CHORUS_PROVIDER_LM_STUDIO_BASE_URL: 'http://127.0.0.1:1234/v1',
      CHORUS_PROVIDER_LM_STUDIO_API_KEY: 'lm-key',
    });
    assert.deepEqual(registry.configuredProviders(), ['lm-studio', 'local', 'ollama']);
    const model = registry.languageModel({
      id: 'ollama:llama3.1:8b',
      provider: 'ollama',
      providerModelId: 'llama3.1:8b',
    });
    assert.equal(model.provider, 'ollama.chat');
    assert.equal(model.modelId, 'llama3.1:8b');

    const declared = registry.declaredModels();
    assert.deepEqual(
      declared.map((definition) => definition.id),
      ['ollama:llama3.1:8b', 'ollama:qwen2.5'],
    );
    assert.deepEqual(
      { ...declared[0], description: undefined },
      {
        id: 'ollama:llama3.1:8b',
        provider: 'ollama',
        providerModelId: 'llama3.1:8b',
        name: 'llama3.1:8b',
        displayName: 'llama3.1:8b (ollama)',
        avatar: 'L',
        description: undefined,
        contextWindow: 8192,
        pricing: { input: 0, output: 0, cacheRead: null },
        capabilities: [],
        status: 'active',
        openWeights: false,
        source: 'CHORUS_PROVIDER_OLLAMA_MODELS',
        sortOrder: 1000,
      },
    );
  });

  test('a model is built once and reused by every call; web search is another model object', () => {
    const registry = registryFrom({ OPENAI_API_KEY: 'test-key' });
    const row = { id: 'openai:some-model', provider: 'openai', providerModelId: 'some-model' };
    const first = registry.languageModel(row);
    assert.equal(registry.languageModel({ ...row }), first);
    assert.equal(registry.languageModel(row, { webSearch: false }), first);
    const searching = registry.languageModel(row, { webSearch: true });
    assert.notEqual(searching, first);
    assert.equal(searching.provider, 'openai.responses');
    assert.equal(registry.languageModel(row, { webSearch: true }), searching);
    assert.notEqual(registry.languageModel({ ...row, id: 'openai:other', providerModelId: 'other' }), first);
  });

  test('retries come from CHORUS_PROVIDER_MAX_RETRIES', () => {
    assert.deepEqual(registryFrom({}).callSettings, { maxRetries: 2 });
    assert.deepEqual(registryFrom({ CHORUS_PROVIDER_MAX_RETRIES: '5' }).callSettings, { maxRetries: 5 });
  });
});

describe('custom provider variables', () => {
  const problemsOf = (variables: Record<string, string>): string => {
    try {
      readEnvironment(variables);
    } catch (error) {
      assert.ok(error instanceof ConfigurationError);
      return error.message;
    }
    assert.fail('the configuration was accepted');
  };

  test('a malformed variable stops start-up, naming the variable', () => {
    assert.match(
      problemsOf({ CHORUS_PROVIDER_OLLAMA_BASE_URL: 'localhost:11434' }),
      /CHORUS_PROVIDER_OLLAMA_BASE_URL: must be an http\(s\) URL/,
    );
    assert.match(
      problemsOf({ CHORUS_PROVIDER_VLLM_API_KEY: 'k' }),
      /CHORUS_PROVIDER_VLLM_API_KEY: needs CHORUS_PROVIDER_VLLM_BASE_URL/,
    );
    assert.match(
      problemsOf({ CHORUS_PROVIDER_VLLM_BASE_URL: 'http://vllm:8000/v1', CHORUS_PROVIDER_VLLM_MODELS: 'a,,b' }),
      /CHORUS_PROVIDER_VLLM_MODELS: must be a model id without spaces \(entry 2\)/,
    );
    assert.match(
      problemsOf({ CHORUS_PROVIDER_VLLM_BASE_URL: 'http://vllm:8000/v1', CHORUS_PROVIDER_VLLM_MODELS: 'a,b,a' }),
      /CHORUS_PROVIDER_VLLM_MODELS: lists a more than once/,
    );
    assert.match(
      problemsOf({ CHORUS_PROVIDER_OPENAI_BASE_URL: 'http://proxy/v1' }),
      /CHORUS_PROVIDER_OPENAI_BASE_URL: "openai" is a built-in provider/,
    );
  });

  test('every bad variable is reported at once, with the ordinary ones', () => {
    const message = problemsOf({ PORT: 'eighty', CHORUS_PROVIDER_A_BASE_URL: 'nope', CHORUS_PROVIDER_B_MODELS: 'x' });
    assert.match(message, /PORT:/);
    assert.match(message, /CHORUS_PROVIDER_A_BASE_URL:/);
    assert.match(message, /CHORUS_PROVIDER_B_MODELS:/);
  });

  test('the shared CHORUS_PROVIDER_TIMEOUT_MS and _MAX_RETRIES are not mistaken for a provider', () => {
    const env = readEnvironment({ CHORUS_PROVIDER_TIMEOUT_MS: '1000', CHORUS_PROVIDER_MAX_RETRIES: '1' });
    assert.deepEqual(env.customProviders, []);
    assert.equal(env.CHORUS_PROVIDER_TIMEOUT_MS, 1000);
  });

  test('empty values count as unset', () => {
    assert.deepEqual(
      readEnvironment({ CHORUS_PROVIDER_OLLAMA_BASE_URL: '', CHORUS_PROVIDER_OLLAMA_MODELS: '' }).customProviders,
      [],
    );
  });
});
