// One assistant turn holds every model's reply (the server streams them into one AI SDK message): its text parts
// carry `providerMetadata.chorus.{modelId,messageId}` and a `data-reply` part per model reports status and usage.
// This splits such a message back into one reply per model, in the order they started.
import type { ChorusMessage, ReplyData } from '../types.ts';

export type ReplyView = {
  /** The stored message of this reply; null for text the server did not attribute (never expected). */
  messageId: string | null;
  /** Null when the model is unknown (older rows): shown as "unknown model". */
  modelId: string | null;
  text: string;
  sources: Array<{ url: string; title?: string }>;
  summary?: ReplyData;
  streaming: boolean;
};

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
      reply = { messageId, modelId, text: '', sources: [], streaming: false };
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
