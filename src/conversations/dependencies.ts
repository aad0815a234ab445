// What the conversation services are built on: the store, the live events they announce every change on, and
// which models a person may bring into a conversation.
import { resolveRequestedModels } from '../chat/model-selection.ts';
import type { ConversationEvents } from '../events/index.ts';
import type { ProviderRegistry } from '../providers/index.ts';
import type { ModelSource } from '../registry/model-source.ts';
import type { Actor } from '../store/actor.ts';
import type { FileStore } from '../store/files.ts';
import type { Store } from '../store/index.ts';

export type ConversationServiceDependencies = {
  store: Store;
  /** Every committed change is announced here, to whoever follows the conversation. */
  events: Pick<ConversationEvents, 'publish'>;
  /** The models each person may pick from, and the providers that can call them. */
  modelSource: Pick<ModelSource, 'viewFor'>;
  providers: ProviderRegistry;
  /** Whether the files messages carry still exist. */
  files: Pick<FileStore, 'findDeleted'>;
};

/**
 * Refuses (invalid input, naming each) any model the actor could not pick for a new message now: unknown,
 * deprecated or disabled, or its provider not configured here. A conversation's models answer its messages, so
 * only models that can answer join it.
 */
export function assertModelsSelectable(
  { modelSource, providers }: Pick<ConversationServiceDependencies, 'modelSource' | 'providers'>,
  actor: Actor,
  modelIds: string[],
): void {
  resolveRequestedModels(modelSource.viewFor(actor.id), providers, modelIds);
}
