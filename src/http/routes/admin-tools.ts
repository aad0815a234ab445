// /api/admin/tools: the MCP servers whose tools models may call in conversations that switch them on — register,
// change, delete, test the connection — and the record of every call made to them.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import {
  mcpServerChangesSchema,
  mcpServerCreateSchema,
  mcpServerSchema,
  mcpToolSchema,
  toMcpServerDto,
  toolCallSchema,
  toToolCallDto,
} from '../dto/mcp-server.ts';
import { cursorSchema, pageLimitSchema, pageSchema } from '../dto/page.ts';
import { errorResponses, signedIn } from '../openapi.ts';

const TAG = 'admin: tools';

const json = <Schema extends z.ZodType>(schema: Schema) => ({ 'application/json': { schema } });
const serverParams = z.object({ id: z.uuid() });
const serverResponse = { description: 'The MCP server', content: json(mcpServerSchema) };

const listRoute = createRoute({
  method: 'get',
  path: '/api/admin/tools',
  tags: [TAG],
  summary: 'Every MCP server, by name',
  security: signedIn,
  middleware: [adminOnly] as const,
  responses: {
    200: { description: 'MCP servers', content: json(z.object({ servers: z.array(mcpServerSchema) })) },
    ...errorResponses(401, 403),
  },
});

const createServerRoute = createRoute({
  method: 'post',
  path: '/api/admin/tools',
  tags: [TAG],
  summary: 'Register an MCP server: streamable HTTP (url, headers) or a stdio command (command, args, env)',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { body: { required: true, content: json(mcpServerCreateSchema) } },
  responses: { 201: serverResponse, ...errorResponses(400, 401, 403, 409) },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/api/admin/tools/{id}',
  tags: [TAG],
  summary: 'Change an MCP server; its connection is remade on next use',
  description: 'Fields left out stay. Changing the transport clears the other transport’s fields.',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: serverParams, body: { required: true, content: json(mcpServerChangesSchema) } },
  responses: { 200: serverResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/admin/tools/{id}',
  tags: [TAG],
  summary: 'Delete an MCP server (its recorded calls stay, with its name)',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: serverParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 403, 404) },
});

const testRoute = createRoute({
  method: 'post',
  path: '/api/admin/tools/{id}/test',
  tags: [TAG],
  summary: 'Connect to an MCP server now and list its tools',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: { params: serverParams },
  responses: {
    200: { description: 'The server’s tools', content: json(z.object({ tools: z.array(mcpToolSchema) })) },
    ...errorResponses(400, 401, 403, 404, 502),
  },
});

const callsRoute = createRoute({
  method: 'get',
  path: '/api/admin/tools/calls',
  tags: [TAG],
  summary: 'The calls models made to MCP tools, newest first, with their input and output',
  security: signedIn,
  middleware: [adminOnly] as const,
  request: {
    query: z.object({
      serverId: z.uuid().optional().openapi({ description: 'Only this server’s calls' }),
      limit: pageLimitSchema,
      cursor: cursorSchema,
    }),
  },
  responses: {
    200: { description: 'A page of calls', content: json(pageSchema(toolCallSchema)) },
    ...errorResponses(400, 401, 403),
  },
});

export function registerAdminToolRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    requireAdmin(context);
    const servers = await context.get('runtime').mcpServers.list();
    return context.json({ servers: servers.map(toMcpServerDto) }, 200);
  });

  app.openapi(callsRoute, async (context) => {
    requireAdmin(context);
    const page = await context.get('runtime').mcpServers.listCalls(context.req.valid('query'));
    return context.json({ items: page.items.map(toToolCallDto), nextCursor: page.nextCursor }, 200);
  });

  app.openapi(createServerRoute, async (context) => {
    const actor = requireAdmin(context);
    const created = await context
      .get('runtime')
      .mcpServers.create({ ...context.req.valid('json'), createdBy: actor.id });
    return context.json(toMcpServerDto(created), 201);
  });

  app.openapi(updateRoute, async (context) => {
    requireAdmin(context);
    const updated = await context
      .get('runtime')
      .mcpServers.update(context.req.valid('param').id, context.req.valid('json'));
    return context.json(toMcpServerDto(updated), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    requireAdmin(context);
    await context.get('runtime').mcpServers.delete(context.req.valid('param').id);
    return context.body(null, 204);
  });

  app.openapi(testRoute, async (context) => {
    requireAdmin(context);
    const tools = await context.get('runtime').mcpServers.test(context.req.valid('param').id);
    return context.json(
      {
        tools: tools.map(({ name, description, inputSchema }) => ({
          name,
          description: description ?? null,
          inputSchema,
        })),
      },
      200,
    );
  });
}
