// Where a model is called: the registry that turns a model row into an AI SDK language model, the
// built-in offline model, and the start-up registration of operator-declared models.

export { DECLARED_MODEL_CONTEXT_WINDOW, declaredModelDefinitions, registerDeclaredModels } from './declared-models.ts';
export { fetchWithIdleTimeout, idleTimeoutError } from './idle-timeout.ts';
export { createOfflineModel, OFFLINE_MODEL_ID, OFFLINE_PROVIDER, type OfflineModelOptions } from './offline-model.ts';
export {
  describeProviderError,
  type ProviderErrorKind,
  providerErrorDetails,
  providerErrorKind,
  redactSecrets,
  STREAM_BROKE_OFF,
} from './provider-errors.ts';
export {
  createProviderRegistry,
  type ModelReference,
  type ProviderCallSettings,
  type ProviderEnvironment,
  type ProviderRegistry,
} from './provider-registry.ts';
export { estimateTokens } from './token-estimate.ts';
