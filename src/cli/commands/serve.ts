// `chorus serve` (and `npm start`): migrate, seed on first start, serve until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { startServer } from '../../http/server.ts';
import { openRuntime } from '../../runtime.ts';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the web app and the API (PORT, default 3000); migrates the database first')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (options: { port?: string }) => {
      const env = readEnvironment(options.port ? { ...process.env, PORT: options.port } : process.env);
      const runtime = await openRuntime(env, { log: (line) => console.log(line) });
      const server = await startServer(runtime, env.PORT);
      console.log(`Chorus is serving on http://localhost:${server.port} (database: ${runtime.database.kind})`);
      const stop = async () => {
        await server.close();
        await runtime.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
