// The baseline the chat benchmark holds Chorus against: the least a server can do to relay a provider's stream
// to a client. A bare node:http server that takes the same request body as POST /api/chat, asks the provider
// for the first of `modelIds` (the part after the colon) over a keep-alive node:http agent, and turns each
// provider chunk into the same UI message stream event Chorus sends (`data: {"type":"text-delta",…}`), one
// res.write per event. No database, no framework, no web streams.
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export const RELAY_PATH = '/relay';

export type SseRelay = { port: number; server: Server; close(): Promise<void> };

const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-vercel-ai-ui-message-stream': 'v1',
};

const event = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\n\n`;

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

export async function startSseRelay(providerUrl: string): Promise<SseRelay> {
  const upstreamAgent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const provider = new URL('/v1/chat/completions', providerUrl);

  async function relay(request: IncomingMessage, response: ServerResponse) {
    const body = await readJson(request);
    const modelId = String((body.modelIds as string[] | undefined)?.[0] ?? '');
    const messages = (body.messages as { parts: { text: string }[] }[] | undefined) ?? [];
    const prompt =
      messages
        .at(-1)
        ?.parts.map((part) => part.text)
        .join('') ?? '';
    const upstreamBody = JSON.stringify({
      model: modelId.slice(modelId.indexOf(':') + 1),
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const messageId = crypto.randomUUID();
    const upstream = httpRequest(provider, {
      method: 'POST',
      agent: upstreamAgent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(upstreamBody) },
    });
    upstream.on('response', (providerResponse) => {
      if (providerResponse.statusCode !== 200) {
        response.writeHead(502, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `provider answered ${providerResponse.statusCode}` } }));
        providerResponse.resume();
        return;
      }
      response.writeHead(200, SSE_HEADERS);
      response.write(event({ type: 'start', messageId }));
      response.write(event({ type: 'text-start', id: messageId }));
      providerResponse.setEncoding('utf8');
      let pending = '';
      providerResponse.on('data', (text: string) => {
        pending += text;
        let start = 0;
        for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
          const line = pending.slice(start, end);
          start = end + 2;
          if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
          const chunk = JSON.parse(line.slice(6)) as { choices: { delta?: { content?: string } }[] };
          const delta = chunk.choices[0]?.delta?.content;
          if (delta) response.write(event({ type: 'text-delta', id: messageId, delta }));
        }
        pending = pending.slice(start);
      });
      providerResponse.on('end', () => {
        response.write(event({ type: 'text-end', id: messageId }));
        response.write(event({ type: 'finish' }));
        response.end('data: [DONE]\n\n');
      });
      providerResponse.on('error', () => response.destroy());
    });
    upstream.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: error.message } }));
    });
    upstream.end(upstreamBody);
  }

  const server = createServer((request, response) => {
    if (request.method !== 'POST' || request.url !== RELAY_PATH) {
      response.writeHead(404).end();
      return;
    }
    relay(request, response).catch((error: unknown) => {
      console.error('sse relay:', error);
      response.destroy();
    });
  });
  // Node's default listen backlog, as Chorus's own server has.
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    async close() {
      server.closeAllConnections();
      upstreamAgent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
