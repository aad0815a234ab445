// How a Chat Completions request becomes a stored Chorus conversation: its system and developer messages become
// the conversation's system prompt (the turn runner sends that as the model's instructions; the AI SDK refuses system
// turns among the messages), its user and assistant turns become messages in order, and its sampling settings
// become the conversation's parameters. An assistant turn's tool calls are kept as its tool parts (waiting for their
// results) and each `tool` turn as a tool message naming the call it answers, so the model is sent both back.
// Pure: no database, no model.

import { assertMessageTextWithin } from '../chat/message-size.ts';
import { titleFromText } from '../chat/title.ts';
import type { ConversationParameters } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { type NewMessage, SUPPLIED_BY_CLIENT } from '../store/messages.ts';
import type { ChatCompletionRequest, ChatMessage, ToolCall } from './wire.ts';

export type CompletionConversation = {
  title: string;
  parameters: ConversationParameters;
  /** The request's user and assistant turns, in order; the last one is what the model answers. */
  messages: NewMessage[];
};

export function contentText(content: ChatMessage['content']): string {
  if (content === null || content === undefined) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

/** Every message of the request within the most text one message may hold, else a 400 naming the first past it. */
export function assertMessagesWithin(request: ChatCompletionRequest, maxCharacters: number): void {
  for (const [index, message] of request.messages.entries()) {
    assertMessageTextWithin(contentText(message.content).length, maxCharacters, `messages.${index}.content`);
  }
}

/**
 * `modelId` is the model about to answer: the client's assistant turns are that model's own earlier turns, so
 * the prompt gives them back to it as its own rather than as another speaker's words.
 */
export function conversationFromRequest(request: ChatCompletionRequest, modelId: string): CompletionConversation {
  const instructions: string[] = [];
  const messages: NewMessage[] = [];
  /** The tool each call of an earlier assistant turn named, by call id. */
  const calledTools = new Map<string, string>();
  for (const [index, message] of request.messages.entries()) {
    const text = contentText(message.content);
    if (message.role === 'system' || message.role === 'developer') {
      if (text.trim()) instructions.push(text);
    } else if (message.role === 'user') {
      messages.push({ role: 'user', content: text, parts: [{ type: 'text', text }] });
    } else if (message.role === 'tool') {
      const toolName = message.tool_call_id ? calledTools.get(message.tool_call_id) : undefined;
      if (!toolName) {
        const problem = 'a tool message must name, in tool_call_id, a call of an earlier assistant message';
        throw new AppError('invalid_input', problem, {
          details: [{ path: `messages.${index}.tool_call_id`, message: problem }],
        });
      }
      messages.push({
        role: 'tool',
        content: text,
        parts: [{ type: 'tool-result', toolCallId: message.tool_call_id, toolName, output: text }],
        metadata: { ...SUPPLIED_BY_CLIENT },
      });
    } else {
      for (const call of message.tool_calls ?? []) calledTools.set(call.id, call.function.name);
      messages.push({
        role: 'assistant',
        content: text,
        parts: [...(text ? [{ type: 'text', text }] : []), ...(message.tool_calls ?? []).map(toolCallPart)],
        modelId,
        metadata: { ...SUPPLIED_BY_CLIENT },
      });
    }
  }
  // A Chat Completions client sends the whole conversation every time: only its last user message is sent now.
  const sentNow = messages.findLastIndex((message) => message.role === 'user');
  for (const [index, message] of messages.entries()) {
    if (message.role === 'user' && index !== sentNow) message.metadata = { ...SUPPLIED_BY_CLIENT };
  }
  const firstUserText = messages.find((message) => message.role === 'user' && message.content?.trim())?.content;
  if (!firstUserText) {
    throw new AppError('invalid_input', 'messages must include a user message with text', {
      details: [{ path: 'messages', message: 'no user message with text' }],
    });
  }
  return { title: titleFromText(firstUserText), parameters: parametersOf(request, instructions), messages };
}

/** A call as the tool part a stored reply keeps: its input parsed, its result still to come. */
function toolCallPart(call: ToolCall) {
  let input: unknown;
  try {
    input = JSON.parse(call.function.arguments || '{}');
  } catch {
    input = call.function.arguments;
  }
  return { type: `tool-${call.function.name}`, toolCallId: call.id, state: 'input-available', input };
}

/** Only the settings the request gave: the conversation's defaults stay in force for the rest. */
function parametersOf(request: ChatCompletionRequest, instructions: string[]): ConversationParameters {
  const parameters: ConversationParameters = {};
  if (instructions.length > 0) parameters.systemPrompt = instructions.join('\n\n');
  if (request.temperature !== null && request.temperature !== undefined) parameters.temperature = request.temperature;
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxOutputTokens !== null && maxOutputTokens !== undefined) parameters.maxOutputTokens = maxOutputTokens;
  return parameters;
}
