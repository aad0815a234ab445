// Runs the group benchmark's Chorus (group-server-main.ts) in a child process of its own, so the benchmark's
// clients — hundreds of event listeners among them — do not share its event loop, and the two use both cores.
// Unlike child-server.ts's `chorus` role it serves models of the benchmark's choosing and can run on Redis.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type GroupServerCommand = { name: 'stop' };
export type GroupServerReply = { ready: true; port: number } | { stopped: true };

export type GroupServer = { url: string; process: ChildProcess; stop(): Promise<void> };

const MAIN = fileURLToPath(new URL('./group-server-main.ts', import.meta.url));
const STOP_GRACE_MS = 15_000;

/**
 * `providerUrl` serves `models` (provider model ids; Chorus calls them `group:<id>`); `data` is the environment
 * prepareChorusData (child-server.ts) made; `redisUrl` puts the stream log and the conversation events on Redis.
 */
export async function startGroupServer(options: {
  providerUrl: string;
  models: string[];
  data: Record<string, string>;
  redisUrl?: string;
  /**
   * Writes V8 CPU profiles of the whole life of the server into this folder (open them in Chrome DevTools): one
   * per thread, the main thread's named `CPU.<date>.<time>.<pid>.0.<n>.cpuprofile` (tsx's loader has a thread too).
   */
  cpuProfileDir?: string;
}): Promise<GroupServer> {
  const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = fork(MAIN, [], {
    execArgv: ['--import', 'tsx', ...profiling],
    env: {
      PATH: process.env.PATH ?? '',
      ...options.data,
      GROUP_PROVIDER_URL: options.providerUrl,
      GROUP_MODELS: options.models.join(','),
      ...(options.redisUrl ? { BENCH_REDIS_URL: options.redisUrl } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`the group benchmark server exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (reply: GroupServerReply) => {
      if (!('ready' in reply)) return;
      child.off('exit', onExit);
      resolve(reply.port);
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ name: 'stop' } satisfies GroupServerCommand);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
