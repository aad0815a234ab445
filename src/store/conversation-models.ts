// The models taking part in a conversation, in reply order, each with its own settings. Anyone who may read the
// conversation sees them; managers change them.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { type ConversationModelSettings, conversationModels, conversations, models } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { isSelectableStatus } from '../models/model-schema.ts';
import type { Actor } from './actor.ts';
import { conversationReachable, conversationWithAccess, requireConversation } from './conversation-access.ts';
import { mergedJson } from './json-merge.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type ConversationModel = typeof conversationModels.$inferSelect;
export type ConversationModelChanges = Partial<Pick<ConversationModel, 'settings' | 'isActive'>>;
/** Changes to some settings, leaving the others as they are; null removes a setting. */
export type ConversationModelSettingChanges = {
  [Key in keyof ConversationModelSettings]?: ConversationModelSettings[Key] | null;
};

type ModelTarget = { actor: Actor; conversationId: string; modelId: string };

export class ConversationModelStore {
  constructor(private readonly db: Database) {}

  async list({ actor, conversationId }: { actor: Actor; conversationId: string }): Promise<ConversationModel[]> {
    const rows = await this.db
      .select({ conversationModel: conversationModels })
      .from(conversationModels)
      .innerJoin(conversations, eq(conversations.id, conversationModels.conversationId))
      .where(conversationWithAccess(actor, conversationId, 'read'))
      .orderBy(asc(conversationModels.position), asc(conversationModels.addedAt), asc(conversationModels.id));
    if (rows.length === 0) await requireConversation(this.db, actor, conversationId, 'read');
    return rows.map((row) => row.conversationModel);
  }

