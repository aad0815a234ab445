// A provider that costs nothing, for benchmarks of what sits between it and the client: an OpenAI-compatible
// POST /v1/chat/completions (streamed) whose answer for each model is built once at start-up and sent in one
// write — every chunk at once — or, for a paced model, the same frames spread evenly over a fixed time.
// Unlike test/support/fake-provider.ts it records nothing and runs no code per chunk.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `chunks` pieces of `CHUNK_TEXT`; a paced model sends them evenly over `totalMs`, the last one at `totalMs`. */
export type InstantModel = { chunks: number; totalMs?: number };

/** Four characters, about one token: the size of a real model's text delta. */
export const CHUNK_TEXT = 'tok ';

export type BenchModelName = 'long' | 'short' | 'paced-50' | 'paced-100' | 'paced-150' | 'words' | 'word';

/** The models the chat benchmark asks for, by provider model id. */
export const BENCH_MODELS: Record<BenchModelName, InstantModel> = {
  // Long enough (2.6 MB of events) that no server can hand it over in one socket read: the rate is a rate.
  long: { chunks: 20_000 },
  short: { chunks: 20 },
  'paced-50': { chunks: 10, totalMs: 50 },
  'paced-100': { chunks: 10, totalMs: 100 },
  'paced-150': { chunks: 10, totalMs: 150 },
  // A reply at a person's reading pace: 50 words, 50 ms apart (the capacity benchmark).
  words: { chunks: 50, totalMs: 2_500 },
  // One word after 50 ms: a turn that is nearly all set-up (the capacity benchmark's CPU split).
  word: { chunks: 1, totalMs: 50 },
};

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' };

function frame(model: string, choices: unknown[], usage?: unknown): string {
  const chunk = {
    id: 'bench',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices,
    ...(usage ? { usage } : {}),
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/** The frames of one answer: role, text pieces, finish, usage (the server asks for it), end marker. */
function framesFor(model: string, { chunks }: InstantModel): { opening: string; pieces: string[]; closing: string } {
  const opening = frame(model, [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
  const piece = frame(model, [{ index: 0, delta: { content: CHUNK_TEXT }, finish_reason: null }]);
  const usage = { prompt_tokens: 10, completion_tokens: chunks, total_tokens: 10 + chunks };
  const closing = `${frame(model, [{ index: 0, delta: {}, finish_reason: 'stop' }]) + frame(model, [], usage)}data: [DONE]\n\n`;
  return { opening, pieces: Array.from({ length: chunks }, () => piece), closing };
}

export type InstantProvider = { port: number; server: Server; close(): Promise<void> };

export async function startInstantProvider(
  models: Record<string, InstantModel> = BENCH_MODELS,
): Promise<InstantProvider> {
  const answers = new Map(
    Object.entries(models).map(([name, model]) => {
      const frames = framesFor(name, model);
      return [name, { model, frames, whole: Buffer.from(frames.opening + frames.pieces.join('') + frames.closing) }];
    }),
  );
  const paced = new Set<NodeJS.Timeout>();

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const parts: Buffer[] = [];
    for await (const part of request) parts.push(part as Buffer);
    const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as { model?: string; stream?: boolean };
    const found = answers.get(String(body.model));
    if (!found || body.stream !== true) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({ error: { message: `no streamed model ${body.model}`, type: 'not_found', code: null } }),
      );
      return;
    }
    response.writeHead(200, SSE_HEADERS);
    const { model, frames, whole } = found;
    if (!model.totalMs) {
      response.end(whole);
      return;
    }
    // Headers and the role frame at once, as a real provider answers; then the text at its pace.
    response.write(frames.opening);
    const startedAt = performance.now();
    let sent = 0;
    const sendNext = () => {
      response.write(frames.pieces[sent++]!);
      if (sent === frames.pieces.length) {
        response.end(frames.closing);
        return;
      }
      const dueAt = startedAt + (model.totalMs! * (sent + 1)) / frames.pieces.length;
      schedule(Math.max(0, dueAt - performance.now()));
    };
    const schedule = (delayMs: number) => {
      const timer = setTimeout(() => {
        paced.delete(timer);
        if (!response.destroyed) sendNext();
      }, delayMs);
      paced.add(timer);
    };
    schedule(model.totalMs / frames.pieces.length);
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      console.error('instant provider:', error);
      response.destroy();
    });
  });
  // Thousands of connections may arrive at once (the concurrency benchmark).
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 8_192 }, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    async close() {
      for (const timer of paced) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
