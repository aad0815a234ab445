// Who may use which model: groups of people, and the models open only to some groups. A model with no
// model_access row is open to everyone; with one, only to the members of its model_access_groups (none: nobody).
import { index, pgTable, primaryKey, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { models } from './models.ts';
import { users } from './users.ts';

export const userGroups = pgTable(
  'user_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: varchar('name', { length: 100 }).notNull(),
    description: text('description'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('idx_user_groups_name').on(table.name)],
);

export const userGroupMembers = pgTable(
  'user_group_members',
  {
    groupId: uuid('group_id')
      .notNull()
      .references(() => userGroups.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ name: 'user_group_members_pkey', columns: [table.groupId, table.userId] }),
    index('idx_user_group_members_user').on(table.userId),
  ],
);

/** A model open only to some groups (those of model_access_groups). */
export const modelAccess = pgTable('model_access', {
  modelId: varchar('model_id', { length: 200 })
    .primaryKey()
    .references(() => models.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const modelAccessGroups = pgTable(
  'model_access_groups',
  {
    modelId: varchar('model_id', { length: 200 })
      .notNull()
      .references(() => modelAccess.modelId, { onDelete: 'cascade', onUpdate: 'cascade' }),
    groupId: uuid('group_id')
      .notNull()
      .references(() => userGroups.id, { onDelete: 'cascade' }),
  },
  (table) => [
    primaryKey({ name: 'model_access_groups_pkey', columns: [table.modelId, table.groupId] }),
    index('idx_model_access_groups_group').on(table.groupId),
  ],
);