  /** Appends the model after the others. */
  async add({ actor, conversationId, modelId, settings = {} }: ModelTarget & { settings?: ConversationModelSettings }) {
    try {
      return await this.db.transaction(async (tx) => {
        await requireConversation(tx, actor, conversationId, 'manage');
        const [model] = await tx.select({ status: models.status }).from(models).where(eq(models.id, modelId));
        if (!model) throw new AppError('invalid_input', `unknown model id ${modelId}`, { details: { modelId } });
        if (!isSelectableStatus(model.status)) {
          throw new AppError('invalid_input', `model ${modelId} is ${model.status} and cannot be added`, {
            details: { modelId, status: model.status },
          });
        }
        const [added] = await tx
          .insert(conversationModels)
          .values({
            conversationId,
            modelId,
            settings,
            position: sql`(select coalesce(max(${conversationModels.position}) + 1, 0) from ${conversationModels}
              where ${conversationModels.conversationId} = ${conversationId})`,
          })
          .returning();
        return added!;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', `model ${modelId} is already in this conversation`, { cause: error });
      }
      throw error;
    }
  }

  async remove({ actor, conversationId, modelId }: ModelTarget): Promise<void> {
    const removed = await this.db
      .delete(conversationModels)
      .where(and(this.modelOf(conversationId, modelId), conversationReachable(actor, conversationId, 'manage')))
      .returning({ id: conversationModels.id });
    if (removed.length === 0) throw await this.explainMissing({ actor, conversationId, modelId });
  }

  /**
   * Replaces the settings (and/or the active flag) of one model in the conversation; `settingChanges` instead
   * merges into the stored settings inside the statement, so two people changing different settings both keep theirs.
   */
  async update({
    actor,
    conversationId,
    modelId,
    changes = {},
    settingChanges,
  }: ModelTarget & { changes?: ConversationModelChanges; settingChanges?: ConversationModelSettingChanges }) {
    const values = settingChanges
      ? { ...changes, settings: mergedJson(conversationModels.settings, settingChanges) }
      : changes;
    if (Object.keys(values).length === 0)
      throw new AppError('invalid_input', 'nothing to change: give settings or isActive');
    const [updated] = await this.db
      .update(conversationModels)
      .set(values)
      .where(and(this.modelOf(conversationId, modelId), conversationReachable(actor, conversationId, 'manage')))
      .returning();
    if (!updated) throw await this.explainMissing({ actor, conversationId, modelId });
    return updated;
  }

  /** `modelIds` is the whole new order: exactly the models already in the conversation, each once. */
  async reorder({ actor, conversationId, modelIds }: { actor: Actor; conversationId: string; modelIds: string[] }) {
    return this.db.transaction(async (tx): Promise<ConversationModel[]> => {
      await requireConversation(tx, actor, conversationId, 'manage');
      // Locked so a model added or removed meanwhile cannot slip past the completeness check.
      const current = await tx
        .select({ modelId: conversationModels.modelId })
        .from(conversationModels)
        .where(eq(conversationModels.conversationId, conversationId))
        .for('update');
      const currentIds = new Set(current.map((row) => row.modelId));
      const given = new Set(modelIds);
      const complete = given.size === modelIds.length && given.size === currentIds.size;
      if (!complete || modelIds.some((id) => !currentIds.has(id))) {
        throw new AppError('invalid_input', 'the new order must list every model of the conversation exactly once', {
          details: { expected: [...currentIds].sort(), given: modelIds },
        });
      }
      const reordered: ConversationModel[] = [];
      for (const [position, modelId] of modelIds.entries()) {
        const [row] = await tx
          .update(conversationModels)
          .set({ position })
          .where(this.modelOf(conversationId, modelId))
          .returning();
        reordered.push(row!);
      }
      return reordered;
    });
  }

  /**
   * Makes `modelIds` the conversation's models, in that order: the others go, those it lacks are added (each must be
   * selectable, as for `add`), those it keeps keep their settings. Returns the models removed and added.
   */
  async replace({ actor, conversationId, modelIds }: { actor: Actor; conversationId: string; modelIds: string[] }) {
    return this.db.transaction(async (tx) => {
      await requireConversation(tx, actor, conversationId, 'manage');
      const wanted = [...new Set(modelIds)];
      if (wanted.length > 0) {
        const known = await tx
          .select({ id: models.id, status: models.status })
          .from(models)
          .where(inArray(models.id, wanted));
        const statusOf = new Map(known.map((model) => [model.id, model.status]));
        for (const modelId of wanted) {
          const status = statusOf.get(modelId);
          if (!status) throw new AppError('invalid_input', `unknown model id ${modelId}`, { details: { modelId } });
          if (!isSelectableStatus(status)) {
            throw new AppError('invalid_input', `model ${modelId} is ${status} and cannot be added`, {
              details: { modelId, status },
            });
          }
        }
      }
      // Locked so a concurrent change waits for this one, and then sees its result.
      const current = await tx
        .select({ modelId: conversationModels.modelId })
        .from(conversationModels)
        .where(eq(conversationModels.conversationId, conversationId))
        .for('update');
      const currentIds = new Set(current.map((row) => row.modelId));
      const removed = [...currentIds].filter((modelId) => !wanted.includes(modelId));
      const added = wanted.filter((modelId) => !currentIds.has(modelId));
      if (removed.length > 0) {
        await tx
          .delete(conversationModels)
          .where(
            and(eq(conversationModels.conversationId, conversationId), inArray(conversationModels.modelId, removed)),
          );
      }
      for (const [position, modelId] of wanted.entries()) {
        await tx
          .insert(conversationModels)
          .values({ conversationId, modelId, position })
          .onConflictDoUpdate({
            target: [conversationModels.conversationId, conversationModels.modelId],
            set: { position },
          });
      }
      return { removed, added };
    });
  }

  private modelOf(conversationId: string, modelId: string) {
    return and(eq(conversationModels.conversationId, conversationId), eq(conversationModels.modelId, modelId))!;
  }

  private async explainMissing({ actor, conversationId, modelId }: ModelTarget): Promise<AppError> {
    await requireConversation(this.db, actor, conversationId, 'manage');
    return notFound(`model ${modelId} in conversation`, conversationId);
  }
}
