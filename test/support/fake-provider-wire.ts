// The wire formats the fake provider speaks: OpenAI Chat Completions, OpenAI Responses (what the AI SDK uses for
// OpenAI's web search) and Anthropic Messages, streaming (Server-Sent Events) and not, plus each API's error
// body. Shapes follow the public API references, trimmed to what the AI SDK providers read.

export type FakeUsage = { inputTokens: number; outputTokens: number; cachedInputTokens: number };

/** A web page a reply cites (sent only by the formats that can carry citations). */
export type FakeSource = { url: string; title: string };

/** A tool the reply calls after its text (Chat Completions and Anthropic Messages carry them). */
export type FakeToolCall = { id: string; name: string; input: Record<string, unknown> };

/** The request parts every API has, so the server can treat both alike. */
export type ParsedChatRequest = { model: string; messages: unknown[]; stream: boolean; includeUsage: boolean };

export type WireFormat = {
  api: 'openai' | 'openai-responses' | 'anthropic';
  parse(body: Record<string, unknown>): ParsedChatRequest;
  /** The SSE frames before the first piece of text. */
  streamStart(model: string, id: string, usage: FakeUsage): string[];
  streamText(model: string, id: string, text: string): string;
  /**
   * The frames after the last piece: citations if the format has them, tool calls, finish reason, usage if asked
   * for, end marker.
   */
  streamEnd(model: string, id: string, usage: FakeUsage, includeUsage: boolean, extras: ReplyExtras): string[];
  completion(model: string, id: string, text: string, usage: FakeUsage, extras: ReplyExtras): unknown;
  errorBody(status: number): unknown;
};

/** What a reply carries besides its text. */
export type ReplyExtras = { sources: FakeSource[]; toolCalls: FakeToolCall[] };

