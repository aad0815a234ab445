// Serves the HTTP application on a port until asked to stop.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { limitHeapGrowth } from '../performance/v8-settings.ts';
import type { Runtime } from '../runtime.ts';
import { createApp } from './app.ts';
import { answerMalformedRequest } from './malformed-requests.ts';
import { setBaselineHeaders } from './security-headers.ts';

export type RunningServer = {
  port: number;
  /**
   * Stops accepting connections and waits for the requests running to end; with `graceMs`, at most that long, then
   * cuts the connections still open.
   */
  close(options?: { graceMs?: number }): Promise<void>;
};

/**
 * Connections the kernel may hold before the server accepts them (Node's default is 511). A burst of thousands of
 * clients would overflow that, and the kernel drops their handshakes, which they retry only after 1, 3, 7 s.
 * The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 8_192;

export function startServer(runtime: Runtime, port: number): Promise<RunningServer> {
  limitHeapGrowth(runtime.env.CHORUS_HEAP_GROWTH_PERCENT);
  const app = createApp(runtime);
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  server.prependListener('request', setBaselineHeaders);
  server.on('clientError', answerMalformedRequest);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: ({ graceMs } = {}) =>
          new Promise<void>((done) => {
            let overdue: NodeJS.Timeout | undefined;
            // Also closes the idle keep-alive connections, then waits for those with a request running.
            server.close(() => {
              clearTimeout(overdue);
              done();
            });
            // Live event streams never end by themselves: closing waits for open connections, so end them.
            runtime.conversationEvents.endSubscriptions();
            // A streaming reply holds its request until its model has finished: stopped, it ends now.
            runtime.stopReplies();
            if (graceMs !== undefined) overdue = setTimeout(() => (server as Server).closeAllConnections(), graceMs);
          }),
      });
    });
  });
}
