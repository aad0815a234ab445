// /api/prompts: the prompts a person saves, to insert into the composer by typing `/` and a prompt's name. Each
// person's own; another person's prompt is not found.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { SavedPrompt } from '../../store/saved-prompts.ts';
import { type AppEnv, requireActor } from '../context.ts';
import { errorResponses, signedIn } from '../openapi.ts';

/** The longest saved prompt: a long instruction fits, a pasted book does not. */
const MAX_PROMPT_CHARS = 20_000;

const promptSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    text: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('SavedPrompt');
const promptFields = {
  name: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\s/]+$/, 'one word, without spaces or slashes: it is typed after a `/`')
    .openapi({ description: 'Typed after `/` in the composer to insert the prompt; unique among yours' }),
  text: z.string().min(1).max(MAX_PROMPT_CHARS).openapi({ description: 'What is inserted' }),
};
const newPromptSchema = z.strictObject(promptFields).openapi('NewSavedPrompt');
const promptChangesSchema = z
  .strictObject({ name: promptFields.name.optional(), text: promptFields.text.optional() })
  .refine((changes) => Object.keys(changes).length > 0, { message: 'send name, text or both' })
  .openapi('SavedPromptChanges');
const promptParams = z.object({ id: z.uuid() });

const promptResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: promptSchema } },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/prompts',
  tags: ['prompts'],
  summary: 'Your saved prompts, by name',
  security: signedIn,
  responses: {
    200: {
      description: 'Your saved prompts',
      content: { 'application/json': { schema: z.object({ items: z.array(promptSchema) }) } },
    },
    ...errorResponses(401),
  },
});

const createPromptRoute = createRoute({
  method: 'post',
  path: '/api/prompts',
  tags: ['prompts'],
  summary: 'Save a prompt',
  security: signedIn,
  request: { body: { required: true, content: { 'application/json': { schema: newPromptSchema } } } },
  responses: { 201: promptResponse('The prompt'), ...errorResponses(400, 401, 409) },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/api/prompts/{id}',
  tags: ['prompts'],
  summary: 'Rename or rewrite a prompt of yours',
  security: signedIn,
  request: {
    params: promptParams,
    body: { required: true, content: { 'application/json': { schema: promptChangesSchema } } },
  },
  responses: { 200: promptResponse('The prompt'), ...errorResponses(400, 401, 404, 409) },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/api/prompts/{id}',
  tags: ['prompts'],
  summary: 'Delete a prompt of yours',
  security: signedIn,
  request: { params: promptParams },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
});

const toPromptDto = (prompt: SavedPrompt) => ({
  id: prompt.id,
  name: prompt.name,
  text: prompt.text,
  createdAt: prompt.createdAt.toISOString(),
  updatedAt: prompt.updatedAt.toISOString(),
});

export function registerPromptRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const prompts = await context.get('runtime').store.savedPrompts.list({ actor: requireActor(context) });
    return context.json({ items: prompts.map(toPromptDto) }, 200);
  });

  app.openapi(createPromptRoute, async (context) => {
    const prompt = context.req.valid('json');
    const saved = await context.get('runtime').store.savedPrompts.create({ actor: requireActor(context), prompt });
    return context.json(toPromptDto(saved), 201);
  });

  app.openapi(updateRoute, async (context) => {
    const { id } = context.req.valid('param');
    const changes = context.req.valid('json');
    const saved = await context.get('runtime').store.savedPrompts.update({ actor: requireActor(context), id, changes });
    return context.json(toPromptDto(saved), 200);
  });

  app.openapi(deleteRoute, async (context) => {
    const { id } = context.req.valid('param');
    await context.get('runtime').store.savedPrompts.delete({ actor: requireActor(context), id });
    return context.body(null, 204);
  });
}
