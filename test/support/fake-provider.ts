// A fake AI provider at the process edge, for tests and benchmarks: a real HTTP server on 127.0.0.1 that
// speaks OpenAI Chat Completions (POST /v1/chat/completions, GET /v1/models), OpenAI Responses
// (POST /v1/responses) and Anthropic Messages (POST /v1/messages), streaming and not, so the real AI SDK
// providers are exercised end to end.
// Each model can be scripted (reply, chunking, delays, failures, a cut stream, a hang), and every
// request is recorded so a test can assert what each model was sent, and when.
//
//   const fake = await startFakeProvider({ models: { 'gpt-test': { reply: 'Hi there', chunkSize: 2 } } });
//   createOpenAI({ baseURL: fake.baseURL, apiKey: 'k' }).chat('gpt-test')
//   fake.scriptNextRequest({ failFirst: { count: 1, status: 429 } }, 'gpt-test');  // just the next one
//   fake.requestsFor('gpt-test')[0].messages
import { EventEmitter } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { estimateTokens } from '../../src/providers/token-estimate.ts';
import {
  anthropicMessages,
  type FakeSource,
  type FakeToolCall,
  type FakeUsage,
  openaiChatCompletions,
  openaiResponses,
  type ReplyExtras,
  textOfContent,
  type WireFormat,
} from './fake-provider-wire.ts';

export type FakeBehaviour = {
  /** The whole reply; default `Reply from <model>.` */
  reply?: string;
  /** Characters per streamed chunk; default 4. */
  chunkSize?: number;
  /** Wait after the response headers, before the first chunk (or before the whole non-streamed answer). */
  firstChunkDelayMs?: number;
  /** Wait between chunks. */
  chunkDelayMs?: number;
  /**
   * Answer the first `count` requests that use this very object with HTTP `status`, then succeed. A 429
   * carries `Retry-After: 0` unless told otherwise; other statuses carry no retry header (the AI SDK then
   * backs off 2 s, 4 s, …), so set `retryAfterMs` to keep a test fast.
   */
  failFirst?: { count: number; status: number; retryAfterSeconds?: number; retryAfterMs?: number; body?: unknown };
  /** Destroy the socket after this many text chunks (0: right after the headers). */
  cutAfterChunks?: number;
  /** End the stream cleanly after this many text chunks, without the frames that say the reply is done. */
  endAfterChunks?: number;
  /** Never answer; the request stays open until the client gives up or the fake is closed. */
  hang?: boolean;
  /** Reported usage; by default estimated like the offline model does (4 characters a token), no cache. */
  usage?: Partial<FakeUsage>;
  /** Web pages the reply cites (the Responses API sends them as URL citations; the other formats ignore them). */
  sources?: FakeSource[];
  /** Tools the reply calls after its text (Chat Completions and Anthropic Messages). */
  toolCalls?: FakeToolCall[];
};

export type RecordedRequest = {
  api: WireFormat['api'];
  model: string;
  messages: unknown[];
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  stream: boolean;
  /** performance.now() when the request arrived, and when its answer ended or the connection closed. */
  receivedAt: number;
  finishedAt?: number;
  status?: number;
  outcome: 'pending' | 'completed' | 'failed' | 'cut' | 'client-closed';
};

export type FakeProvider = {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** `${url}/v1`: the base URL for both the OpenAI and the Anthropic providers. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  requestsFor(model: string): RecordedRequest[];
  /** Sets how a model behaves from now on (replacing what was set before). */
  scriptModel(model: string, behaviour: FakeBehaviour): void;
  /** Overrides, for one request only, the behaviour of the next request for `model` (or for any model). */
  scriptNextRequest(behaviour: FakeBehaviour, model?: string): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  /** Back to how it started: the scripts given to startFakeProvider, no overrides, nothing recorded. */
  reset(): void;
  /** Stops the server, ending every open request (hung ones included). */
  close(): Promise<void>;
};

const DEFAULT_CHUNK_SIZE = 4;

