// `chorus models …`: the model registry from the command line — list, show, import, export, history, deprecate,
// reprice and usage — on the configured database. The operator acts as the system admin (SYSTEM_ACTOR): history
// records such changes with changedBy null, like the seed's, and a reason saying they came from the command line
// unless --reason gives one. On PostgreSQL running servers hear of each change at once (the registry announces it).
import { readFile, writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import type { Database } from '../../db/client.ts';
import { migrateUp } from '../../db/migrations/migrator.ts';
import { modelStatus } from '../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { MODEL_CAPABILITIES } from '../../models/model-schema.ts';
import type { ImportProblem } from '../../registry/model-import.ts';
import { type ModelFilter, ModelRegistry, type ModelRow } from '../../registry/registry-service.ts';
import { USAGE_GROUPINGS, type UsageGrouping } from '../../registry/usage-report.ts';
import { SYSTEM_ACTOR } from '../../store/actor.ts';
import { createStore } from '../../store/index.ts';
import { UserStore } from '../../store/users.ts';
import {
  describeChanges,
  describeImport,
  describeModel,
  historyTable,
  modelTable,
  repriceTable,
  usageTable,
} from '../model-output.ts';
import { withDatabase } from '../with-database.ts';

/** Imports at least this large show a progress bar (on a terminal); smaller ones finish before it would help. */
const PROGRESS_BAR_FROM = 500;
const PAGE = 200;

type Json = { json?: boolean };

export function registerModels(program: Command) {
  const models = program
    .command('models')
    .description('the model registry: list, show, import, export, history, deprecate, reprice, usage');

  models
    .command('list')
    .description('every model, whatever its status (filters combine)')
    .addOption(new Option('--status <status>', 'only models with this status').choices(modelStatus.enumValues))
    .option('--provider <provider>', 'only this provider (e.g. openai, openrouter)')
    .addOption(new Option('--capability <capability>', 'only models having it').choices(MODEL_CAPABILITIES))
    .option('--search <text>', 'part of the id, name or display name')
    .option('--json', 'print JSON instead of a table')
    .action((options: ModelFilter & Json) =>
      withRegistry(async (registry) => {
        const { json, ...filter } = options;
        const rows = await listAll(registry, filter);
        print(json ? rows : rows.length === 0 ? 'no models match' : modelTable(rows));
      }),
    );

  models
    .command('show')
    .description('one model, every field')
    .argument('<id>', 'the model id, e.g. openrouter:google/gemini-2.5-pro')
    .option('--json', 'print JSON')
    .action((id: string, options: Json) =>
      withRegistry(async (registry) => {
        const model = await registry.get(id);
        print(options.json ? model : describeModel(model));
      }),
    );

  models
    .command('import')
    .description(
      'create or update models from a JSON array (the shape `models export` writes). Checked whole first: ' +
        'any bad entry stops it, listing every problem, and nothing is written. Identical models are left alone.',
    )
    .argument('<file>', 'the JSON file; - reads standard input')
    .option('--dry-run', 'only say what would be created, changed and left unchanged')
    .option('--reason <text>', 'why, kept in the history of every model it changes')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, options: { dryRun?: boolean; reason?: string } & Json) => {
      const entries = await readJsonFile(file);
      await withRegistry(async (registry) => {
        const progress = progressBar(Array.isArray(entries) ? entries.length : 0, options.dryRun);
        const result = await registry
          .importModels({
            actor: SYSTEM_ACTOR,
            entries,
            dryRun: options.dryRun,
            reason: options.reason ?? `imported from ${file === '-' ? 'standard input' : file} on the command line`,
            onProgress: progress?.update,
          })
          .catch((error: unknown) => {
            throw withImportProblems(error);
          })
          .finally(() => progress?.stop());
        print(options.json ? result : describeImport(result));
      });
    });

  models
    .command('export')
    .description('every model as a JSON array, in the shape `models import` reads')
    .argument('[file]', 'write here (default: standard output)')
    .action((file: string | undefined) =>
      withRegistry(async (registry) => {
        const exported = await registry.exportModels();
        const text = `${JSON.stringify(exported, null, 2)}\n`;
        if (!file) return void process.stdout.write(text);
        await writeFile(file, text);
        console.error(`exported ${exported.length} models to ${file}`);
      }),
    );

  models
    .command('history')
    .description('every version of a model, newest first: what changed, who, when and why')
    .argument('<id>', 'the model id')
    .option('--json', 'print JSON')
    .action((id: string, options: Json) =>
      withRegistry(async (registry, db) => {
        const entries = await registry.history(id);
        print(
          options.json
            ? entries
            : historyTable(
                entries,
                await userLabels(
                  db,
                  entries.map((entry) => entry.changedBy),
                ),
              ),
        );
      }),
    );

  models
    .command('deprecate')
    .description('stop offering a model for new messages; old messages keep it and its name')
    .argument('<id>', 'the model id')
    .option('--reason <text>', 'why, kept in the history')
    .option('--json', 'print the result as JSON')
    .action((id: string, options: { reason?: string } & Json) =>
      withRegistry(async (registry) => {
        const reason = options.reason ?? 'deprecated on the command line';
        const result = await registry.deprecate({ actor: SYSTEM_ACTOR, id, reason });
        if (options.json) return print(result);
        print(
          result.changed
            ? `deprecated ${id} (now version ${result.model.version})\n${describeChanges(result.changes)}`
            : `${id} is already deprecated: nothing changed`,
        );
      }),
    );

  models
    .command('reprice')
    .description(
      "recompute the stored cost of a period's replies at their models' current prices, and report the difference",
    )
    .requiredOption('--since <date>', 'from this day (YYYY-MM-DD, UTC) or instant (ISO 8601), inclusive')
    .option('--until <date>', 'to this day or instant, exclusive (default: now)')
    .option('--json', 'print the report as JSON')
    .action((options: { since: string; until?: string } & Json) => {
      const since = parseInstant('--since', options.since);
      const until = options.until === undefined ? undefined : parseInstant('--until', options.until);
      return withRegistry(async (registry) => {
        const report = await registry.repriceMessages({ actor: SYSTEM_ACTOR, since, until });
        print(options.json ? report : repriceTable(report));
      });
    });

  models
    .command('usage')
    .description('replies, tokens and cost over a period, by model, by the person who asked, or by day (UTC)')
    .requiredOption('--from <date>', 'from this day (YYYY-MM-DD, UTC) or instant (ISO 8601), inclusive')
    .option('--to <date>', 'to this day or instant, exclusive (default: now)')
    .addOption(new Option('--group-by <grouping>', 'how to group').choices(USAGE_GROUPINGS).default('model'))
    .option('--json', 'print JSON')
    .action((options: { from: string; to?: string; groupBy: UsageGrouping } & Json) => {
      const from = parseInstant('--from', options.from);
      const to = options.to === undefined ? new Date() : parseInstant('--to', options.to);
      return withRegistry(async (registry, db) => {
        const rows = await registry.usage({ actor: SYSTEM_ACTOR, from, to, groupBy: options.groupBy });
        if (options.json) return print({ from, to, groupBy: options.groupBy, rows });
        const labels =
          options.groupBy === 'user'
            ? await userLabels(
                db,
                rows.map((row) => row.key),
              )
            : new Map();
        print(rows.length === 0 ? 'no replies in this period' : usageTable(rows, options.groupBy, labels));
      });
    });
}

