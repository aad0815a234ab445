// A vote as the API shows it: up or down, rather than the stored boolean.
import { z } from '@hono/zod-openapi';
import type { Vote } from '../../store/votes.ts';

export const voteValueSchema = z.enum(['up', 'down']);
export type VoteValue = z.infer<typeof voteValueSchema>;

export const voteSchema = z
  .object({
    messageId: z.uuid(),
    value: voteValueSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Vote');

export const voteValueOf = (vote: Pick<Vote, 'isUpvoted'>): VoteValue => (vote.isUpvoted ? 'up' : 'down');

export function toVoteDto(vote: Vote): z.infer<typeof voteSchema> {
  return {
    messageId: vote.messageId,
    value: voteValueOf(vote),
    createdAt: vote.createdAt.toISOString(),
    updatedAt: vote.updatedAt.toISOString(),
  };
}
