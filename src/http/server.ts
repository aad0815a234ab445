// Serves the HTTP application on a port until asked to stop. `chorus serve` listens before it opens its database, so
// a load balancer's health checks get an answer (503, starting) while the migrations run; stopping drains: no new
// requests, the replies running get the grace to finish, then whatever is left is stopped and cut.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { limitHeapGrowth } from '../performance/v8-settings.ts';
import type { Runtime } from '../runtime.ts';
import { createApp } from './app.ts';
import { answerMalformedRequest } from './malformed-requests.ts';
import { setBaselineHeaders } from './security-headers.ts';

export type RunningServer = {
  port: number;
  /**
   * Drains and stops: readiness fails and new requests are refused (503) at once, and live event streams end.
   * Without `graceMs` the replies running are stopped now (saved as `stopped`), the server stops listening and the
   * requests running are waited for. With `graceMs`, replies get that long to finish by themselves; once they have
   * (or the grace is over, when those left are stopped) it stops listening, and the connections still open a
   * moment later are cut.
   */
  close(options?: { graceMs?: number }): Promise<void>;
};

/** A server listening before it has its application: it answers every request 503 (starting) until `serve`. */
export type ListeningServer = {
  port: number;
  serve(runtime: Runtime): RunningServer;
  /** Stops listening (start-up failed before serving). */
  close(): Promise<void>;
};

/**
 * Connections the kernel may hold before the server accepts them (Node's default is 511). A burst of thousands of
 * clients would overflow that, and the kernel drops their handshakes, which they retry only after 1, 3, 7 s.
 * The kernel caps it at net.core.somaxconn.
 */
const LISTEN_BACKLOG = 8_192;

/** After the grace, how long replies just stopped have to save what they said and end their responses. */
const STOPPED_REPLIES_ALLOWANCE_MS = 1_000;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const answerStarting: RequestListener = (_request, response) => {
  response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' });
  response.end(
    JSON.stringify({ error: { code: 'unavailable', message: 'the server is starting (preparing its database)' } }),
  );
};

export function listen(port: number): Promise<ListeningServer> {
  let answer: RequestListener = answerStarting;
  const server = createServer((request, response) => answer(request, response));
  server.prependListener('request', setBaselineHeaders);
  server.on('clientError', answerMalformedRequest);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      const listeningPort = (server.address() as AddressInfo).port;
      resolve({
        port: listeningPort,
        serve: (runtime) => {
          limitHeapGrowth(runtime.env.CHORUS_HEAP_GROWTH_PERCENT);
          answer = getRequestListener(createApp(runtime).fetch);
          return { port: listeningPort, close: (options) => drain(server, runtime, options) };
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

export async function startServer(runtime: Runtime, port: number): Promise<RunningServer> {
  return (await listen(port)).serve(runtime);
}

function drain(server: Server, runtime: Runtime, { graceMs }: { graceMs?: number } = {}): Promise<void> {
  // Readiness fails and new requests are refused (503) from now on, while the server still answers, so a load
  // balancer polling it sees it leave.
  runtime.lifecycle.drain();
  // Live event streams never end by themselves, and their followers can reconnect elsewhere: they end now.
  runtime.conversationEvents.endSubscriptions();
  return new Promise<void>((done) => {
    const timers: NodeJS.Timeout[] = [];
    let listening = true;
    const stopListening = () => {
      if (!listening) return;
      listening = false;
      // Also closes the idle keep-alive connections, then waits for those with a request running.
      server.close(() => {
        for (const timer of timers) clearTimeout(timer);
        done();
      });
    };
    if (graceMs === undefined) {
      // A streaming reply holds its request until its model has finished: stopped, it ends now.
      runtime.stopReplies();
      stopListening();
      return;
    }
    timers.push(
      setTimeout(() => {
        runtime.stopReplies();
        stopListening();
      }, graceMs),
      setTimeout(() => server.closeAllConnections(), graceMs + STOPPED_REPLIES_ALLOWANCE_MS),
    );
    // Replies that finish within the grace end their responses with them: nothing is left to wait for.
    void runtime.repliesEnded().then(stopListening);
  });
}
