// Invitation links: /api/conversations/:id/invites (create, list, revoke; owner and admins, and a link that makes
// admins is the owner's alone) and /api/invites/:token/accept (anyone signed in who holds the link).
// An invitation that can no longer be used (expired, used up, revoked) is refused with 409 and its reason in
// `details.reason`; 409 rather than 410 because the link itself still exists, only its state forbids the join.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { publicUrl } from '../../auth/better-auth.ts';
import { DEFAULT_INVITE_HOURS, MAX_INVITE_HOURS } from '../../conversations/invites.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { conversationSummarySchema, toConversationSummaryDto } from '../dto/conversation.ts';
import { inviteSchema, toInviteDto } from '../dto/invite.ts';
import { errorResponses, signedIn } from '../openapi.ts';
import { conversationParams } from '../path-params.ts';

const newInviteSchema = z
  .strictObject({
    expiresInHours: z
      .number()
      .positive()
      .max(MAX_INVITE_HOURS)
      .nullable()
      .optional()
      .openapi({ description: `Hours until it expires; default ${DEFAULT_INVITE_HOURS}, null: never` }),
    maxUses: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .nullable()
      .optional()
      .openapi({ description: 'How many people may join with it; omitted or null: any number' }),
    role: z
      .enum(['member', 'admin'])
      .optional()
      .openapi({ description: 'The role it gives; default member. Only the owner makes admin invitations.' }),
  })
  .openapi('NewInvite');

const inviteParams = conversationParams.extend({ inviteId: z.uuid() });

const newInviteRoute = createRoute({
  method: 'post',
  path: '/api/conversations/{id}/invites',
  tags: ['people'],
  summary: 'Create an invitation link (owner and admins)',
  security: signedIn,
  request: {
    params: conversationParams,
    body: { required: false, content: { 'application/json': { schema: newInviteSchema } } },
  },
  responses: {
    201: { description: 'The invitation', content: { 'application/json': { schema: inviteSchema } } },
    ...errorResponses(400, 401, 403, 404),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/conversations/{id}/invites',
  tags: ['people'],
  summary: "A conversation's invitations, newest first, spent and revoked ones included (owner and admins)",
  security: signedIn,
  request: { params: conversationParams },
  responses: {
    200: {
      description: 'The invitations',
      content: { 'application/json': { schema: z.object({ invites: z.array(inviteSchema) }) } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/conversations/{id}/invites/{inviteId}',
  tags: ['people'],
  summary: 'Revoke an invitation (owner and admins); those who joined with it stay',
  security: signedIn,
  request: { params: inviteParams },
  responses: { 204: { description: 'Revoked (also when it already was)' }, ...errorResponses(400, 401, 403, 404) },
});

const acceptRoute = createRoute({
  method: 'post',
  path: '/api/invites/{token}/accept',
  tags: ['people'],
  summary: 'Join a conversation with an invitation link',
  description:
    'Someone already in the conversation gets it back (joined: false) without using the invitation. ' +
    '409 when the invitation has expired, been used up or been revoked: `details.reason` is `expired`, ' +
    '`used_up` or `revoked`. 404 for an unknown token.',
  security: signedIn,
  request: { params: z.object({ token: z.string().min(1).max(64) }) },
  responses: {
    200: {
      description: 'You are in the conversation',
      content: {
        'application/json': {
          schema: z
            .object({
              joined: z.boolean().openapi({ description: 'false when you were already in it' }),
              conversation: conversationSummarySchema,
            })
            .openapi('AcceptedInvite'),
        },
      },
    },
    ...errorResponses(400, 401, 404, 409),
  },
});

export function registerInviteRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(newInviteRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    // The body is optional: a POST without one makes a member invitation with the defaults.
    const { expiresInHours, maxUses, role } = context.req.valid('json');
    const { conversations, env } = context.get('runtime');
    const invite = await conversations.invites.create({ actor, conversationId, role, maxUses, expiresInHours });
    return context.json(toInviteDto(invite, publicUrl(env)), 201);
  });

  app.openapi(listRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId } = context.req.valid('param');
    const { conversations, env } = context.get('runtime');
    const invites = await conversations.invites.list({ actor, conversationId });
    return context.json({ invites: invites.map((invite) => toInviteDto(invite, publicUrl(env))) }, 200);
  });

  app.openapi(revokeRoute, async (context) => {
    const actor = requireActor(context);
    const { id: conversationId, inviteId } = context.req.valid('param');
    await context.get('runtime').conversations.invites.revoke({ actor, conversationId, inviteId });
    return context.body(null, 204);
  });

  app.openapi(acceptRoute, async (context) => {
    const actor = requireActor(context);
    const { token } = context.req.valid('param');
    const { joined, conversation } = await context.get('runtime').conversations.invites.accept({ actor, token });
    return context.json({ joined, conversation: toConversationSummaryDto(conversation) }, 200);
  });
}
