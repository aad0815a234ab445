// Tools a model may call while it replies (documents, and whatever else is registered): how they are described to
// the provider, how one call is run, and what a step's calls and results become, for the model's next step and for
// the stored message. A tool that fails, is unknown or is given bad input gives the model an error result to read;
// it never ends the reply.
import type { LanguageModelV4ToolChoice } from '@ai-sdk/provider';
import { type JSONSchema7, jsonSchema, type ModelMessage, type ToolSet, tool } from 'ai';
import { z } from 'zod';
import type { MessagePart, models } from '../db/schema/index.ts';
import type { TokenUsage } from '../models/pricing.ts';
import type { Actor } from '../store/actor.ts';
import type { ToolProgress } from './tool-progress.ts';

/** What a running tool may use: the reply's stop signal, and a way to show how it is getting on. */
export type ToolRunContext = {
  abortSignal: AbortSignal;
  /** The reply's id (a tool may record where it was called from). */
  messageId: string;
  toolCallId: string;
  progress(update: ToolProgress): void;
  /** Tokens a tool spent calling a model itself: the reply pays for them. */
  recordUsage(usage: Required<TokenUsage>): void;
};

export type ReplyTool<Input = unknown> = {
  description: string;
  /** What a call's input is checked against before the tool runs. */
  inputSchema: z.ZodType<Input>;
  /** The input as the model is told it, when the tool describes it in JSON Schema itself (an MCP server's tool). */
  parameters?: JSONSchema7;
  execute(input: Input, context: ToolRunContext): Promise<unknown>;
};

/** The tools one reply may call, by the name the model calls them. */
export type Toolbox = Record<string, ReplyTool>;

/** Who a reply's tools act for, where, and which model calls them. */
export type ToolboxContext = {
  actor: Actor;
  conversationId: string;
  model: typeof models.$inferSelect;
  /** The MCP servers the conversation switched on. */
  mcpServerIds: readonly string[];
};

/** The tools of one reply (null: it gets none). */
export type ToolboxFactory = (context: ToolboxContext) => Promise<Toolbox | null>;

/**
 * Tools the caller runs itself (a /v1 client's functions): offered to the model, never run here. A step that calls
 * any of them ends the reply, with the calls, for the caller to answer.
 */
export type ClientTools = { tools: ToolSet; choice?: LanguageModelV4ToolChoice };

/** A call as the model made it: its input parsed from JSON, not yet checked against the tool's schema. */
export type ToolCall = { toolCallId: string; toolName: string; input: unknown };

/** A call and how it ended: its output, or the error the model is told. */
export type ToolOutcome = ToolCall & ({ output: unknown } | { errorText: string });

/** The toolbox as the AI SDK describes tools to a provider (no `execute`: Chorus runs them itself). */
export function toolSetOf(toolbox: Toolbox): ToolSet {
  return Object.fromEntries(
    Object.entries(toolbox).map(([name, { description, inputSchema, parameters }]) => [
      name,
      parameters ? tool({ description, inputSchema: jsonSchema(parameters) }) : tool({ description, inputSchema }),
    ]),
  );
}

/** A call's JSON input; input that does not parse is kept as the text it was, for the schema to refuse. */
export function parseToolInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Runs one call. Only a stop of the reply makes it throw; every other failure is the call's error result. */
export async function runToolCall(toolbox: Toolbox, call: ToolCall, context: ToolRunContext): Promise<ToolOutcome> {
  const chosen = Object.hasOwn(toolbox, call.toolName) ? toolbox[call.toolName] : undefined;
  if (!chosen) return { ...call, errorText: `there is no tool named ${call.toolName}` };
  const input = chosen.inputSchema.safeParse(call.input);
  if (!input.success) {
    return { ...call, errorText: `invalid input for ${call.toolName}: ${z.prettifyError(input.error)}` };
  }
  try {
    return { ...call, output: await chosen.execute(input.data, context) };
  } catch (error) {
    context.abortSignal.throwIfAborted();
    return { ...call, errorText: error instanceof Error ? error.message : String(error) };
  }
}

/** What the model is sent after a step that called tools: what it said and called, then the results. */
export function messagesAfterStep(text: string, outcomes: ToolOutcome[]): ModelMessage[] {
  return [
    {
      role: 'assistant',
      content: [
        ...(text ? [{ type: 'text' as const, text }] : []),
        ...outcomes.map(({ toolCallId, toolName, input }) => ({
          type: 'tool-call' as const,
          toolCallId,
          toolName,
          input,
        })),
      ],
    },
    {
      role: 'tool',
      content: outcomes.map((outcome) => ({
        type: 'tool-result' as const,
        toolCallId: outcome.toolCallId,
        toolName: outcome.toolName,
        output:
          'errorText' in outcome
            ? { type: 'error-text' as const, value: outcome.errorText }
            : { type: 'json' as const, value: (outcome.output ?? null) as never },
      })),
    },
  ];
}

/** A call left for the caller to run, as the AI SDK UI part a message stores: its input, no result yet. */
export function pendingToolPartOf({ toolCallId, toolName, input }: ToolCall): MessagePart {
  return { type: `tool-${toolName}`, toolCallId, state: 'input-available', input };
}

/** A call as the AI SDK UI part a message stores (`tool-<name>`), finished with its output or its error. */
export function toolPartOf(outcome: ToolOutcome): MessagePart {
  const { toolCallId, toolName, input } = outcome;
  return 'errorText' in outcome
    ? { type: `tool-${toolName}`, toolCallId, state: 'output-error', input, errorText: outcome.errorText }
    : { type: `tool-${toolName}`, toolCallId, state: 'output-available', input, output: outcome.output };
}
