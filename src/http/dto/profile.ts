// The signed-in user's own profile as the API shows it (GET /api/me): the users table's fields a person may see
// of themselves.
import type { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { users } from '../../db/schema/index.ts';
import { preferencesSchema, readPreferences } from '../../people/preferences.ts';
import type { User } from '../../store/users.ts';

const userRow = createSelectSchema(users);

export const profileSchema = userRow
  .pick({ id: true, email: true, username: true, displayName: true, avatarUrl: true, role: true, isGuest: true })
  .extend({
    email: userRow.shape.email.openapi({ description: 'null for guests' }),
    discordId: userRow.shape.discordId.openapi({ description: 'The Discord account linked to this one, if any' }),
    preferences: preferencesSchema.openapi('Preferences', {
      description: 'The models a new chat starts with, and the colour theme',
    }),
  })
  .openapi('Profile');

export function toProfileDto(user: User): z.infer<typeof profileSchema> {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    role: user.role,
    isGuest: user.isGuest,
    discordId: user.discordId,
    preferences: readPreferences(user.preferences),
  };
}
