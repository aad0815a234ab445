// How a model is named wherever something it wrote or takes part in is shown: its registry row's name, display
// name and avatar (kept for retired models too).
import { createSelectSchema } from 'drizzle-zod';
import { models } from '../../db/schema/index.ts';

// Plain Zod (named with `.meta`), like message.ts which uses it: the conversation events reuse these shapes.
const modelRow = createSelectSchema(models);

export const modelNameSchema = modelRow.pick({ name: true, displayName: true, avatar: true }).extend({
  avatar: modelRow.shape.avatar.meta({ description: 'A short label for the chat bubble, e.g. "G"' }),
});
