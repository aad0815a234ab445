// The tools each model of a turn is offered: only models with the `tools` capability, never on /v1 (whose callers
// bring their own), and the MCP servers' among them only where the conversation switched those servers on.
import type { ConversationSettings, models } from '../db/schema/index.ts';
import type { Actor } from '../store/actor.ts';
import type { Toolbox, ToolboxFactory } from '../tools/reply-tools.ts';

type ModelRow = typeof models.$inferSelect;

export type ToolboxRequest = {
  actor: Actor;
  conversation: { id: string; settings: ConversationSettings };
  offerTools?: boolean;
};

/** Each answering model's tools, by model id; a model missing from the map gets none. */
export async function toolboxesFor(
  toolsFor: ToolboxFactory | undefined,
  { actor, conversation, offerTools }: ToolboxRequest,
  answering: ModelRow[],
): Promise<Map<string, Toolbox | null>> {
  if (!toolsFor || offerTools === false) return new Map();
  const mcpServerIds = conversation.settings.mcpServerIds ?? [];
  const offered = answering.filter((model) => model.capabilities.includes('tools'));
  return new Map(
    await Promise.all(
      offered.map(
        async (model) =>
          [model.id, await toolsFor({ actor, conversationId: conversation.id, model, mcpServerIds })] as const,
      ),
    ),
  );
}
