// System configuration for admins: read every key, change one, read a key's audit trail. The keys the program
// acts on are validated here with their own schemas, so a typo cannot switch model reads off (say) — and each
// change is announced, so every server process applies it without a restart.
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { DAILY_MESSAGE_LIMITS_KEY, dailyMessageLimitsSchema } from '../../auth/limits.ts';
import { DISCORD_CHANNEL_MODELS_KEY, discordChannelModelsSchema } from '../../discord/channel-models.ts';
import { DISCORD_ACCESS_KEY, discordAccessSchema } from '../../discord/discord-access.ts';
import { MODEL_SOURCE_KEY, modelSourceSchema } from '../../registry/model-source.ts';
import { type AppEnv, adminOnly, requireAdmin } from '../context.ts';
import { invalidInput } from '../errors.ts';
import { errorResponses, signedIn } from '../openapi.ts';

/** The keys whose values the program reads, and what a value must look like. Other keys take any JSON. */
const KNOWN_KEYS: Record<string, z.ZodType> = {
  [MODEL_SOURCE_KEY]: modelSourceSchema,
  [DAILY_MESSAGE_LIMITS_KEY]: dailyMessageLimitsSchema,
  [DISCORD_ACCESS_KEY]: discordAccessSchema,
  [DISCORD_CHANNEL_MODELS_KEY]: discordChannelModelsSchema,
};

const keyParam = z.object({
  key: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-zA-Z0-9_.-]+$/, 'letters, digits, _ . -'),
});

const configSchema = z
  .object({ key: z.string(), value: z.unknown(), updatedAt: z.iso.datetime(), updatedBy: z.string().nullable() })
  .openapi('SystemConfig');

const changeSchema = z
  .object({
    key: z.string(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    changedBy: z.string().nullable(),
    changedAt: z.iso.datetime(),
  })
  .openapi('SystemConfigChange');

const route = { tags: ['admin: config'], security: signedIn, middleware: [adminOnly] };

const listRoute = createRoute({
  ...route,
  method: 'get',
  path: '/api/admin/config',
  summary: 'Every system configuration key and its value',
  responses: {
    200: {
      description: 'The configuration',
      content: { 'application/json': { schema: z.object({ items: z.array(configSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const setRoute = createRoute({
  ...route,
  method: 'put',
  path: '/api/admin/config/{key}',
  summary: 'Set a key (e.g. models.source); takes effect in every server process without a restart',
  request: {
    params: keyParam,
    body: { required: true, content: { 'application/json': { schema: z.object({ value: z.unknown() }).strict() } } },
  },
  responses: {
    200: { description: 'The key as stored', content: { 'application/json': { schema: configSchema } } },
    ...errorResponses(400, 401, 403),
  },
});

const historyRoute = createRoute({
  ...route,
  method: 'get',
  path: '/api/admin/config/{key}/history',
  summary: "A key's changes, newest first: old and new value, who, when",
  request: { params: keyParam },
  responses: {
    200: {
      description: 'The audit trail',
      content: { 'application/json': { schema: z.object({ items: z.array(changeSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

type StoredConfig = { key: string; value: unknown; updatedAt: Date; updatedBy: string | null };
const toConfigDto = (config: StoredConfig) => ({ ...config, updatedAt: config.updatedAt.toISOString() });

export function registerAdminConfigRoutes(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (context) => {
    const configs = await context.get('runtime').store.systemConfigs.getAll();
    return context.json({ items: configs.map(toConfigDto) }, 200);
  });

  app.openapi(setRoute, async (context) => {
    const actor = requireAdmin(context);
    const { key } = context.req.valid('param');
    const { value } = context.req.valid('json');
    const schema = KNOWN_KEYS[key];
    const checked = schema?.safeParse(value);
    if (checked && !checked.success) throw invalidInput(checked.error, `value of ${key}`);
    const stored = await context
      .get('runtime')
      .store.systemConfigs.set({ actor, key, value: checked ? checked.data : value });
    return context.json(toConfigDto(stored), 200);
  });

  app.openapi(historyRoute, async (context) => {
    const changes = await context.get('runtime').store.systemConfigs.history(context.req.valid('param').key);
    return context.json(
      { items: changes.map((change) => ({ ...change, changedAt: change.changedAt.toISOString() })) },
      200,
    );
  });
}