export async function startFakeProvider(
  options: { defaults?: FakeBehaviour; models?: Record<string, FakeBehaviour> } = {},
): Promise<FakeProvider> {
  const scripts = new Map(Object.entries(options.models ?? {}));
  const nextRequestFor = new Map<string | undefined, FakeBehaviour[]>();
  const failuresServed = new WeakMap<object, number>();
  const requests: RecordedRequest[] = [];
  const arrivals = new EventEmitter();
  const lifetime = new AbortController();

  function behaviourFor(model: string): FakeBehaviour {
    const override = nextRequestFor.get(model)?.shift() ?? nextRequestFor.get(undefined)?.shift();
    return { ...options.defaults, ...scripts.get(model), ...override };
  }

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    if (request.method === 'GET' && path === '/v1/models') {
      const data = [...scripts.keys()].map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake-provider' }));
      return sendJson(response, 200, { object: 'list', data });
    }
    const format =
      request.method !== 'POST'
        ? undefined
        : path === '/v1/chat/completions'
          ? openaiChatCompletions
          : path === '/v1/responses'
            ? openaiResponses
            : path === '/v1/messages'
              ? anthropicMessages
              : undefined;
    if (!format) return sendJson(response, 404, { error: { message: `no route ${request.method} ${path}` } });

    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request));
    } catch {
      return sendJson(response, 400, format.errorBody(400));
    }
    const parsed = format.parse(body);
    const record: RecordedRequest = {
      api: format.api,
      model: parsed.model,
      messages: parsed.messages,
      body,
      headers: request.headers,
      stream: parsed.stream,
      receivedAt: performance.now(),
      outcome: 'pending',
    };
    requests.push(record);
    arrivals.emit('request');
    const finish = (outcome: RecordedRequest['outcome'], status?: number) => {
      if (record.outcome !== 'pending') return;
      Object.assign(record, { outcome, finishedAt: performance.now() }, status === undefined ? {} : { status });
    };
    const clientGone = new AbortController();
    response.on('close', () => {
      finish('client-closed');
      clientGone.abort();
    });
    const signal = AbortSignal.any([lifetime.signal, clientGone.signal]);

    const behaviour = behaviourFor(parsed.model);
    if (behaviour.hang) return;
    const failure = behaviour.failFirst;
    if (failure && (failuresServed.get(failure) ?? 0) < failure.count) {
      failuresServed.set(failure, (failuresServed.get(failure) ?? 0) + 1);
      finish('failed', failure.status);
      return sendJson(
        response,
        failure.status,
        failure.body ?? format.errorBody(failure.status),
        retryHeaders(failure),
      );
    }

    const reply = behaviour.reply ?? `Reply from ${parsed.model}.`;
    const usage = usageFor(parsed.messages, body, reply, behaviour.usage);
    const id = `fake-${requests.length}`;
    if (!parsed.stream) {
      await sleep(behaviour.firstChunkDelayMs ?? 0, undefined, { signal });
      if (behaviour.cutAfterChunks !== undefined) return cut(response, finish);
      finish('completed', 200);
      return sendJson(response, 200, format.completion(parsed.model, id, reply, usage, extrasOf(behaviour)));
    }
    await streamReply(
      response,
      format,
      { model: parsed.model, id, reply, usage, behaviour, signal, finish },
      parsed.includeUsage,
    );
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      // A delay cut short by the client leaving or the fake closing is expected, not a failure.
      if (!(error instanceof Error && error.name === 'AbortError')) console.error('fake provider:', error);
      response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    requests,
    requestsFor: (model) => requests.filter((request) => request.model === model),
    scriptModel: (model, behaviour) => void scripts.set(model, behaviour),
    scriptNextRequest(behaviour, model) {
      nextRequestFor.set(model, [...(nextRequestFor.get(model) ?? []), behaviour]);
    },
    async waitForRequests(count, timeoutMs = 5000) {
      const deadline = AbortSignal.timeout(timeoutMs);
      while (requests.length < count) {
        await EventEmitter.once(arrivals, 'request', { signal: deadline }).catch(() => {
          throw new Error(`fake provider: ${requests.length} of ${count} requests arrived within ${timeoutMs} ms`);
        });
      }
      return requests.slice(0, count);
    },
    reset() {
      scripts.clear();
      for (const [model, behaviour] of Object.entries(options.models ?? {})) scripts.set(model, behaviour);
      nextRequestFor.clear();
      requests.length = 0;
    },
    async close() {
      lifetime.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type StreamPlan = {
  model: string;
  id: string;
  reply: string;
  usage: FakeUsage;
  behaviour: FakeBehaviour;
  signal: AbortSignal;
  finish: (outcome: RecordedRequest['outcome'], status?: number) => void;
};

async function streamReply(response: ServerResponse, format: WireFormat, plan: StreamPlan, includeUsage: boolean) {
  const { model, id, behaviour, signal } = plan;
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  response.flushHeaders();
  // Real providers answer with headers at once and send their first frame when the model starts writing.
  await sleep(behaviour.firstChunkDelayMs ?? 0, undefined, { signal });
  if (behaviour.cutAfterChunks === 0) return cut(response, plan.finish);
  for (const frame of format.streamStart(model, id, plan.usage)) response.write(frame);
  const chunks = splitIntoChunks(plan.reply, behaviour.chunkSize ?? DEFAULT_CHUNK_SIZE);
  for (const [index, chunk] of chunks.entries()) {
    if (index > 0) await sleep(behaviour.chunkDelayMs ?? 0, undefined, { signal });
    const frame = format.streamText(model, id, chunk);
    if (index + 1 === behaviour.endAfterChunks) {
      plan.finish('completed', 200);
      return void response.end(frame);
    }
    if (index + 1 !== behaviour.cutAfterChunks) {
      response.write(frame);
      continue;
    }
    // Destroying the socket drops writes still buffered, so the last chunk must be out first.
    await new Promise<void>((resolve) => response.write(frame, () => resolve()));
    return cut(response, plan.finish);
  }
  plan.finish('completed', 200);
  response.end(format.streamEnd(model, id, plan.usage, includeUsage, extrasOf(plan.behaviour)).join(''));
}

const extrasOf = (behaviour: FakeBehaviour): ReplyExtras => ({
  sources: behaviour.sources ?? [],
  toolCalls: behaviour.toolCalls ?? [],
});

function cut(response: ServerResponse, finish: StreamPlan['finish']) {
  finish('cut', response.headersSent ? 200 : undefined);
  response.socket?.destroy();
}

function splitIntoChunks(text: string, size: number): string[] {
  const characters = Array.from(text);
  const chunks: string[] = [];
  for (let start = 0; start < characters.length; start += size)
    chunks.push(characters.slice(start, start + size).join(''));
  return chunks;
}

function usageFor(
  messages: unknown[],
  body: Record<string, unknown>,
  reply: string,
  given: Partial<FakeUsage> = {},
): FakeUsage {
  const promptText = [
    textOfContent(body.system),
    ...messages.map((message) => textOfContent((message as { content?: unknown }).content)),
  ];
  return {
    inputTokens: given.inputTokens ?? estimateTokens(promptText.join('\n')),
    outputTokens: given.outputTokens ?? estimateTokens(reply),
    cachedInputTokens: given.cachedInputTokens ?? 0,
  };
}

function retryHeaders(failure: NonNullable<FakeBehaviour['failFirst']>): Record<string, string> {
  const headers: Record<string, string> = {};
  const seconds =
    failure.retryAfterSeconds ?? (failure.status === 429 && failure.retryAfterMs === undefined ? 0 : undefined);
  if (seconds !== undefined) headers['retry-after'] = String(seconds);
  if (failure.retryAfterMs !== undefined) headers['retry-after-ms'] = String(failure.retryAfterMs);
  return headers;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
