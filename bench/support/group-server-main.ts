// The child process of the group benchmark's Chorus server (see group-server.ts): the app as `chorus serve` starts
// it — migrate, seed, add the declared models, serve — with one OpenAI-compatible provider, `group`, at
// GROUP_PROVIDER_URL serving the models GROUP_MODELS lists (comma-separated); DATA_DIR=BENCH_DATA_DIR,
// DATABASE_URL=BENCH_CHORUS_DATABASE_URL (as prepareChorusData sets them) and REDIS_URL=BENCH_REDIS_URL when set.
// It says `{ ready, port }` over IPC and closes when told `{ name: 'stop' }`.
import { readEnvironment } from '../../src/config/env.ts';
import { startServer } from '../../src/http/server.ts';
import { openRuntime } from '../../src/runtime.ts';
import { BENCH_PUBLIC_URL } from './child-server.ts';
import type { GroupServerCommand, GroupServerReply } from './group-server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';
const env = readEnvironment({
  PUBLIC_URL: BENCH_PUBLIC_URL,
  DATA_DIR: process.env.BENCH_DATA_DIR,
  DATABASE_URL: process.env.BENCH_CHORUS_DATABASE_URL,
  REDIS_URL: process.env.BENCH_REDIS_URL,
  BETTER_AUTH_SECRET: 'chorus benchmark secret, not for any real server',
  CHORUS_PROVIDER_GROUP_BASE_URL: `${process.env.GROUP_PROVIDER_URL}/v1`,
  CHORUS_PROVIDER_GROUP_MODELS: process.env.GROUP_MODELS,
  CHORUS_PROVIDER_MAX_RETRIES: '0',
  // The fan-out's listeners stand for 200 people but share the benchmark's one account: its cap on one person's open
  // event streams must let them all in.
  CHORUS_MAX_EVENT_STREAMS_PER_USER: '1000',
});
const runtime = await openRuntime(env);
const server = await startServer(runtime, 0);

const send = (reply: GroupServerReply) => process.send!(reply);
process.on('message', async (command: GroupServerCommand) => {
  if (command.name !== 'stop') return;
  await Promise.race([
    server.close().then(() => runtime.close()),
    new Promise((resolve) => setTimeout(resolve, 10_000)),
  ]).catch((error: unknown) => console.error('group benchmark server: closing failed', error));
  send({ stopped: true });
  process.exit(0);
});
send({ ready: true, port: server.port });
