// The tool calls of one step of a reply, run one after another, each told to the turn's listeners as it is made, as
// it progresses and as it ends.
import type { TokenUsage } from '../models/pricing.ts';
import { runToolCall, type Toolbox, type ToolCall, type ToolOutcome } from '../tools/reply-tools.ts';
import type { TurnListener } from './turn-events.ts';

export type StepTools = {
  toolbox: Toolbox;
  messageId: string;
  modelId: string;
  emit: TurnListener;
  abortSignal: AbortSignal;
  recordUsage(usage: Required<TokenUsage>): void;
};

/** Runs the step's calls in the order the model made them; throws only when the reply is stopped. */
export async function runStepToolCalls(calls: ToolCall[], step: StepTools): Promise<ToolOutcome[]> {
  const { toolbox, messageId, modelId, emit, abortSignal, recordUsage } = step;
  const outcomes: ToolOutcome[] = [];
  for (const call of calls) {
    abortSignal.throwIfAborted();
    emit({ type: 'reply-tool-call', messageId, modelId, ...call });
    const outcome = await runToolCall(toolbox, call, {
      abortSignal,
      messageId,
      toolCallId: call.toolCallId,
      recordUsage,
      progress: (progress) =>
        emit({ type: 'reply-tool-progress', messageId, modelId, toolCallId: call.toolCallId, progress }),
    });
    emit({ type: 'reply-tool-result', messageId, modelId, outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}
