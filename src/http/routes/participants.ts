// The people of a conversation: /api/conversations/:id/participants (list; change a role; remove someone),
// /leave and /transfer. Anyone who may read the conversation sees who is in it; the owner and admins remove
// people (never the owner); only the owner gives roles and hands ownership on, and must do so before leaving.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { participantSchema, toParticipantDto } from '../dto/participant.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const participantParams = conversationParams.extend({ userId: z.uuid() });

const participantsResponse = {
  description: 'The people in the conversation, earliest to join first',
  content: { 'application/json': { schema: z.object({ participants: z.array(participantSchema) }) } },
};

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/participants',
  tags: ['people'],
  summary: 'The people in a conversation you may read, with their names, avatars and roles',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 200: participantsResponse, ...errorResponses(400, 401, 404) },
});

const changeRoleRoute = createRoute({
  method: 'patch',
  path: '/api/conversations/{id}/participants/{userId}',
  tags: ['people'],
  summary: 'Make someone an admin or a member (owner only)',
  description: "The owner's own role changes only by transferring ownership (403).",
  security: signedIn,
  request: {
    params: participantParams,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.strictObject({ role: z.enum(['admin', 'member']) }).openapi('ParticipantRoleChange'),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The person with their new role',
      content: { 'application/json': { schema: participantSchema } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/api/conversations/{id}/participants/{userId}',
  tags: ['people'],
  summary: 'Remove someone from a conversation (owner and admins; never the owner)',
  description: 'A private conversation is then not found for them; an invitation can bring them back.',
  security: signedIn,
  request: { params: participantParams },
  responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) },
});

const leaveRoute = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/leave',
  tags: ['people'],
  summary: 'Leave a conversation',
  description: 'The owner cannot leave (409): transfer ownership first.',
  security: signedIn,
  request: { params: conversationParams },
  responses: { 204: { description: 'You left' }, ...errorResponses(400, 401, 403, 404, 409) },
});

const transferRoute = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/transfer',
  tags: ['people'],
  summary: 'Hand ownership to someone already in the conversation (owner only)',
  description: 'The previous owner stays on as an admin. 400 when the new owner is not in the conversation.',
  security: signedIn,
  request: {
    params: conversationParams,
    body: {
      required: true,
      content: { 'application/json': { schema: z.strictObject({ userId: z.uuid() }).openapi('OwnershipTransfer') } },
    },
  },
  responses: { 200: participantsResponse, ...errorResponses(400, 401, 403, 404) },
});

export function registerParticipantRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const participants = await context.get('runtime').conversations.participants.list({ actor, conversationId });
    return context.json({ participants: participants.map(toParticipantDto) }, 200);
  });

  app.openapi(changeRoleRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, userId } = context.req.valid('param');
    const { role } = context.req.valid('json');
    const changed = await context
      .get('runtime')
      .conversations.participants.changeRole({ actor, conversationId, userId, role });
    return context.json(toParticipantDto(changed), 200);
  });

  app.openapi(removeRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, userId } = context.req.valid('param');
    await context.get('runtime').conversations.participants.remove({ actor, conversationId, userId });
    return context.body(null, 204);
  });

  app.openapi(leaveRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    await context.get('runtime').conversations.participants.leave({ actor, conversationId });
    return context.body(null, 204);
  });

  app.openapi(transferRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { userId: newOwnerId } = context.req.valid('json');
    const participants = await context
      .get('runtime')
      .conversations.participants.transferOwnership({ actor, conversationId, newOwnerId });
    return context.json({ participants: participants.map(toParticipantDto) }, 200);
  });
}
