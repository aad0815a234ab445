// A stored reply's tool calls as a model is sent them again on a later turn: the reply becomes its steps — what it
// said and called, then the results (when the server ran the tools) — and a client's tool message (from /v1)
// becomes the tool turn it answers. Pure functions over stored messages.
import type { AssistantContent, ModelMessage, ToolResultPart } from 'ai';
import type { MessagePart } from '../db/schema/index.ts';
import type { Message } from '../store/messages.ts';

const isToolPart = (part: MessagePart): boolean => part.type.startsWith('tool-') && typeof part.toolCallId === 'string';

/** True when a stored message holds tool calls or a tool result: its prompt is then more than its text. */
export const hasToolParts = (message: Pick<Message, 'parts'>): boolean =>
  message.parts.some((part) => isToolPart(part) || part.type === 'tool-result');

/** The result of a call as the model reads it: its output, or the error it was told. */
function resultOf(part: MessagePart): ToolResultPart {
  const toolName = String(part.toolName ?? part.type.slice('tool-'.length));
  const output: ToolResultPart['output'] =
    part.state === 'output-error'
      ? { type: 'error-text', value: String(part.errorText ?? '') }
      : typeof part.output === 'string'
        ? { type: 'text', value: part.output }
        : { type: 'json', value: (part.output ?? null) as never };
  return { type: 'tool-result', toolCallId: String(part.toolCallId), toolName, output };
}

/** A model's own reply with tool calls, as the steps it took: text and calls, then the results that came back. */
export function assistantStepsOf(message: Pick<Message, 'parts'>): ModelMessage[] {
  const steps: ModelMessage[] = [];
  let content: Exclude<AssistantContent, string> = [];
  let results: ToolResultPart[] = [];
  const endStep = () => {
    if (content.length > 0) steps.push({ role: 'assistant', content });
    if (results.length > 0) steps.push({ role: 'tool', content: results });
    content = [];
    results = [];
  };
  for (const part of message.parts) {
    if (part.type === 'text' && typeof part.text === 'string' && part.text) {
      // Words after results belong to the next step.
      if (results.length > 0) endStep();
      content.push({ type: 'text', text: part.text });
    } else if (isToolPart(part)) {
      const toolName = part.type.slice('tool-'.length);
      content.push({ type: 'tool-call', toolCallId: String(part.toolCallId), toolName, input: part.input ?? {} });
      if (part.state === 'output-available' || part.state === 'output-error') results.push(resultOf(part));
    }
  }
  endStep();
  return steps;
}

/** A client's tool message: the result of the call it names. */
export function toolTurnOf(message: Pick<Message, 'parts'>): ModelMessage | null {
  const results = message.parts.filter((part) => part.type === 'tool-result').map(resultOf);
  return results.length > 0 ? { role: 'tool', content: results } : null;
}
