// The system configuration keys the program reads, each with what it means, the shape its value must have and the
// value in force while none is set: the one list the admin API validates against and the admin screen describes.
// Other keys may be stored (any JSON), but nothing reads them.
import { z } from 'zod';
import { DAILY_MESSAGE_LIMITS_KEY, DEFAULT_DAILY_MESSAGE_LIMITS, dailyMessageLimitsSchema } from '../auth/limits.ts';
import { DISCORD_CHANNEL_MODELS_KEY, discordChannelModelsSchema } from '../discord/channel-models.ts';
import { ANSWER_EVERYWHERE, DISCORD_ACCESS_KEY, discordAccessSchema } from '../discord/discord-access.ts';
import { DEFAULT_MODEL_SOURCE, MODEL_SOURCE_KEY, modelSourceSchema } from '../registry/model-source.ts';

export type KnownConfigKey = {
  key: string;
  description: string;
  schema: z.ZodType;
  /** What the program uses while the key has no value. */
  defaultValue: unknown;
};

export const KNOWN_CONFIG_KEYS: readonly KnownConfigKey[] = [
  {
    key: MODEL_SOURCE_KEY,
    description:
      'Where the list of models people pick from is read: the database registry (`database`), the catalog shipped ' +
      'with the program (`static`), or a rollout that gives `percentage` % of people the registry and compares both.',
    schema: modelSourceSchema,
    defaultValue: DEFAULT_MODEL_SOURCE,
  },
  {
    key: DAILY_MESSAGE_LIMITS_KEY,
    description:
      'Messages a day each kind of person may send (guest, user, admin); null means no limit, a kind left out ' +
      'keeps its default. Counted across every way in: web, API keys, /v1.',
    schema: dailyMessageLimitsSchema,
    defaultValue: DEFAULT_DAILY_MESSAGE_LIMITS,
  },
  {
    key: DISCORD_ACCESS_KEY,
    description:
      'Where the Discord bot answers: the guilds (none listed: every guild), the channels within them (none listed: ' +
      'every channel; a thread goes by its parent) and whether it answers direct messages.',
    schema: discordAccessSchema,
    defaultValue: ANSWER_EVERYWHERE,
  },
  {
    key: DISCORD_CHANNEL_MODELS_KEY,
    description:
      "The models each Discord channel's new conversations start with (channel id → model ids, in reply order); " +
      "a channel left out starts with the server's default model.",
    schema: discordChannelModelsSchema,
    defaultValue: {},
  },
];

const byKey = new Map(KNOWN_CONFIG_KEYS.map((known) => [known.key, known]));

export const knownConfigKey = (key: string): KnownConfigKey | undefined => byKey.get(key);

/** The shape of a known key's value as JSON Schema, for a client to show (and check) what it may hold. */
export const valueJsonSchema = (known: KnownConfigKey): unknown => z.toJSONSchema(known.schema);
