// `chorus serve` (and `npm start`): serve the web app and the API until SIGINT/SIGTERM (see serving.ts). What it says
// goes to the log (JSON lines, readable on a terminal; LOG_LEVEL).
import type { Command } from 'commander';

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the web app and the API (PORT, default 3000); migrates the database first')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (options: { port?: string }) => {
      const { serve } = await import('../serving.ts');
      await serve(options);
    });
}
