// A person in a conversation as the API shows them: who they are (name, avatar) and their role there.
import { z } from '@hono/zod-openapi';
import { participantRole } from '../../db/schema/index.ts';
import type { ParticipantWithUser } from '../../store/participants.ts';

export const participantRoleSchema = z.enum(participantRole.enumValues);

export const participantSchema = z
  .object({
    userId: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    role: participantRoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .openapi('Participant');

export type ParticipantDto = z.infer<typeof participantSchema>;

export function toParticipantDto(participant: ParticipantWithUser): ParticipantDto {
  return {
    userId: participant.userId,
    username: participant.user.username,
    displayName: participant.user.displayName,
    avatarUrl: participant.user.avatarUrl,
    role: participant.role,
    joinedAt: participant.joinedAt.toISOString(),
  };
}
