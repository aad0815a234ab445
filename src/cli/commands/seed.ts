// `chorus seed`: load every shipped catalog model the registry lacks (idempotent).
import type { Command } from 'commander';
import { migrateUp } from '../../db/migrations/migrator.ts';
import { seedModels } from '../../models/seed.ts';
import { withDatabase } from '../with-database.ts';

export function registerSeed(program: Command) {
  program
    .command('seed')
    .description('load the shipped model catalog into the registry; models already present are left as they are')
    .action(() =>
      withDatabase(async (db) => {
        await migrateUp(db);
        const result = await seedModels(db);
        console.log(`seeded ${result.inserted} models (${result.alreadyPresent} already present)`);
      }),
    );
}
