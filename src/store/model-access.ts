// Groups of people and the models open only to some of them (db/schema/model-access.ts). Every change announces
// itself on CHANNELS.modelAccess in its transaction, and this process's listeners have reloaded before it returns,
// so a model closed to someone is closed to them at once here and within moments on every other process.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client.ts';
import { announce, CHANNELS } from '../db/notifications.ts';
import { modelAccess, modelAccessGroups, models, userGroupMembers, userGroups, users } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { isUniqueViolation } from './postgres-errors.ts';

export type UserGroup = typeof userGroups.$inferSelect;
export type GroupMember = { id: string; email: string | null; displayName: string | null; username: string };
export type GroupWithMembers = UserGroup & { members: GroupMember[] };

/** The whole policy, as the in-memory check holds it (registry/model-access.ts). */
export type AccessPolicy = {
  /** Models open only to some groups, with those groups' ids (none: nobody). */
  restricted: { modelId: string; groupIds: string[] }[];
  memberships: { userId: string; groupId: string }[];
};

export class ModelAccessStore {
  private readonly listeners = new Set<() => Promise<void>>();

  constructor(private readonly db: Database) {}

  /** Calls `listener` after each change this process commits; the change returns once every listener has. */
  onChanged(listener: () => Promise<void>): void {
    this.listeners.add(listener);
  }

  async loadPolicy(): Promise<AccessPolicy> {
    const [restrictedRows, grants, memberships] = await Promise.all([
      this.db.select({ modelId: modelAccess.modelId }).from(modelAccess),
      this.db.select().from(modelAccessGroups),
      this.db.select({ userId: userGroupMembers.userId, groupId: userGroupMembers.groupId }).from(userGroupMembers),
    ]);
    const restricted = restrictedRows.map(({ modelId }) => ({
      modelId,
      groupIds: grants.filter((grant) => grant.modelId === modelId).map((grant) => grant.groupId),
    }));
    return { restricted, memberships };
  }

  async listGroups(): Promise<GroupWithMembers[]> {
    const [groups, members] = await Promise.all([
      this.db.select().from(userGroups).orderBy(asc(userGroups.name)),
      this.db
        .select({
          groupId: userGroupMembers.groupId,
          id: users.id,
          email: users.email,
          displayName: users.displayName,
          username: users.username,
        })
        .from(userGroupMembers)
        .innerJoin(users, eq(users.id, userGroupMembers.userId))
        .orderBy(asc(users.email), asc(users.username)),
    ]);
    return groups.map((group) => ({
      ...group,
      members: members.filter((member) => member.groupId === group.id).map(({ groupId: _, ...member }) => member),
    }));
  }

  async createGroup(input: { name: string; description?: string | null }): Promise<UserGroup> {
    return this.change(async (tx) => {
      const [created] = await tx.insert(userGroups).values(input).returning();
      return created!;
    });
  }

  async updateGroup(id: string, changes: { name?: string; description?: string | null }): Promise<UserGroup> {
    return this.change(async (tx) => {
      const [updated] = await tx.update(userGroups).set(changes).where(eq(userGroups.id, id)).returning();
      if (!updated) throw notFound('group', id);
      return updated;
    });
  }

  /** Deletes the group; models open only to it are then open to nobody (until an admin says otherwise). */
  async deleteGroup(id: string): Promise<void> {
    await this.change(async (tx) => {
      const deleted = await tx.delete(userGroups).where(eq(userGroups.id, id)).returning({ id: userGroups.id });
      if (deleted.length === 0) throw notFound('group', id);
    });
  }

  /** Makes exactly these people the group's members; not-found names the first id that is nobody. */
  async setMembers(id: string, userIds: string[]): Promise<void> {
    const unique = [...new Set(userIds)];
    await this.change(async (tx) => {
      const [group] = await tx
        .select({ id: userGroups.id })
        .from(userGroups)
        .where(eq(userGroups.id, id))
        .for('update');
      if (!group) throw notFound('group', id);
      await requireAll(tx, 'user', unique, users.id);
      await tx.delete(userGroupMembers).where(eq(userGroupMembers.groupId, id));
      if (unique.length > 0) {
        await tx.insert(userGroupMembers).values(unique.map((userId) => ({ groupId: id, userId })));
      }
    });
  }

  /** Opens the model to everyone (`groupIds` null) or only to the members of these groups. */
  async setModelAccess({
    modelId,
    groupIds,
    changedBy,
  }: {
    modelId: string;
    groupIds: string[] | null;
    changedBy: string | null;
  }): Promise<void> {
    await this.change(async (tx) => {
      await requireAll(tx, 'model', [modelId], models.id);
      await tx.delete(modelAccess).where(eq(modelAccess.modelId, modelId));
      if (groupIds === null) return;
      const unique = [...new Set(groupIds)];
      await requireAll(tx, 'group', unique, userGroups.id);
      await tx.insert(modelAccess).values({ modelId, updatedBy: changedBy });
      if (unique.length > 0) {
        await tx.insert(modelAccessGroups).values(unique.map((groupId) => ({ modelId, groupId })));
      }
    });
  }

  private async change<Result>(work: (tx: Executor) => Promise<Result>): Promise<Result> {
    let result: Result;
    try {
      result = await this.db.transaction(async (tx) => {
        const done = await work(tx);
        await announce(tx, CHANNELS.modelAccess, '');
        return done;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', 'a group with this name exists', { cause: error });
      throw error;
    }
    await Promise.all([...this.listeners].map((listener) => listener()));
    return result;
  }
}

/** not_found naming the first of `ids` that `column` (a primary key) does not hold. */
async function requireAll(
  tx: Executor,
  what: string,
  ids: string[],
  column: typeof users.id | typeof models.id | typeof userGroups.id,
): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: sql<string>`${column}` })
    .from(column.table)
    .where(and(inArray(column, ids)));
  const existing = new Set(found.map((row) => row.id));
  const missing = ids.find((id) => !existing.has(id));
  if (missing) throw notFound(what, missing);
}
