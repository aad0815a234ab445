// Prompts a person saves to insert into the composer by typing `/` and their name. Each person's own: nobody else
// sees them, and they go with their account.
import { pgTable, text, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { users } from './users.ts';

export const savedPrompts = pgTable(
  'saved_prompts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** What follows the `/` in the composer; unique per person. */
    name: varchar('name', { length: 60 }).notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex('saved_prompts_user_name_unique').on(table.userId, table.name)],
);
