// A Chat Completions request's function tools and tool_choice as the AI SDK offers them to the model: described by
// their JSON Schema and run by the client, never by Chorus. A model without the `tools` capability is refused them.
import type { LanguageModelV4ToolChoice } from '@ai-sdk/provider';
import { jsonSchema, type ToolSet, tool } from 'ai';
import type { ModelRow } from '../chat/model-selection.ts';
import { AppError } from '../errors.ts';
import type { ClientTools } from '../tools/reply-tools.ts';
import type { ChatCompletionRequest, ToolChoice } from './wire.ts';

const NO_PARAMETERS = { type: 'object', properties: {} };

/** The request's tools for `model`, or null when it sends none. */
export function clientToolsOf(request: ChatCompletionRequest, model: ModelRow): ClientTools | null {
  const functions = request.tools ?? [];
  if (functions.length === 0) return null;
  if (!model.capabilities.includes('tools')) {
    const problem = `${model.id}: the model cannot call tools`;
    throw new AppError('invalid_input', problem, { details: [{ path: 'tools', message: problem }] });
  }
  const tools: ToolSet = Object.fromEntries(
    functions.map(({ function: described }) => [
      described.name,
      tool({
        description: described.description ?? undefined,
        inputSchema: jsonSchema((described.parameters ?? NO_PARAMETERS) as Parameters<typeof jsonSchema>[0]),
      }),
    ]),
  );
  const choice = request.tool_choice ? toolChoiceOf(request.tool_choice) : undefined;
  if (choice?.type === 'tool' && !Object.hasOwn(tools, choice.toolName)) {
    const problem = `tool_choice names ${choice.toolName}, which is not among the tools`;
    throw new AppError('invalid_input', problem, { details: [{ path: 'tool_choice', message: problem }] });
  }
  return { tools, ...(choice ? { choice } : {}) };
}

function toolChoiceOf(choice: ToolChoice): LanguageModelV4ToolChoice {
  if (typeof choice === 'string') return { type: choice };
  return { type: 'tool', toolName: choice.function.name };
}
