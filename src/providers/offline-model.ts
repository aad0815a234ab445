// The built-in offline model `local:echo`: a real AI SDK language model that needs no key and no network,
// so a fresh install can chat (and every chat path can be exercised) before anyone configures a provider.
// It is honest: it says it is not an AI, then echoes the last thing the user wrote.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
} from '@ai-sdk/provider';
import { estimateTokens, promptText } from './token-estimate.ts';

export const OFFLINE_PROVIDER = 'local';
export const OFFLINE_MODEL_ID = 'echo';

export type OfflineModelOptions = {
  /** Providers that do have keys, so the reply can point to them instead of saying none is configured. */
  configuredProviders?: string[];
  /** A pause before each streamed piece, to look like a real model in demos; none by default. */
  chunkDelayMs?: number;
};

export function createOfflineModel(options: OfflineModelOptions = {}): LanguageModelV4 {
  return new OfflineEchoModel(options);
}

class OfflineEchoModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = OFFLINE_PROVIDER;
  readonly modelId = OFFLINE_MODEL_ID;
  readonly supportedUrls = {};
  readonly #configuredProviders: string[];
  readonly #chunkDelayMs: number;

  constructor(options: OfflineModelOptions) {
    this.#configuredProviders = (options.configuredProviders ?? []).filter((name) => name !== OFFLINE_PROVIDER).sort();
    this.#chunkDelayMs = options.chunkDelayMs ?? 0;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    options.abortSignal?.throwIfAborted();
    const reply = this.#reply(options);
    return {
      content: [{ type: 'text', text: reply.text }],
      finishReason: reply.finishReason,
      usage: reply.usage,
      warnings: [],
      response: { id: `offline-${randomUUID()}`, modelId: this.modelId, timestamp: new Date() },
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const signal = options.abortSignal;
    signal?.throwIfAborted();
    const reply = this.#reply(options);
    const textId = '0';
    const parts: LanguageModelV4StreamPart[] = [
      { type: 'stream-start', warnings: [] },
      { type: 'response-metadata', id: `offline-${randomUUID()}`, modelId: this.modelId, timestamp: new Date() },
      { type: 'text-start', id: textId },
      ...splitIntoTokens(reply.text).map(
        (delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id: textId, delta }),
      ),
      { type: 'text-end', id: textId },
      { type: 'finish', usage: reply.usage, finishReason: reply.finishReason },
    ];
    const delayMs = this.#chunkDelayMs;
    let next = 0;
    // Pull-based with nothing buffered ahead (a high-water mark of 0): a piece is produced only when the reader asks,
    // so an abort stops it between pieces.
    const stream = new ReadableStream<LanguageModelV4StreamPart>(
      {
        async pull(controller) {
          try {
            signal?.throwIfAborted();
            const part = parts[next++]!;
            if (part.type === 'text-delta' && delayMs > 0) await sleep(delayMs, undefined, { signal });
            controller.enqueue(part);
            if (next === parts.length) controller.close();
          } catch (error) {
            controller.error(signal?.aborted ? signal.reason : error);
          }
        },
      },
      { highWaterMark: 0 },
    );
    return { stream };
  }

  #reply(options: LanguageModelV4CallOptions) {
    let text = `${this.#introduction()}\n\nYou wrote:\n\n${lastUserText(options.prompt)}`;
    let finishReason: LanguageModelV4FinishReason = { unified: 'stop', raw: 'stop' };
    const limit = options.maxOutputTokens;
    if (limit !== undefined && estimateTokens(text) > limit) {
      text = text.slice(0, limit * 4);
      finishReason = { unified: 'length', raw: 'length' };
    }
    return { text, finishReason, usage: usageOf(options.prompt, text) };
  }

  #introduction(): string {
    const notAnAi =
      "This is Chorus's built-in offline model. It is not an AI and generates nothing: it only echoes what you wrote.";
    if (this.#configuredProviders.length === 0) {
      return `${notAnAi} No AI provider key is configured on this server. To get real replies, an administrator sets OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY, OPENROUTER_API_KEY or CHORUS_PROVIDER_<NAME>_BASE_URL and restarts Chorus.`;
    }
    return `${notAnAi} This server does have AI providers configured (${this.#configuredProviders.join(', ')}): pick one of their models for a real reply.`;
  }
}

function lastUserText(prompt: LanguageModelV4Prompt): string {
  const lastUser = prompt.findLast((message) => message.role === 'user');
  if (!lastUser) return '(there was no message to echo)';
  const text = promptText([lastUser]);
  return text.trim() === '' ? '(your message had no text)' : text;
}

/** Word-sized pieces (each word with the spaces after it), so the reply streams like tokens. */
function splitIntoTokens(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function usageOf(prompt: LanguageModelV4Prompt, reply: string): LanguageModelV4Usage {
  const inputTokens = estimateTokens(promptText(prompt));
  const outputTokens = estimateTokens(reply);
  return {
    inputTokens: { total: inputTokens, noCache: inputTokens, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: outputTokens, text: outputTokens, reasoning: 0 },
  };
}
