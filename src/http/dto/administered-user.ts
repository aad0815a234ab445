// A person as admins see them (GET /api/admin/users…): their account, their own daily limit, and what the replies to
// their messages used this month.
import { z } from '@hono/zod-openapi';
import type { AdministeredUser } from '../../people/user-administration.ts';
import { profileSchema, toProfileDto } from './profile.ts';

const usageThisMonthSchema = z
  .object({
    messages: z.number().int().openapi({ description: 'Replies to their messages' }),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    cachedInputTokens: z.number().int(),
    costUsd: z.number(),
  })
  .openapi('UsageThisMonth', { description: 'Since midnight UTC on the first of this month' });

export const administeredUserSchema = profileSchema
  .extend({
    isActive: z.boolean(),
    messagesPerDay: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Their own daily message limit; null: the limit of their kind (system config)' }),
    createdAt: z.iso.datetime(),
    usageThisMonth: usageThisMonthSchema,
  })
  .openapi('AdministeredUser');

export function toAdministeredUserDto(user: AdministeredUser): z.infer<typeof administeredUserSchema> {
  return {
    ...toProfileDto(user),
    isActive: user.isActive,
    messagesPerDay: user.messagesPerDay,
    createdAt: user.createdAt.toISOString(),
    usageThisMonth: user.usageThisMonth,
  };
}