/** The configured database, brought up to date first (as `chorus seed` does), and the registry on it. */
function withRegistry(action: (registry: ModelRegistry, db: Database) => Promise<void>): Promise<void> {
  return withDatabase(async (db) => {
    await migrateUp(db);
    await action(new ModelRegistry(createStore(db)), db);
  });
}

async function listAll(registry: ModelRegistry, filter: ModelFilter): Promise<ModelRow[]> {
  const rows: ModelRow[] = [];
  let cursor: string | null = null;
  do {
    const page = await registry.list({ ...filter, limit: PAGE, cursor });
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

function print(output: unknown) {
  console.log(typeof output === 'string' ? output : JSON.stringify(output, null, 2));
}

async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStandardInput() : await readFile(file, 'utf8');
  } catch (error) {
    throw new AppError('invalid_input', `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError('invalid_input', `${file} is not JSON: ${(error as Error).message}`, { cause: error });
  }
}

async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The import's refusal with every problem on its own line (the message alone only counts them). */
function withImportProblems(error: unknown): unknown {
  if (!(error instanceof AppError) || error.code !== 'invalid_input' || !Array.isArray(error.details)) return error;
  const lines = (error.details as ImportProblem[]).map((problem) => {
    const where = problem.index === null ? 'the file' : `entry ${problem.index}`;
    return `  ${where}${problem.field ? `, ${problem.field}` : ''}: ${problem.message}`;
  });
  return new AppError('invalid_input', `${error.message}\n${lines.join('\n')}`, {
    details: error.details,
    cause: error,
  });
}

/** A bar on standard error while a large import writes; none for pipes, logs, small imports and dry runs. */
function progressBar(
  entries: number,
  dryRun = false,
): { update: (done: number, total: number) => void; stop: () => void } | null {
  if (dryRun || entries < PROGRESS_BAR_FROM || !process.stderr.isTTY) return null;
  const bar = new cliProgress.SingleBar(
    { format: 'importing [{bar}] {value}/{total} models', hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  // The registry counts the models it writes (new or changed), known once it has compared them with the registry.
  let started = false;
  return {
    update: (done, total) => {
      if (total === 0) return;
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Who the users behind these ids are, for people reading a table: their email, else their username. */
async function userLabels(db: Database, ids: (string | null)[]): Promise<Map<string, string>> {
  const store = new UserStore(db);
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const labelled = await Promise.all(
    wanted.map(async (id) => {
      const user = await store.getById(id).catch(() => null);
      return [id, user ? (user.email ?? user.username) : id] as const;
    }),
  );
  return new Map(labelled);
}

const instantSchema = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** YYYY-MM-DD (midnight UTC) or an ISO 8601 instant with its offset; anything else names the option. */
function parseInstant(option: string, text: string): Date {
  if (!instantSchema.safeParse(text).success) {
    throw new AppError(
      'invalid_input',
      `${option} must be YYYY-MM-DD or an ISO 8601 date-time, not ${JSON.stringify(text)}`,
    );
  }
  return new Date(text);
}
