// Configuration comes from the environment and is validated once at start-up: a bad value stops the
// program with a message naming the variable, instead of failing later somewhere far away.
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .min(1)
  .optional()
  .refine((value) => value === undefined || URL.canParse(value), 'must be a URL');

export const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl,
  /** 32 bytes, base64 or hex. When set, message text is stored only encrypted. */
  CHORUS_ENCRYPTION_KEY: z.string().min(1).optional(),
  /** Earlier keys, comma-separated, still accepted for reading until `chorus encryption rotate` ran. */
  CHORUS_ENCRYPTION_PREVIOUS_KEYS: z.string().min(1).optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Parses the environment; on failure names every bad variable and why. */
export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = environmentSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigurationError(`Invalid configuration:\n${problems.join('\n')}`);
}
