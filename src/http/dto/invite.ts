// An invitation link as the API shows it to the people who manage the conversation: the link to share, what it
// grants, and how much of it is left. The stored fields come from the conversation_invites table.
import { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { conversationInvites } from '../../db/schema/index.ts';
import type { Invite } from '../../store/invites.ts';
import { participantRoleSchema } from './participant.ts';
import { isoTimestamp } from './timestamps.ts';

const inviteRow = createSelectSchema(conversationInvites, {
  expiresAt: isoTimestamp,
  revokedAt: isoTimestamp,
  createdAt: isoTimestamp,
});

export const inviteSchema = inviteRow
  .pick({
    id: true,
    conversationId: true,
    token: true,
    role: true,
    expiresAt: true,
    maxUses: true,
    useCount: true,
    revokedAt: true,
    createdBy: true,
    createdAt: true,
  })
  .extend({
    token: inviteRow.shape.token.openapi({
      description: 'The secret of the link; accept it with POST /api/invites/{token}/accept',
    }),
    url: z.url().openapi({ description: 'The link to share: the web app opens it and accepts the invitation' }),
    role: participantRoleSchema.openapi({ description: 'The role it gives' }),
    expiresAt: inviteRow.shape.expiresAt.openapi({ description: 'null: it does not expire' }),
    maxUses: inviteRow.shape.maxUses.openapi({ description: 'null: any number of people may use it' }),
  })
  .openapi('Invite');

export type InviteDto = z.infer<typeof inviteSchema>;

/** The link people open: the web app's invitation page under PUBLIC_URL (which may carry a path prefix). */
export const inviteUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, '')}/invite/${token}`;

export function toInviteDto(invite: Invite, publicUrl: string): InviteDto {
  return {
    id: invite.id,
    conversationId: invite.conversationId,
    token: invite.token,
    url: inviteUrl(publicUrl, invite.token),
    role: invite.role,
    expiresAt: invite.expiresAt?.toISOString() ?? null,
    maxUses: invite.maxUses,
    useCount: invite.useCount,
    revokedAt: invite.revokedAt?.toISOString() ?? null,
    createdBy: invite.createdBy,
    createdAt: invite.createdAt.toISOString(),
  };
}
