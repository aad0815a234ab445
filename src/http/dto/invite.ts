// An invitation link as the API shows it to the people who manage the conversation: the link to share, what it
// grants, and how much of it is left.
import { z } from '@hono/zod-openapi';
import type { Invite } from '../../store/invites.ts';
import { participantRoleSchema } from './participant.ts';

export const inviteSchema = z
  .object({
    id: z.uuid(),
    conversationId: z.uuid(),
    token: z
      .string()
      .openapi({ description: 'The secret of the link; accept it with POST /api/invites/{token}/accept' }),
    url: z.url().openapi({ description: 'The link to share: the web app opens it and accepts the invitation' }),
    role: participantRoleSchema.openapi({ description: 'The role it gives' }),
    expiresAt: z.iso.datetime().nullable().openapi({ description: 'null: it does not expire' }),
    maxUses: z.number().int().nullable().openapi({ description: 'null: any number of people may use it' }),
    useCount: z.number().int(),
    revokedAt: z.iso.datetime().nullable(),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
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
