// One assistant turn holds every model's reply (the server streams them into one AI SDK message): its text parts
// carry `providerMetadata.chorus.{modelId,messageId}` and a `data-reply` part per model reports status and usage.
// Tool parts carry the same metadata as `callProviderMetadata`. This splits such a message back into one reply per
// model, in the order they started.
import type { ChorusMessage, ReplyData } from '../types.ts';

export type ReplyView = {
  /** The stored message of this reply; null for text the server did not attribute (never expected). */
  messageId: string | null;
  /** Null when the model is unknown (older rows): shown as "unknown model". */
  modelId: string | null;
  text: string;
  sources: Array<{ url: string; title?: string }>;
  /** The tools the reply called, in the order it called them. */
  tools: ToolCallView[];
  summary?: ReplyData;
  streaming: boolean;
};

/** One tool call: what the model asked for and, once it has run, its output or its error. */
export type ToolCallView = {
  toolCallId: string;
  toolName: string;
  input: unknown;
  state: 'running' | 'done' | 'failed';
  output?: unknown;
  errorText?: string;
};

type ToolPart = {
  type: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  output?: unknown;
  errorText?: string;
  callProviderMetadata?: unknown;
};

const isToolPart = (part: { type: string }): part is ToolPart => part.type.startsWith('tool-');

function toolCallViewOf(part: ToolPart): ToolCallView {
  const state = part.state === 'output-available' ? 'done' : part.state === 'output-error' ? 'failed' : 'running';
  return {
    toolCallId: part.toolCallId,
    toolName: part.type.slice('tool-'.length),
    input: part.input,
    state,
    ...(part.output === undefined ? {} : { output: part.output }),
    ...(part.errorText === undefined ? {} : { errorText: part.errorText }),
  };
}

type ChorusMetadata = { modelId?: unknown; messageId?: unknown };

function chorusMetadataOf(part: { providerMetadata?: unknown }): { modelId: string | null; messageId: string | null } {
  const chorus = (part.providerMetadata as { chorus?: ChorusMetadata } | undefined)?.chorus;
  return {
    modelId: typeof chorus?.modelId === 'string' ? chorus.modelId : null,
    messageId: typeof chorus?.messageId === 'string' ? chorus.messageId : null,
  };
}

export function repliesOf(message: ChorusMessage): ReplyView[] {
  const replies = new Map<string, ReplyView>();
  const replyFor = (key: string, messageId: string | null, modelId: string | null): ReplyView => {
    let reply = replies.get(key);
    if (!reply) {
      reply = { messageId, modelId, text: '', sources: [], tools: [], streaming: false };
      replies.set(key, reply);
    }
    reply.modelId ??= modelId;
    return reply;
  };
  message.parts.forEach((part, index) => {
    if (part.type === 'data-reply') {
      const summary = part.data;
      const reply = replyFor(summary.messageId, summary.messageId, summary.modelId);
      reply.summary = summary;
    } else if (part.type === 'text') {
      const { modelId, messageId } = chorusMetadataOf(part);
      const reply = replyFor(messageId ?? `text-${index}`, messageId, modelId);
      reply.text += part.text;
      if (part.state === 'streaming') reply.streaming = true;
    } else if (part.type === 'source-url') {
      const { modelId, messageId } = chorusMetadataOf(part);
      replyFor(messageId ?? `source-${index}`, messageId, modelId).sources.push({ url: part.url, title: part.title });
    } else if (isToolPart(part)) {
      const { modelId, messageId } = chorusMetadataOf({ providerMetadata: part.callProviderMetadata });
      replyFor(messageId ?? `tool-${index}`, messageId, modelId).tools.push(toolCallViewOf(part));
    }
  });
  for (const reply of replies.values()) if (reply.summary?.status === 'streaming') reply.streaming = true;
  return [...replies.values()];
}

/** "1,234 in · 56 out · $0.0012 · 1.4 s" for what is known. */
export function describeUsage(summary: ReplyData | undefined): string {
  if (!summary) return '';
  const facts: string[] = [];
  if (summary.inputTokens != null) facts.push(`${summary.inputTokens.toLocaleString()} tokens in`);
  if (summary.outputTokens != null) facts.push(`${summary.outputTokens.toLocaleString()} out`);
  if (summary.costUsd != null) facts.push(`$${formatCost(summary.costUsd)}`);
  if (summary.latencyMs != null) facts.push(`${(summary.latencyMs / 1000).toFixed(1)} s`);
  return facts.join(' · ');
}

/** Small costs keep two significant digits ($0.00042); none is $0. */
function formatCost(usd: number): string {
  if (usd === 0) return '0';
  return usd < 0.01 ? String(Number(usd.toPrecision(2))) : usd.toFixed(2);
}
