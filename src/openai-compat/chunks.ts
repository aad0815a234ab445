// From the typed events of a one-model turn (chat/turn-events.ts) to Chat Completions: stream chunks (a role delta,
// content deltas, the tool calls it made, a last chunk with the finish reason, optionally a usage chunk) or, folded,
// one `chat.completion`.
// A failed reply becomes an error event, as OpenAI streams one. Pure: it reads what it is given and does no I/O.
import type { ReplySummary } from '../chat/reply-summary.ts';
import type { TurnEvent } from '../chat/turn-events.ts';
import { AppError } from '../errors.ts';
import { withOpenAiFields } from './errors.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  CompletionUsage,
  FinishReason,
  OpenAiErrorBody,
  ToolCall,
} from './wire.ts';

export type CompletionIdentity = {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The most tokens the reply may have: reaching it means it was cut short (finish reason `length`). */
  outputTokenLimit?: number | null;
};

export type CompletionStreamEvent = ChatCompletionChunk | OpenAiErrorBody;

export const isErrorEvent = (event: CompletionStreamEvent): event is OpenAiErrorBody => 'error' in event;

export async function* toCompletionChunks(
  turnEvents: AsyncIterable<TurnEvent>,
  identity: CompletionIdentity,
  options: { includeUsage: boolean },
): AsyncGenerator<CompletionStreamEvent> {
  const chunk = (choices: ChatCompletionChunk['choices'], usage?: CompletionUsage): ChatCompletionChunk => ({
    id: identity.id,
    object: 'chat.completion.chunk',
    created: identity.created,
    model: identity.model,
    choices,
    // OpenAI's own stream has `usage: null` on every chunk but the usage chunk once usage was asked for.
    ...(options.includeUsage ? { usage: usage ?? null } : {}),
  });
  const delta = (content: ChatCompletionChunk['choices'][number]['delta'], finishReason: FinishReason | null = null) =>
    chunk([{ index: 0, delta: content, logprobs: null, finish_reason: finishReason }]);

  let summary: ReplySummary | undefined;
  let toolCalls = 0;
  for await (const event of turnEvents) {
    if (event.type === 'turn-started') yield delta({ role: 'assistant', content: '' });
    else if (event.type === 'reply-text') yield delta({ content: event.text });
    else if (event.type === 'reply-tool-call') {
      // Each call whole in one chunk: OpenAI's clients join pieces by index, and one piece is a valid split.
      const { toolCallId: id, toolName: name, input } = event;
      const call = { id, type: 'function' as const, function: { name, arguments: argumentsOf(input) } };
      yield delta({ tool_calls: [{ index: toolCalls++, ...call }] });
    } else if (event.type === 'reply-finished') summary = event.summary;
    else if (event.type === 'turn-failed') {
      yield replyFailure(summary?.error ?? event.errorText);
      return;
    } else if (event.type === 'turn-finished') {
      if (!summary || summary.status === 'error') {
        yield replyFailure(summary?.error ?? event.errorText ?? 'the reply failed');
        return;
      }
      yield delta({}, toolCalls > 0 ? 'tool_calls' : finishReason(summary, identity.outputTokenLimit));
      if (options.includeUsage) yield chunk([], usageOf(summary));
      return;
    }
  }
}

/** The whole reply as one `chat.completion`; a failed reply throws provider_error (502). */
export async function collectCompletion(events: AsyncIterable<CompletionStreamEvent>): Promise<ChatCompletion> {
  let head: ChatCompletionChunk | undefined;
  let content = '';
  const toolCalls: ToolCall[] = [];
  let finish: FinishReason | undefined;
  let usage: CompletionUsage | undefined;
  for await (const event of events) {
    if (isErrorEvent(event)) throw new AppError('provider_error', event.error.message);
    head ??= event;
    const [choice] = event.choices;
    content += choice?.delta.content ?? '';
    for (const { index: _index, ...call } of choice?.delta.tool_calls ?? []) toolCalls.push(call);
    finish = choice?.finish_reason ?? finish;
    usage = event.usage ?? usage;
  }
  if (!head || !finish || !usage) throw new AppError('provider_error', 'the reply ended before it finished');
  return {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        // Like OpenAI: a reply that only calls tools has null content.
        message: {
          role: 'assistant',
          content: toolCalls.length > 0 && !content ? null : content,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: finish,
      },
    ],
    usage,
  };
}

export function usageOf(summary: ReplySummary): CompletionUsage {
  const prompt = summary.inputTokens ?? 0;
  const completion = summary.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(summary.cachedInputTokens ? { prompt_tokens_details: { cached_tokens: summary.cachedInputTokens } } : {}),
  };
}

/** The turn runner does not pass the provider's finish reason on; a reply that used its whole allowance was cut. */
function finishReason(summary: ReplySummary, limit: number | null | undefined): FinishReason {
  return limit && (summary.outputTokens ?? 0) >= limit ? 'length' : 'stop';
}

/** A call's input as OpenAI sends arguments: JSON text (input that was not JSON is passed on as it came). */
function argumentsOf(input: unknown): string {
  return typeof input === 'string' ? input : JSON.stringify(input ?? {});
}

function replyFailure(message: string): OpenAiErrorBody {
  return withOpenAiFields({ error: { code: 'provider_error', message } });
}
