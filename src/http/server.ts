// Serves the HTTP application on a port until asked to stop.
import { type ServerType, serve } from '@hono/node-server';
import type { Runtime } from '../runtime.ts';
import { createApp } from './app.ts';

export type RunningServer = { port: number; close(): Promise<void> };

export function startServer(runtime: Runtime, port: number): Promise<RunningServer> {
  const app = createApp(runtime);
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port }, (info) => {
      resolve({
        port: info.port,
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
