// The models of a conversation, in reply order, each with its own settings there: anyone who may read the
// conversation lists them; its owner and admins add, change, reorder and remove them. Adding or removing one is
// announced to the conversation's followers.
import type { ConversationModelSettings } from '../db/schema/index.ts';
import type { Actor } from '../store/actor.ts';
import type { ConversationModel, ConversationModelSettingChanges } from '../store/conversation-models.ts';
import type { ModelName } from '../store/messages.ts';
import type { ConversationAccess } from './access.ts';
import { assertModelsSelectable, type ConversationServiceDependencies } from './dependencies.ts';

/** A model of the conversation with the name (and avatar label) it is shown with. */
export type NamedConversationModel = { model: ConversationModel; name: ModelName | undefined };

type ModelTarget = { actor: Actor; conversationId: string; modelId: string };

export class ConversationModelService {
  constructor(
    private readonly dependencies: ConversationServiceDependencies,
    private readonly access: ConversationAccess,
  ) {}

  /** The conversation's models in reply order, for anyone who may read it. */
  async list({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<NamedConversationModel[]> {
    return this.named(await this.dependencies.store.conversationModels.list({ actor, conversationId }));
  }

  /**
   * Appends a model after the others (owner and admins). It must be one the actor could pick for a message now;
   * access is checked first, so someone who may not manage the conversation learns nothing about the model.
   */
  async add({
    actor,
    conversationId,
    modelId,
    settings,
  }: ModelTarget & { settings?: ConversationModelSettings }): Promise<NamedConversationModel> {
    const { store, events } = this.dependencies;
    await this.access.assertMay(actor, conversationId, 'manage');
    assertModelsSelectable(this.dependencies, actor, [modelId]);
    const added = await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      store.conversationModels.add({ actor, conversationId, modelId, settings }),
    );
    events.publish(conversationId, { type: 'model-added', modelId });
    return this.one(added);
  }

  /** Changes a model's settings there (those given; null removes one) or pauses it (owner and admins). */
  async update({
    actor,
    conversationId,
    modelId,
    settingChanges,
    isActive,
  }: ModelTarget & {
    settingChanges?: ConversationModelSettingChanges;
    isActive?: boolean;
  }): Promise<NamedConversationModel> {
    const changes = isActive === undefined ? {} : { isActive };
    const changed = await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      this.dependencies.store.conversationModels.update({ actor, conversationId, modelId, changes, settingChanges }),
    );
    return this.one(changed);
  }

  /** Takes a model out of the conversation (owner and admins); its past replies stay. */
  async remove({ actor, conversationId, modelId }: ModelTarget): Promise<void> {
    const { store, events } = this.dependencies;
    await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      store.conversationModels.remove({ actor, conversationId, modelId }),
    );
    events.publish(conversationId, { type: 'model-removed', modelId });
  }

  /** Sets the reply order (owner and admins): `modelIds` lists every model of the conversation exactly once. */
  async reorder({
    actor,
    conversationId,
    modelIds,
  }: {
    actor: Actor;
    conversationId: string;
    modelIds: string[];
  }): Promise<NamedConversationModel[]> {
    const reordered = await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      this.dependencies.store.conversationModels.reorder({ actor, conversationId, modelIds }),
    );
    return this.named(reordered);
  }

  /**
   * Makes `modelIds` the conversation's models, in that order (owner and admins): the others go (their past replies
   * stay), the new ones join, those kept keep their settings. Each must be one the actor could pick for a message now.
   */
  async replace({
    actor,
    conversationId,
    modelIds,
  }: {
    actor: Actor;
    conversationId: string;
    modelIds: string[];
  }): Promise<NamedConversationModel[]> {
    const { store, events } = this.dependencies;
    await this.access.assertMay(actor, conversationId, 'manage');
    assertModelsSelectable(this.dependencies, actor, modelIds);
    const { removed, added } = await this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      store.conversationModels.replace({ actor, conversationId, modelIds }),
    );
    for (const modelId of removed) events.publish(conversationId, { type: 'model-removed', modelId });
    for (const modelId of added) events.publish(conversationId, { type: 'model-added', modelId });
    return this.list({ actor, conversationId });
  }

  /** With the models' names: one lookup for the whole list. */
  private async named(models: ConversationModel[]): Promise<NamedConversationModel[]> {
    const names = await this.dependencies.store.messages.modelNames(models.map((model) => model.modelId));
    return models.map((model) => ({ model, name: names.get(model.modelId) }));
  }

  private async one(model: ConversationModel): Promise<NamedConversationModel> {
    return (await this.named([model]))[0]!;
  }
}
