// What `chorus serve` runs: listen (answering 503 while starting), migrate, seed on first start, serve until
// SIGINT/SIGTERM, then drain. Loaded only by that command: the server's packages (HTTP, accounts, the Discord bot)
// are not loaded by the others.
import { constants } from 'node:os';
import { readEnvironment } from '../config/env.ts';
import type { DiscordBot } from '../discord/discord-bot.ts';
import { type ListeningServer, listen, type RunningServer } from '../http/server.ts';
import { describeErrorForLog } from '../loggable-error.ts';
import { configureLogging, log } from '../logging/logger.ts';
import { openRuntime, type Runtime } from '../runtime.ts';

/** How long closing the database may take once the grace is over, before the process exits regardless. */
const CLOSING_ALLOWANCE_MS = 5_000;

export async function serve(options: { port?: string }): Promise<void> {
  const env = readEnvironment(options.port ? { ...process.env, PORT: options.port } : process.env);
  configureLogging({ level: env.LOG_LEVEL });
  // A port already taken fails here, before the database is touched.
  const listening: ListeningServer = await listen(env.PORT);
  let runtime: Runtime;
  try {
    runtime = await openRuntime(env, { log: (line) => log.info(line), scheduleBackups: true });
  } catch (error) {
    await listening.close();
    throw error;
  }
  const server: RunningServer = listening.serve(runtime);
  log.info(`Chorus is serving on http://localhost:${server.port} (database: ${runtime.database.kind})`);
  // The Discord bot, when configured: it connects once this process holds the gateway (see discord-bot.ts).
  const bot = env.DISCORD_BOT_TOKEN
    ? (await import('../discord/bot-from-runtime.ts')).discordBotOf(runtime, { log: (line) => log.info(line) })
    : null;
  bot?.start();
  stopOnSignals(server, runtime, env.CHORUS_SHUTDOWN_GRACE, bot);
}

/**
 * The first SIGINT or SIGTERM drains the server: readiness fails, no new requests, the replies running get
 * `graceSeconds` to finish (those that do not end as `stopped` with what they said saved), the requests still running
 * are then cut, the Discord bot lets its gateway go, and the database is closed cleanly; the process exits 0. A
 * second signal ends it at once.
 */
function stopOnSignals(server: RunningServer, runtime: Runtime, graceSeconds: number, bot: DiscordBot | null) {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      log.warn(`${signal} again: exiting at once`);
      process.exit(128 + constants.signals[signal]);
    }
    stopping = true;
    log.info(`${signal}: stopping; replies still running have ${graceSeconds} s to finish (CHORUS_SHUTDOWN_GRACE)`);
    const graceMs = graceSeconds * 1000;
    setTimeout(() => {
      log.error(`not stopped ${CLOSING_ALLOWANCE_MS / 1000} s after the grace: exiting`);
      process.exit(1);
    }, graceMs + CLOSING_ALLOWANCE_MS).unref();
    try {
      await server.close({ graceMs });
      // The bot's replies finish in Discord (a few seconds at most) before the gateway and the database close.
      await bot?.stop();
      await runtime.close();
    } catch (error) {
      log.error('stopping failed', { error: describeErrorForLog(error) });
      process.exit(1);
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
