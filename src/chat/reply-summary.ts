// What a client learns about each model's reply: a `data-reply` part of the reply stream (POST /api/chat), sent
// when the reply starts and again, updated in place by message id, when it ends. Plain Zod, named for the OpenAPI
// document with `.meta`, so clients generate its type; the conversation events' reply-finished reuses its fields.
import { z } from 'zod';
import { messageStatus } from '../db/schema/index.ts';

const tokenCount = z.number().int().optional();

export const replySummarySchema = z
  .object({
    messageId: z.uuid(),
    modelId: z.string(),
    status: z.enum(messageStatus.enumValues),
    inputTokens: tokenCount,
    outputTokens: tokenCount,
    cachedInputTokens: tokenCount,
    costUsd: z.number().optional(),
    latencyMs: z.number().optional(),
    error: z.string().optional().meta({ description: 'Why the reply failed, when it did' }),
    truncated: z.boolean().optional().meta({
      description: "Cut: at the conversation's character limit, or at the server's cap on a reply's size",
    }),
  })
  .meta({ id: 'ReplySummary' });

export type ReplySummary = z.infer<typeof replySummarySchema>;
