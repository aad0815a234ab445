// A person in a conversation as the API shows them: who they are (name, avatar, from the users table) and their
// role there (from conversation_participants).
import { z } from '@hono/zod-openapi';
import { createSelectSchema } from 'drizzle-zod';
import { conversationParticipants, participantRole, users } from '../../db/schema/index.ts';
import type { ParticipantWithUser } from '../../store/participants.ts';
import { isoTimestamp } from './timestamps.ts';

export const participantRoleSchema = createSelectSchema(participantRole);

const participantRow = createSelectSchema(conversationParticipants, { joinedAt: isoTimestamp });
const userRow = createSelectSchema(users);

export const participantSchema = z
  .object({
    userId: participantRow.shape.userId,
    username: userRow.shape.username,
    displayName: userRow.shape.displayName,
    avatarUrl: userRow.shape.avatarUrl,
    role: participantRoleSchema,
    joinedAt: participantRow.shape.joinedAt,
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
