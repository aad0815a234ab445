// The Redis a benchmark may run on: BENCH_REDIS_URL, TEST_REDIS_URL, or the local default — when it answers.
import { Redis } from 'ioredis';

const DEFAULT_REDIS = 'redis://127.0.0.1:6379';

export async function reachableRedisUrl(): Promise<string | undefined> {
  const url = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? DEFAULT_REDIS;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? url : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
