// A person's preferences, kept in users.preferences: the models a new chat starts with and the colour theme. The
// column is open JSON; what Chorus reads of it is this shape, and a stored value that no longer fits is ignored
// field by field rather than refused.
import { z } from 'zod';

export const THEMES = ['light', 'dark', 'system'] as const;

export const preferencesSchema = z
  .object({
    theme: z.enum(THEMES),
    defaultModelIds: z.array(z.string().min(1).max(200)).max(20),
  })
  .partial()
  .strict();

export type Preferences = z.infer<typeof preferencesSchema>;

/** The preferences Chorus understands from a stored value; anything else in it is left out. */
export function readPreferences(stored: Record<string, unknown>): Preferences {
  const preferences: Preferences = {};
  const theme = preferencesSchema.shape.theme.safeParse(stored.theme);
  if (theme.success) preferences.theme = theme.data;
  const models = preferencesSchema.shape.defaultModelIds.safeParse(stored.defaultModelIds);
  if (models.success) preferences.defaultModelIds = models.data;
  return preferences;
}
