// A registry of many made-up models for the registry benchmark: the same entries on every run (a seeded
// generator), spread over providers, statuses, capabilities and names the way a large real registry is, so each
// filter of the listing keeps a realistic share of them. Also the raw multi-row INSERT of the same rows, the
// baseline the import is held against.
import type { ModelInput } from '../../src/models/model-schema.ts';
import { MODEL_CAPABILITIES } from '../../src/models/model-schema.ts';
import type { Statement } from './raw-driver.ts';

export const BENCH_PROVIDERS = Array.from({ length: 20 }, (_, index) => `vendor-${String(index).padStart(2, '0')}`);

const VARIANTS = ['mini', 'pro', 'turbo', 'flash', 'max', 'nano', 'lite', 'ultra'];
const FAMILIES = ['atlas', 'borealis', 'cirrus', 'delta', 'ember', 'fjord', 'gale', 'harbor', 'iris', 'juniper'];
/** Chance of each capability, in MODEL_CAPABILITIES order. */
const CAPABILITY_ODDS = [0.4, 0.6, 0.3, 0.15, 0.5, 0.05, 0.2];

/** A small deterministic generator (xorshift32), so every run lists, imports and filters the same models. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

function statusFor(draw: number): NonNullable<ModelInput['status']> {
  if (draw < 0.7) return 'active';
  if (draw < 0.8) return 'beta';
  if (draw < 0.95) return 'deprecated';
  return 'disabled';
}

/** `count` models in the import shape (every field spelled out, as an export writes them). */
export function benchModels(count: number, seed = 42): ModelInput[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => {
    const provider = BENCH_PROVIDERS[Math.floor(random() * BENCH_PROVIDERS.length)]!;
    const family = FAMILIES[Math.floor(random() * FAMILIES.length)]!;
    const variant = VARIANTS[Math.floor(random() * VARIANTS.length)]!;
    const providerModelId = `${family}-${variant}-${String(index).padStart(5, '0')}`;
    const input = Math.round(random() * 3000) / 100;
    return {
      id: `${provider}:${providerModelId}`,
      provider,
      providerModelId,
      name: `${family[0]!.toUpperCase()}${family.slice(1)} ${variant[0]!.toUpperCase()}${variant.slice(1)} ${index}`,
      displayName: `${family} ${variant}`,
      family,
      avatar: family.slice(0, 2).toUpperCase(),
      description: `A benchmark model of the ${family} family, ${variant} size.`,
      contextWindow: [8_192, 32_768, 128_000, 200_000, 1_000_000][Math.floor(random() * 5)]!,
      maxOutputTokens: [4_096, 8_192, 16_384, null][Math.floor(random() * 4)]!,
      pricing: {
        input,
        output: Math.round(input * 400) / 100,
        cacheRead: random() < 0.5 ? Math.round(input * 10) / 100 : null,
      },
      capabilities: MODEL_CAPABILITIES.filter((_capability, at) => random() < CAPABILITY_ODDS[at]!),
      status: statusFor(random()),
      releaseDate: `202${Math.floor(random() * 6)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`,
      knowledgeCutoff: `202${Math.floor(random() * 6)}-0${1 + Math.floor(random() * 9)}`,
      openWeights: random() < 0.3,
      source: 'registry benchmark',
      sortOrder: Math.floor(random() * 1_000),
    };
  });
}

/** The same models with every `step`-th one repriced (input price + 1 USD): what a 1/step partial change looks like. */
export function withPriceChanges(entries: ModelInput[], step: number): ModelInput[] {
  return entries.map((entry, index) =>
    index % step === 0 ? { ...entry, pricing: { ...entry.pricing, input: entry.pricing.input + 1 } } : entry,
  );
}

const INSERT_COLUMNS = [
  'id',
  'provider',
  'provider_model_id',
  'name',
  'display_name',
  'family',
  'avatar',
  'description',
  'context_window',
  'max_output_tokens',
  'pricing',
  'capabilities',
  'status',
  'release_date',
  'knowledge_cutoff',
  'open_weights',
  'source',
  'version',
  'sort_order',
];

/**
 * Multi-row INSERTs of the entries into `table` (a table shaped like `models`), 1,000 rows a statement (19
 * parameters a row, well under Postgres's 65,535): the least work that stores these rows. JSON columns travel
 * as JSON text, which both drivers hand to Postgres as it is (see raw-driver.ts).
 */
export function rawInsertStatements(table: string, entries: ModelInput[], rowsPerStatement = 1_000): Statement[] {
  const statements: Statement[] = [];
  for (let start = 0; start < entries.length; start += rowsPerStatement) {
    const part = entries.slice(start, start + rowsPerStatement);
    const params: unknown[] = [];
    const tuples = part.map((entry) => {
      const values = [
        entry.id,
        entry.provider,
        entry.providerModelId,
        entry.name,
        entry.displayName ?? null,
        entry.family ?? null,
        entry.avatar ?? null,
        entry.description ?? null,
        entry.contextWindow,
        entry.maxOutputTokens ?? null,
        JSON.stringify(entry.pricing),
        JSON.stringify(entry.capabilities ?? []),
        entry.status ?? 'active',
        entry.releaseDate ?? null,
        entry.knowledgeCutoff ?? null,
        entry.openWeights ?? false,
        entry.source ?? null,
        1,
        entry.sortOrder ?? 0,
      ];
      const placeholders = values.map((value) => {
        params.push(value);
        return `$${params.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    statements.push({
      query: `insert into ${table} (${INSERT_COLUMNS.join(', ')}) values ${tuples.join(', ')}`,
      params,
    });
  }
  return statements;
}
