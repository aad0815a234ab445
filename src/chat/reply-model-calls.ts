// The model calls of one reply: the first, made as soon as the reply is set up (maybe sent only once the person's
// message is saved), and one more after each step whose tools ran. Each carries the reply's tools beside the
// provider's own web search when asked for.
import { performance } from 'node:perf_hooks';
import type { ModelMessage, ToolSet } from 'ai';
import type { models } from '../db/schema/index.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import { type ModelStreamPart, streamLanguageModel } from '../providers/model-stream.ts';
import { webSearchCallOptions } from '../providers/web-search.ts';
import { type ClientTools, type Toolbox, toolSetOf } from '../tools/reply-tools.ts';
import { callableOnceSaved } from './saved-before-call.ts';

/** A provider call under way: its parts once the provider answers (or why not), when it started, a way to drop it. */
/** What every model call of a reply is made with. */
export type ReplyModelCall = {
  model: typeof models.$inferSelect;
  prompt: ModelMessage[];
  system?: string;
  temperature?: number;
  maxOutputTokens?: number;
  webSearch?: { contextSize: 'low' | 'medium' | 'high' } | null;
  /** Tools the model may call, run by the server (none when left out). */
  tools?: Toolbox | null;
  /** Tools the model may call, run by the caller (none when left out). */
  clientTools?: ClientTools | null;
  abortSignal: AbortSignal;
};

export type ProviderCall = {
  parts: Promise<ReadableStream<ModelStreamPart>>;
  startedAt: number;
  cancel(): void;
  /** The reply's stop and this call's cancel together: what every later step's call is given too. */
  signal: AbortSignal;
};

export function callProvider(
  providers: ProviderRegistry,
  request: ReplyModelCall,
  after?: Promise<unknown>,
): ProviderCall {
  const startedAt = performance.now();
  const cancelled = new AbortController();
  const cancel = () => cancelled.abort();
  const signal = AbortSignal.any([request.abortSignal, cancelled.signal]);
  // A failure here (say, a provider that is not configured) ends the reply like any failure of the call.
  const parts = callModel(providers, request, request.prompt, signal, after);
  // Awaited by the reply's run; until then a failure must not count as unhandled.
  parts.catch(() => {});
  return { parts, startedAt, cancel, signal };
}

/** One model call of the reply: the first step's (maybe once `after` fulfils) or one after tool results. */
export async function callModel(
  providers: ProviderRegistry,
  request: ReplyModelCall,
  messages: ModelMessage[],
  abortSignal: AbortSignal,
  after?: Promise<unknown>,
): Promise<ReadableStream<ModelStreamPart>> {
  const { model } = request;
  const search = request.webSearch ? webSearchCallOptions(model, request.webSearch.contextSize) : null;
  const tools: ToolSet | undefined =
    search?.tools || request.tools || request.clientTools
      ? { ...search?.tools, ...(request.tools ? toolSetOf(request.tools) : {}), ...request.clientTools?.tools }
      : undefined;
  const languageModel = providers.languageModel(model, { webSearch: search !== null });
  return streamLanguageModel(after ? callableOnceSaved(languageModel, after) : languageModel, {
    tools,
    toolChoice: request.clientTools?.choice,
    providerOptions: search?.providerOptions,
    instructions: request.system,
    messages,
    temperature: request.temperature,
    maxOutputTokens: request.maxOutputTokens ?? model.maxOutputTokens ?? undefined,
    maxRetries: providers.callSettings.maxRetries,
    abortSignal,
  });
}