const created = () => Math.floor(Date.now() / 1000);
const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const sseEvent = (event: string, data: Record<string, unknown>) =>
  `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;

function openaiUsage(usage: FakeUsage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
  };
}

function openaiChunk(model: string, id: string, choices: unknown[], usage?: unknown) {
  return sse({ id, object: 'chat.completion.chunk', created: created(), model, choices, ...(usage ? { usage } : {}) });
}

export const openaiChatCompletions: WireFormat = {
  api: 'openai',
  parse(body) {
    const options = body.stream_options as { include_usage?: boolean } | undefined;
    return {
      model: String(body.model),
      messages: Array.isArray(body.messages) ? body.messages : [],
      stream: body.stream === true,
      includeUsage: options?.include_usage === true,
    };
  },
  streamStart: (model, id) => [
    openaiChunk(model, id, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
  ],
  streamText: (model, id, text) =>
    openaiChunk(model, id, [{ index: 0, delta: { content: text }, finish_reason: null }]),
  streamEnd(model, id, usage, includeUsage, { toolCalls }) {
    // Each call in two chunks, as OpenAI sends them: its name first, then its arguments.
    const frames = toolCalls.flatMap((call, index) => [
      openaiChunk(model, id, [
        {
          index: 0,
          delta: {
            tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
          },
          finish_reason: null,
        },
      ]),
      openaiChunk(model, id, [
        { index: 0, delta: { tool_calls: [{ index, function: { arguments: JSON.stringify(call.input) } }] } },
      ]),
    ]);
    const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
    frames.push(openaiChunk(model, id, [{ index: 0, delta: {}, finish_reason: finishReason }]));
    // With stream_options.include_usage, OpenAI sends usage in one last chunk whose choices are empty.
    if (includeUsage) frames.push(openaiChunk(model, id, [], openaiUsage(usage)));
    frames.push('data: [DONE]\n\n');
    return frames;
  },
  completion: (model, id, text, usage, { toolCalls }) => ({
    id,
    object: 'chat.completion',
    created: created(),
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text,
          ...(toolCalls.length > 0
            ? {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: JSON.stringify(call.input) },
                })),
              }
            : {}),
        },
        finish_reason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      },
    ],
    usage: openaiUsage(usage),
  }),
  errorBody: (status) => ({
    error: {
      message: status === 429 ? 'Rate limit reached (fake provider)' : `Fake provider error ${status}`,
      type: status === 429 ? 'rate_limit_error' : 'server_error',
      code: null,
    },
  }),
};

function responsesUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

const urlCitation = (source: FakeSource) => ({ type: 'url_citation', start_index: 0, end_index: 0, ...source });

/** The Responses API: `input` instead of `messages`, one output message item whose text streams as deltas. */
export const openaiResponses: WireFormat = {
  api: 'openai-responses',
  parse: (body) => ({
    model: String(body.model),
    messages: Array.isArray(body.input) ? body.input : [],
    stream: body.stream === true,
    includeUsage: true,
  }),
  streamStart: (model, id) => [
    sseEvent('response.created', { response: { id, created_at: created(), model } }),
    sseEvent('response.output_item.added', { output_index: 0, item: { type: 'message', id: `msg_${id}` } }),
  ],
  streamText: (_model, id, text) =>
    sseEvent('response.output_text.delta', { item_id: `msg_${id}`, output_index: 0, delta: text }),
  streamEnd: (model, id, usage, _includeUsage, { sources }) => [
    ...sources.map((source, index) =>
      sseEvent('response.output_text.annotation.added', {
        item_id: `msg_${id}`,
        output_index: 0,
        content_index: 0,
        annotation_index: index,
        annotation: urlCitation(source),
      }),
    ),
    sseEvent('response.output_item.done', { output_index: 0, item: { type: 'message', id: `msg_${id}` } }),
    sseEvent('response.completed', { response: { id, created_at: created(), model, usage: responsesUsage(usage) } }),
  ],
  completion: (model, id, text, usage, { sources }) => ({
    id,
    created_at: created(),
    model,
    output: [
      {
        type: 'message',
        role: 'assistant',
        id: `msg_${id}`,
        content: [{ type: 'output_text', text, annotations: sources.map(urlCitation) }],
      },
    ],
    usage: responsesUsage(usage),
  }),
  errorBody: openaiChatCompletions.errorBody,
};

/** Anthropic counts cache reads apart from `input_tokens`; the AI SDK adds them back into the total. */
function anthropicUsage(usage: FakeUsage) {
  return {
    input_tokens: usage.inputTokens - usage.cachedInputTokens,
    cache_read_input_tokens: usage.cachedInputTokens,
    cache_creation_input_tokens: 0,
    output_tokens: usage.outputTokens,
  };
}

export const anthropicMessages: WireFormat = {
  api: 'anthropic',
  parse: (body) => ({
    model: String(body.model),
    messages: Array.isArray(body.messages) ? body.messages : [],
    stream: body.stream === true,
    // Anthropic always reports usage in its stream.
    includeUsage: true,
  }),
  streamStart: (model, id, usage) => [
    sseEvent('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...anthropicUsage(usage), output_tokens: 1 },
      },
    }),
    sseEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    sseEvent('ping', {}),
  ],
  streamText: (_model, _id, text) => sseEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
  streamEnd: (_model, _id, usage, _includeUsage, { toolCalls }) => [
    sseEvent('content_block_stop', { index: 0 }),
    // Each tool call is a content block of its own after the text, its input streamed as JSON.
    ...toolCalls.flatMap((call, offset) => [
      sseEvent('content_block_start', {
        index: offset + 1,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
      sseEvent('content_block_delta', {
        index: offset + 1,
        delta: { type: 'input_json_delta', partial_json: JSON.stringify(call.input) },
      }),
      sseEvent('content_block_stop', { index: offset + 1 }),
    ]),
    sseEvent('message_delta', {
      delta: { stop_reason: toolCalls.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: usage.outputTokens },
    }),
    sseEvent('message_stop', {}),
  ],
  completion: (model, id, text, usage, { toolCalls }) => ({
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: [
      { type: 'text', text },
      ...toolCalls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: call.input })),
    ],
    stop_reason: toolCalls.length > 0 ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: anthropicUsage(usage),
  }),
  errorBody: (status) => ({
    type: 'error',
    error: {
      type: status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : 'api_error',
      message: `Fake provider error ${status}`,
    },
  }),
};

/** Text of a message's content in either API: a string, or parts of which the text ones count. */
export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string' ? part.text : '',
    )
    .join('');
}
