// /api/tools/servers: the MCP servers a conversation may switch on (its mcpServerIds setting), for everyone signed
// in — their names and descriptions, never how they are reached.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const offeredServerSchema = z
  .object({ id: z.uuid(), name: z.string(), description: z.string().nullable() })
  .openapi('OfferedMcpServer');

const listRoute = createRoute({
  method: 'get',
  path: '/api/tools/servers',
  tags: ['tools'],
  summary: 'The MCP servers a conversation may switch on, by name',
  security: signedIn,
  responses: {
    200: {
      description: 'MCP servers',
      content: { 'application/json': { schema: z.object({ servers: z.array(offeredServerSchema) }) } },
    },
    ...errorResponses(401),
  },
});

export function registerToolRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    requireActor(context);
    const servers = await context.get('runtime').mcpServers.list();
    return context.json({ servers: servers.map(({ id, name, description }) => ({ id, name, description })) }, 200);
  });
}
