// `chorus`: the command-line interface. Each command lives in its own module under commands/.
import { Command } from 'commander';
import { ConfigurationError } from '../config/env.ts';
import { AppError } from '../errors.ts';
import { registerBackup } from './commands/backup.ts';
import { registerDb } from './commands/db.ts';
import { registerEncryption } from './commands/encryption.ts';
import { registerExport } from './commands/export.ts';
import { registerFiles } from './commands/files.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerModels } from './commands/models.ts';
import { registerSeed } from './commands/seed.ts';
import { registerServe } from './commands/serve.ts';
import { registerUsers } from './commands/users.ts';

const program = new Command('chorus')
  .description('Chorus: a self-hosted AI chat server. Configure with environment variables (see README).')
  .showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerSeed(program);
registerEncryption(program);
registerDb(program);
registerModels(program);
registerFiles(program);
registerExport(program);
registerBackup(program);
registerUsers(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigurationError || error instanceof AppError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exitCode = 1;
}
