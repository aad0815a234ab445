// The child process of a benchmark server (see child-server.ts), so the figures of the server — its memory above
// all — are its own and not the benchmark client's. `node --import tsx child-server-main.ts <role>` runs one of:
//   provider  the instant provider (instant-provider.ts)
//   relay     the bare SSE relay (sse-relay.ts), in front of BENCH_PROVIDER_URL
//   chorus    the Chorus app as `chorus serve` runs it, with BENCH_PROVIDER_URL declared as provider `bench`
//             serving BENCH_MODELS, DATA_DIR=BENCH_DATA_DIR and DATABASE_URL=BENCH_CHORUS_DATABASE_URL
// It says `{ ready, port }` over IPC, then answers commands (child-server.ts has the protocol).
import { createWriteStream, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { writeHeapSnapshot } from 'node:v8';
import { DAILY_MESSAGE_LIMITS_KEY } from '../../src/auth/limits.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { startServer } from '../../src/http/server.ts';
import { configureLogging } from '../../src/logging/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { actorOf } from '../../src/store/index.ts';
import { BENCH_PUBLIC_URL, type ChildCommand, type ChildReply } from './child-server.ts';
import { BENCH_MODELS, startInstantProvider } from './instant-provider.ts';
import { startSseRelay } from './sse-relay.ts';

type Started = { port: number; close(): Promise<void>; unlimitMessages?(userId: string): Promise<void> };

/** Chorus as `chorus serve` starts it: migrate, seed the registry, add the declared models, serve. */
async function startChorus(providerUrl: string): Promise<Started> {
  process.env.AI_SDK_LOG_WARNINGS = 'false';
  const env = readEnvironment({
    PUBLIC_URL: BENCH_PUBLIC_URL,
    DATA_DIR: process.env.BENCH_DATA_DIR,
    DATABASE_URL: process.env.BENCH_CHORUS_DATABASE_URL,
    CHORUS_EMBEDDED_DURABILITY: process.env.CHORUS_EMBEDDED_DURABILITY,
    BETTER_AUTH_SECRET: 'chorus benchmark secret, not for any real server',
    CHORUS_PROVIDER_BENCH_BASE_URL: `${providerUrl}/v1`,
    CHORUS_PROVIDER_BENCH_MODELS: Object.keys(BENCH_MODELS).join(','),
    CHORUS_PROVIDER_MAX_RETRIES: '0',
    // On as in production unless the metrics benchmark switches them off to measure what they cost.
    CHORUS_METRICS: process.env.CHORUS_METRICS,
    CHORUS_MAX_CONCURRENT_SETUPS: process.env.CHORUS_MAX_CONCURRENT_SETUPS,
    LOG_LEVEL: process.env.LOG_LEVEL,
  });
  // Logged as a server logs (a line per request), into nothing: the benchmark's own output stays readable.
  configureLogging({ level: env.LOG_LEVEL, destination: createWriteStream('/dev/null') });
  const runtime = await openRuntime(env);
  const server = await startServer(runtime, 0);
  return {
    port: server.port,
    async unlimitMessages(userId) {
      // The daily limit would refuse thousands of messages; the benchmark user (the first, hence admin) lifts it.
      const actor = actorOf(await runtime.store.users.getById(userId));
      await runtime.store.systemConfigs.set({
        actor,
        key: DAILY_MESSAGE_LIMITS_KEY,
        value: { guest: null, user: null, admin: null },
      });
    },
    async close() {
      await server.close();
      await runtime.close();
    },
  };
}

async function start(role: string): Promise<Started> {
  const providerUrl = process.env.BENCH_PROVIDER_URL ?? '';
  if (role === 'provider') return startInstantProvider();
  if (role === 'relay') return startSseRelay(providerUrl);
  if (role === 'chorus') return startChorus(providerUrl);
  throw new Error(`unknown role ${role}`);
}

// Peak memory between two reads, for where the parent cannot ask the kernel (no /proc).
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20).unref();

const started = await start(process.argv[2] ?? '');
let profiler: Session | undefined;
let allocationProfiler: Session | undefined;
const send = (message: ChildReply) => process.send!(message);

process.on('message', async (command: ChildCommand) => {
  try {
    if (command.name === 'memory') {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      send({ id: command.id, result: { rss, peakRss } });
      if (command.resetPeak) peakRss = rss;
    } else if (command.name === 'heap') {
      const { heapUsed, heapTotal, external } = process.memoryUsage();
      send({ id: command.id, result: { heapUsed, heapTotal, external } });
    } else if (command.name === 'cpu') {
      send({ id: command.id, result: process.cpuUsage() });
    } else if (command.name === 'gc') {
      globalThis.gc?.();
      send({ id: command.id, result: null });
    } else if (command.name === 'profile-start') {
      profiler ??= new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
      send({ id: command.id, result: null });
    } else if (command.name === 'profile-stop') {
      if (!profiler) throw new Error('no profile was started');
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      profiler = undefined;
      writeFileSync(command.path, JSON.stringify(profile));
      send({ id: command.id, result: null });
    } else if (command.name === 'allocations-start') {
      allocationProfiler ??= new Session();
      allocationProfiler.connect();
      await allocationProfiler.post('HeapProfiler.enable');
      // Every allocation sampled, also of objects collected since: where the garbage comes from, not only what lives.
      // (Node 20's typings lack the two include flags.)
      const sampling = {
        samplingInterval: 16_384,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      };
      await allocationProfiler.post('HeapProfiler.startSampling', sampling);
      send({ id: command.id, result: null });
    } else if (command.name === 'allocations-stop') {
      if (!allocationProfiler) throw new Error('no allocation profile was started');
      const { profile } = await allocationProfiler.post('HeapProfiler.stopSampling');
      allocationProfiler.disconnect();
      allocationProfiler = undefined;
      writeFileSync(command.path, JSON.stringify(profile));
      send({ id: command.id, result: null });
    } else if (command.name === 'heap-snapshot') {
      writeHeapSnapshot(command.path);
      send({ id: command.id, result: null });
    } else if (command.name === 'unlimit-messages') {
      if (!started.unlimitMessages) throw new Error('only the chorus role has users');
      await started.unlimitMessages(command.userId);
      send({ id: command.id, result: null });
    } else if (command.name === 'stop') {
      await Promise.race([started.close(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
      send({ id: command.id, result: null });
      // Exiting (rather than waiting for handles to close) also writes a --cpu-prof profile.
      process.exit(0);
    }
  } catch (error) {
    send({ id: command.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
send({ ready: true, port: started.port });
