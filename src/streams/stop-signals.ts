// Stop requests reach every server process: behind a load balancer, the process that takes POST /stop is not
// always the one generating the reply. In one process by default; over Redis pub/sub when REDIS_URL is set.
import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

export interface StopSignals {
  /** Asks every process (this one included) to stop the conversation's running replies. */
  publish(conversationId: string): Promise<void>;
  /** Calls `onStop` for each stop request from any process; resolves once requests are being received. */
  subscribe(onStop: (conversationId: string) => void): Promise<void>;
  close(): Promise<void>;
}

const EVENT = 'stop';

export class LocalStopSignals implements StopSignals {
  private readonly events = new EventEmitter();

  async publish(conversationId: string): Promise<void> {
    this.events.emit(EVENT, conversationId);
  }

  async subscribe(onStop: (conversationId: string) => void): Promise<void> {
    this.events.on(EVENT, onStop);
  }

  async close(): Promise<void> {
    this.events.removeAllListeners();
  }
}

const CHANNEL = 'chorus:stop';

export class RedisStopSignals implements StopSignals {
  private readonly publisher: Redis;
  // A connection in subscriber mode can do nothing else, hence its own.
  private subscriber: Redis | null = null;

  constructor(private readonly url: string) {
    this.publisher = new Redis(url, { maxRetriesPerRequest: 3 });
  }

  async publish(conversationId: string): Promise<void> {
    await this.publisher.publish(CHANNEL, conversationId);
  }

  async subscribe(onStop: (conversationId: string) => void): Promise<void> {
    this.subscriber ??= new Redis(this.url, { maxRetriesPerRequest: 3 });
    this.subscriber.on('message', (channel: string, conversationId: string) => {
      if (channel === CHANNEL) onStop(conversationId);
    });
    await this.subscriber.subscribe(CHANNEL);
  }

  async close(): Promise<void> {
    this.subscriber?.disconnect();
    await this.publisher.quit();
  }
}

export function createStopSignals(env: { REDIS_URL?: string }): StopSignals {
  return env.REDIS_URL ? new RedisStopSignals(env.REDIS_URL) : new LocalStopSignals();
}
