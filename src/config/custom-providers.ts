// OpenAI-compatible servers (Ollama, vLLM, LM Studio, or a hosted API such as Groq) declared in the
// environment, any number of them, by a family of variables rather than fixed names:
//   CHORUS_PROVIDER_<NAME>_BASE_URL  (required)  e.g. http://127.0.0.1:11434/v1
//   CHORUS_PROVIDER_<NAME>_API_KEY   (optional)  sent as `Authorization: Bearer …`
//   CHORUS_PROVIDER_<NAME>_MODELS    (optional)  e.g. llama3.1:8b,qwen2.5 — registered as <name>:<model>
// <NAME> becomes the provider id in lower case with `_` turned into `-` (LM_STUDIO → lm-studio), so a
// name that matches a catalog provider (GROQ, MISTRAL, DEEPSEEK, ...) also serves that provider's
// catalog models.
import { z } from 'zod';

/** Providers with variables of their own (OPENAI_API_KEY, ...) or built in; a custom one cannot take their name. */
export const RESERVED_PROVIDER_NAMES = ['openai', 'anthropic', 'google', 'openrouter', 'local'] as const;

const CUSTOM_PROVIDER_VARIABLE = /^CHORUS_PROVIDER_([A-Z0-9][A-Z0-9_]*?)_(BASE_URL|API_KEY|MODELS)$/;

export const customProviderSchema = z.object({
  /** The provider id, the part of a model id before the colon. */
  name: z
    .string()
    .max(40)
    .regex(/^[a-z0-9][a-z0-9-]*$/),
  baseURL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. http://127.0.0.1:11434/v1' }),
  apiKey: z.string().min(1).optional(),
  /** Provider model ids, in the order given. */
  models: z.array(z.string().max(150).regex(/^\S+$/, 'must be a model id without spaces')).default([]),
});

export type CustomProvider = z.infer<typeof customProviderSchema>;

/** The variable that carries a field of a provider, for error messages and model sources. */
export function customProviderVariable(name: string, field: 'BASE_URL' | 'API_KEY' | 'MODELS'): string {
  return `CHORUS_PROVIDER_${name.toUpperCase().replaceAll('-', '_')}_${field}`;
}

const FIELD_OF_SUFFIX = { BASE_URL: 'baseURL', API_KEY: 'apiKey', MODELS: 'models' } as const;
const SUFFIX_OF_FIELD = { baseURL: 'BASE_URL', apiKey: 'API_KEY', models: 'MODELS' } as const;

/**
 * Finds every CHORUS_PROVIDER_<NAME>_* variable and validates each provider. Returns the providers
 * (sorted by name) and one problem line per bad variable, `VARIABLE: what is wrong`; empty values
 * count as unset, as in the rest of the configuration.
 */
export function parseCustomProviders(variables: Record<string, string | undefined>): {
  providers: CustomProvider[];
  problems: string[];
} {
  const raw = new Map<string, { baseURL?: string; apiKey?: string; models?: string }>();
  for (const [variable, value] of Object.entries(variables)) {
    const match = CUSTOM_PROVIDER_VARIABLE.exec(variable);
    if (!match || value === undefined || value.trim() === '') continue;
    const name = match[1]!.toLowerCase().replaceAll('_', '-');
    const fields = raw.get(name) ?? {};
    fields[FIELD_OF_SUFFIX[match[2] as keyof typeof FIELD_OF_SUFFIX]] = value.trim();
    raw.set(name, fields);
  }

  const providers: CustomProvider[] = [];
  const problems: string[] = [];
  for (const [name, fields] of [...raw].sort(([a], [b]) => a.localeCompare(b))) {
    if ((RESERVED_PROVIDER_NAMES as readonly string[]).includes(name)) {
      const variable = Object.keys(fields).map((field) => SUFFIX_OF_FIELD[field as keyof typeof SUFFIX_OF_FIELD]);
      problems.push(
        `${customProviderVariable(name, variable[0]!)}: "${name}" is a built-in provider; use its own variables (e.g. ${name.toUpperCase()}_BASE_URL)`,
      );
      continue;
    }
    if (fields.baseURL === undefined) {
      for (const field of Object.keys(fields) as (keyof typeof SUFFIX_OF_FIELD)[]) {
        const variable = customProviderVariable(name, SUFFIX_OF_FIELD[field]);
        problems.push(`${variable}: needs ${customProviderVariable(name, 'BASE_URL')} as well`);
      }
      continue;
    }
    const modelIds = fields.models?.split(',').map((model) => model.trim());
    const result = customProviderSchema.safeParse({ name, ...fields, models: modelIds });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = issue.path[0] as keyof typeof SUFFIX_OF_FIELD | 'name';
        const variable =
          field === 'name'
            ? `CHORUS_PROVIDER_${name.toUpperCase()}_*`
            : customProviderVariable(name, SUFFIX_OF_FIELD[field]);
        const where = issue.path.length > 1 ? ` (entry ${Number(issue.path[1]) + 1})` : '';
        problems.push(`${variable}: ${issue.message}${where}`);
      }
      continue;
    }
    const duplicates = result.data.models.filter((model, index) => result.data.models.indexOf(model) !== index);
    if (duplicates.length > 0) {
      problems.push(`${customProviderVariable(name, 'MODELS')}: lists ${duplicates.join(', ')} more than once`);
      continue;
    }
    providers.push(result.data);
  }
  return { providers, problems };
}
