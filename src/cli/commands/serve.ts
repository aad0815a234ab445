// `chorus serve` (and `npm start`): migrate, seed on first start, serve until SIGINT/SIGTERM.
import { constants } from 'node:os';
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { type RunningServer, startServer } from '../../http/server.ts';
import { openRuntime, type Runtime } from '../../runtime.ts';

/** How long closing the database may take once the grace is over, before the process exits regardless. */
const CLOSING_ALLOWANCE_MS = 5_000;

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('serve the web app and the API (PORT, default 3000); migrates the database first')
    .option('-p, --port <port>', 'port to listen on (overrides PORT)')
    .action(async (options: { port?: string }) => {
      const env = readEnvironment(options.port ? { ...process.env, PORT: options.port } : process.env);
      const runtime = await openRuntime(env, { log: (line) => console.log(line), scheduleBackups: true });
      let server: RunningServer;
      try {
        server = await startServer(runtime, env.PORT);
      } catch (error) {
        // A port already taken: the database is let go of properly before the error is shown.
        await runtime.close();
        throw error;
      }
      console.log(`Chorus is serving on http://localhost:${server.port} (database: ${runtime.database.kind})`);
      stopOnSignals(server, runtime, env.CHORUS_SHUTDOWN_GRACE);
    });
}

/**
 * The first SIGINT or SIGTERM stops the server: no new connections, replies end as `stopped` with what they said
 * saved, the requests still running get `graceSeconds` to end and are then cut, and the database is closed cleanly.
 * A second signal ends the process at once.
 */
function stopOnSignals(server: RunningServer, runtime: Runtime, graceSeconds: number) {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`${signal} again: exiting at once`);
      process.exit(128 + constants.signals[signal]);
    }
    stopping = true;
    console.log(`${signal}: stopping; requests still running have ${graceSeconds} s to end (CHORUS_SHUTDOWN_GRACE)`);
    const graceMs = graceSeconds * 1000;
    setTimeout(() => {
      console.error(`not stopped ${CLOSING_ALLOWANCE_MS / 1000} s after the grace: exiting`);
      process.exit(1);
    }, graceMs + CLOSING_ALLOWANCE_MS).unref();
    try {
      await server.close({ graceMs });
      await runtime.close();
    } catch (error) {
      console.error('stopping failed', error);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
