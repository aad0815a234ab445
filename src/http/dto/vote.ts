// A vote as the API shows it: up or down, rather than the stored boolean.
// Plain Zod, named for the OpenAPI document with `.meta`: a message (message.ts) carries the caller's vote.
import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { votes } from '../../db/schema/index.ts';
import type { Vote } from '../../store/votes.ts';
import { isoTimestamp } from './timestamps.ts';

export const voteValueSchema = z.enum(['up', 'down']).meta({ id: 'VoteValue' });
export type VoteValue = z.infer<typeof voteValueSchema>;

export const voteSchema = createSelectSchema(votes, { createdAt: isoTimestamp, updatedAt: isoTimestamp })
  .pick({ messageId: true, createdAt: true, updatedAt: true })
  .extend({ value: voteValueSchema })
  .meta({ id: 'Vote' });

export const voteValueOf = (vote: Pick<Vote, 'isUpvoted'>): VoteValue => (vote.isUpvoted ? 'up' : 'down');

export function toVoteDto(vote: Vote): z.infer<typeof voteSchema> {
  return {
    messageId: vote.messageId,
    value: voteValueOf(vote),
    createdAt: vote.createdAt.toISOString(),
    updatedAt: vote.updatedAt.toISOString(),
  };
}
