// The stream log the configuration asks for: Redis when REDIS_URL is set, else in this process.
import { MemoryStreamLog } from './memory-stream-log.ts';
import { RedisStreamLog } from './redis-stream-log.ts';
import type { StreamLog } from './stream-log.ts';

export function createStreamLog(env: { REDIS_URL?: string }): StreamLog {
  return env.REDIS_URL ? new RedisStreamLog(env.REDIS_URL) : new MemoryStreamLog();
}

export type { StreamLog } from './stream-log.ts';
