// `chorus migrate [down [--all]] | status`: the schema's migrations, applied or reverted under a lock.
import type { Command } from 'commander';
import { migrateDown, migrateUp, migrationStatus } from '../../db/migrations/migrator.ts';
import { withDatabase } from '../with-database.ts';

export function registerMigrate(program: Command) {
  const migrate = program
    .command('migrate')
    .description('apply every pending migration (see also: migrate down, migrate status)')
    .action(() =>
      withDatabase(async (db) => {
        const applied = await migrateUp(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      }),
    );

  migrate
    .command('down')
    .description('revert the newest migration (or all of them with --all)')
    .option('--all', 'revert every applied migration')
    .option('--steps <n>', 'how many migrations to revert', '1')
    .action((options: { all?: boolean; steps: string }) =>
      withDatabase(async (db) => {
        const steps = options.all ? Number.POSITIVE_INFINITY : Number.parseInt(options.steps, 10);
        if (!Number.isInteger(steps) && steps !== Number.POSITIVE_INFINITY) throw new Error('--steps must be a number');
        const reverted = await migrateDown(db, steps);
        console.log(reverted.length ? `reverted: ${reverted.join(', ')}` : 'nothing to revert');
      }),
    );

  migrate
    .command('status')
    .description('list every migration and whether it is applied')
    .action(() =>
      withDatabase(async (db) => {
        for (const state of await migrationStatus(db)) {
          const when = state.appliedAt ? `applied ${state.appliedAt.toISOString()}` : 'pending';
          console.log(`${state.applied ? '[x]' : '[ ]'} ${state.tag}  ${when}`);
        }
      }),
    );
}
