// Votes on model replies: /api/conversations/:id/messages/:messageId/vote (PUT up or down, DELETE to take it back)
// and /api/conversations/:id/votes (your votes there). Votes are per person and rate the models, so casting one
// takes part in the conversation: a reader of a public conversation is told 403 (the conversation service decides).
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { toVoteDto, voteSchema, voteValueSchema } from '../dto/vote.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const messageParams = z.object({ id: z.uuid(), messageId: z.uuid() });

const voteRoute = createRoute({
  method: 'put',
  path: '/api/conversations/{id}/messages/{messageId}/vote',
  tags: ['votes'],
  summary: "Vote a model's reply up or down; voting again changes your vote",
  security: signedIn,
  request: {
    params: messageParams,
    body: { required: true, content: { 'application/json': { schema: z.strictObject({ value: voteValueSchema }) } } },
  },
  responses: {
    200: { description: 'Your vote', content: { 'application/json': { schema: voteSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const clearVoteRoute = createRoute({
  method: 'delete',
  path: '/api/conversations/{id}/messages/{messageId}/vote',
  tags: ['votes'],
  summary: 'Take back your vote on a message (nothing to take back is fine)',
  security: signedIn,
  request: { params: messageParams },
  responses: { 204: { description: 'You have no vote on it now' }, ...errorResponses(400, 401, 403, 404) },
});

const listVotesRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/votes',
  tags: ['votes'],
  summary: 'Your votes in a conversation, oldest first',
  security: signedIn,
  request: { params: conversationParams },
  responses: {
    200: {
      description: 'Your votes',
      content: { 'application/json': { schema: z.object({ votes: z.array(voteSchema) }) } },
    },
    ...errorResponses(400, 401, 404),
  },
});

export function registerVoteRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(voteRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, messageId } = context.req.valid('param');
    const { value } = context.req.valid('json');
    const vote = await context
      .get('runtime')
      .conversations.votes.vote({ actor, conversationId, messageId, isUpvoted: value === 'up' });
    return context.json(toVoteDto(vote), 200);
  });

  app.openapi(clearVoteRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, messageId } = context.req.valid('param');
    await context.get('runtime').conversations.votes.clear({ actor, conversationId, messageId });
    return context.body(null, 204);
  });

  app.openapi(listVotesRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const votes = await context.get('runtime').conversations.votes.listMine({ actor, conversationId });
    return context.json({ votes: votes.map(toVoteDto) }, 200);
  });
}
