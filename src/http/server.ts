// Serves the HTTP application on a port until asked to stop.
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Runtime } from '../runtime.ts';
import { createApp } from './app.ts';

export type RunningServer = { port: number; close(): Promise<void> };

/**
 * Connections the kernel may hold before the server accepts them (Node's default is 511). A burst of thousands of
 * clients would overflow that, and the kernel drops their handshakes, which they retry only after 1, 3, 7 s.
 * The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 8_192;

export function startServer(runtime: Runtime, port: number): Promise<RunningServer> {
  const app = createApp(runtime);
  const server = createAdaptorServer({ fetch: app.fetch });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Live event streams never end by themselves: closing waits for open connections, so end them.
            runtime.conversationEvents.endSubscriptions();
          }),
      });
    });
  });
}
