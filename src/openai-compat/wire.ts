// The OpenAI Chat Completions wire format that /v1 speaks, written once in Zod: requests are validated with it,
// responses are typed by it, and the OpenAPI document describes both from it. Only what Chorus honours is
// accepted; fields it would have to ignore silently in a way that changes the answer (several choices, images) are
// refused by name instead. Function tools pass through to the model; the calls it makes come back as `tool_calls`
// for the client to run, and their results come back as `tool` messages.
import { z } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../errors.ts';

const textPartSchema = z.object({ type: z.literal('text'), text: z.string() });

/** Which part of a content list is not text: named in the 400, since Zod alone would only say "Invalid input". */
function describeContentProblem(input: unknown): string {
  if (!Array.isArray(input)) return 'content must be a string or a list of {"type":"text","text":…} parts';
  const other = input.find((part) => (part as { type?: unknown } | null)?.type !== 'text') as
    | { type?: unknown }
    | undefined;
  if (other) return `content parts of type ${JSON.stringify(other?.type ?? null)} are not supported; only text`;
  return 'every text content part needs "text": a string';
}

const contentSchema = z.union([z.string(), z.array(textPartSchema)], {
  error: (issue) => describeContentProblem(issue.input),
});

/** A call of a function tool, as the assistant message (and, in pieces, the stream) carries it. */
export const toolCallSchema = z
  .object({
    id: z.string().min(1).max(200),
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1).max(64), arguments: z.string().max(1_000_000) }),
  })
  .meta({ id: 'ChatCompletionToolCall' });
export type ToolCall = z.infer<typeof toolCallSchema>;

export const chatMessageSchema = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  // An assistant turn may come with null content (OpenAI sends it so alongside tool calls).
  content: contentSchema.nullish(),
  name: z.string().max(100).optional(),
  tool_calls: z
    .array(toolCallSchema)
    .max(128)
    .nullish()
    .meta({ description: 'An assistant turn: the tools it called' }),
  tool_call_id: z.string().min(1).max(200).nullish().meta({ description: 'A tool turn: the call it answers' }),
});

const functionToolSchema = z
  .object({
    type: z.literal('function'),
    function: z.object({
      name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tool name is 1 to 64 letters, digits, _ or -'),
      description: z.string().max(10_000).nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish().meta({ description: 'A JSON Schema of the input' }),
      strict: z.boolean().nullish(),
    }),
  })
  .meta({ id: 'ChatCompletionTool' });
export type FunctionTool = z.infer<typeof functionToolSchema>;

const toolChoiceSchema = z
  .union([
    z.enum(['none', 'auto', 'required']),
    z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(64) }) }),
  ])
  .meta({ id: 'ChatCompletionToolChoice' });
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

export const chatCompletionRequestSchema = z
  .object({
    model: z.string().min(1).max(200).meta({ description: 'A model id of GET /v1/models, e.g. `openai:gpt-4o`' }),
    messages: z.array(chatMessageSchema).min(1).max(1_000),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    max_tokens: z
      .number()
      .int()
      .positive()
      .nullish()
      .meta({ description: 'Deprecated by OpenAI; same as max_completion_tokens' }),
    max_completion_tokens: z.number().int().positive().nullish(),
    n: z.literal(1, { error: 'only n = 1 is supported' }).nullish(),
    tools: z
      .array(functionToolSchema)
      .max(128)
      .nullish()
      .meta({ description: 'Function tools the model may call (a model with the `tools` capability)' }),
    tool_choice: toolChoiceSchema.nullish(),
    user: z.string().max(256).nullish().meta({ description: 'Accepted and ignored: the caller is known by its key' }),
  })
  .meta({ id: 'ChatCompletionRequest' });

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls']);
export type FinishReason = z.infer<typeof finishReasonSchema>;

export const completionUsageSchema = z
  .object({
    prompt_tokens: z.number().int(),
    completion_tokens: z.number().int(),
    total_tokens: z.number().int(),
    prompt_tokens_details: z.object({ cached_tokens: z.number().int() }).optional(),
  })
  .meta({ id: 'CompletionUsage' });
export type CompletionUsage = z.infer<typeof completionUsageSchema>;

const completionHead = {
  id: z.string().meta({ description: '`chatcmpl-` and the id of the stored reply' }),
  created: z.number().int().meta({ description: 'Unix seconds' }),
  model: z.string(),
};

export const chatCompletionSchema = z
  .object({
    ...completionHead,
    object: z.literal('chat.completion'),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable(),
          refusal: z.null(),
          tool_calls: z.array(toolCallSchema).optional(),
        }),
        logprobs: z.null(),
        finish_reason: finishReasonSchema,
      }),
    ),
    usage: completionUsageSchema,
  })
  .meta({ id: 'ChatCompletion' });
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;

export const chatCompletionChunkSchema = z
  .object({
    ...completionHead,
    object: z.literal('chat.completion.chunk'),
    choices: z.array(
      z.object({
        index: z.number().int(),
        delta: z.object({
          role: z.literal('assistant').optional(),
          content: z.string().optional(),
          tool_calls: z
            .array(
              z.object({
                index: z.number().int(),
                id: z.string(),
                type: z.literal('function'),
                function: z.object({ name: z.string(), arguments: z.string() }),
              }),
            )
            .optional(),
        }),
        logprobs: z.null(),
        finish_reason: finishReasonSchema.nullable(),
      }),
    ),
    usage: completionUsageSchema.nullable().optional().meta({
      description: 'With stream_options.include_usage: null on every chunk but the last, which has no choices',
    }),
  })
  .meta({ id: 'ChatCompletionChunk' });
export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;

export const openAiModelSchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    created: z.number().int().meta({ description: 'Unix seconds: when the model entered the registry' }),
    owned_by: z.string().meta({ description: 'The provider' }),
  })
  .meta({ id: 'OpenAiModel' });
export type OpenAiModel = z.infer<typeof openAiModelSchema>;

export const modelListSchema = z.object({ object: z.literal('list'), data: z.array(openAiModelSchema) });

/** Chorus's error body with the two fields OpenAI's clients also read. */
export const openAiErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z.unknown().optional(),
      type: z.string().meta({ description: 'OpenAI error type, e.g. invalid_request_error' }),
      param: z.string().nullable().meta({ description: 'The request field at fault, when there is one' }),
    }),
  })
  .meta({ id: 'OpenAiError' });
export type OpenAiErrorBody = z.infer<typeof openAiErrorBodySchema>;
