// One streamed call of a language model, made through the model's own `doStream`: the AI SDK's `streamText` would
// send each of a reply's parts through half a dozen more web streams (steps, tool handling, telemetry, output
// parsing, its consumers), which a reply that uses none of them pays for on every token (docs/performance.md,
// capacity). What `streamText` does before the call is kept, from the SDK's own functions: the prompt checked and
// converted (instructions first), the call settings checked, provider tools prepared, and a failed request retried
// while the provider's answer says it may be (429, 5xx) and the stream has not begun. Those functions come from
// `ai/internal`, the entry the SDK's own packages use: an upgrade of `ai` may rename them, which the type check shows.
import type {
  LanguageModelV4,
  LanguageModelV4StreamPart,
  LanguageModelV4ToolChoice,
  SharedV4ProviderOptions,
} from '@ai-sdk/provider';
import type { ModelMessage, ToolSet } from 'ai';
import {
  convertToLanguageModelPrompt,
  prepareLanguageModelCallOptions,
  prepareRetries,
  prepareTools,
  standardizePrompt,
} from 'ai/internal';

export type ModelStreamRequest = {
  instructions?: string;
  messages: ModelMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  /** Tools the provider runs itself (web search), and function tools the model may call. */
  tools?: ToolSet;
  /** How the model must use the tools; `auto` unless told. */
  toolChoice?: LanguageModelV4ToolChoice;
  providerOptions?: SharedV4ProviderOptions;
  /** How often a retryable failure before the stream begins is retried. */
  maxRetries: number;
  abortSignal: AbortSignal;
};

/** The parts the model streams (text deltas, sources, the finish with its usage, errors), as the provider gives them. */
export type ModelStreamPart = LanguageModelV4StreamPart;

/** Sends the request; resolves with the model's stream once the provider has answered, or fails as the call did. */
export async function streamLanguageModel(
  model: LanguageModelV4,
  request: ModelStreamRequest,
): Promise<ReadableStream<ModelStreamPart>> {
  const { abortSignal } = request;
  const { retry } = prepareRetries({ maxRetries: request.maxRetries, abortSignal });
  const settings = prepareLanguageModelCallOptions({
    temperature: request.temperature,
    maxOutputTokens: request.maxOutputTokens,
  });
  const prompt = await convertToLanguageModelPrompt({
    prompt: await standardizePrompt({ instructions: request.instructions, messages: request.messages }),
    supportedUrls: await model.supportedUrls,
    download: undefined,
    abortSignal,
    provider: model.provider.split('.')[0],
  });
  const tools = await prepareTools({ tools: request.tools });
  const { stream } = await retry(() =>
    model.doStream({
      ...settings,
      prompt,
      tools,
      toolChoice: request.toolChoice ?? { type: 'auto' },
      providerOptions: request.providerOptions,
      abortSignal,
    }),
  );
  return stream;
}
