// What this server process measures, for a monitoring system (GET /metrics, Prometheus text) and for the minute
// rollups the admin charts read (minute-totals.ts). Everything is counted where something ends — a request, a reply,
// a statement — never per streamed chunk; gauges of what is open now are read only when scraped.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type EndedReply, MinuteTotals } from './minute-totals.ts';

/** The kinds of streamed response the server holds open. */
export type OpenStreamKind = 'reply' | 'event_subscription';

/**
 * Process-wide measures (memory, CPU, event-loop lag, garbage collection): one set per process, however many
 * runtimes it opens (tests open many), so they are collected once.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class ServerMetrics {
  readonly registry = new Registry();
  /** The current minute's totals, written to the metrics table by the rollup (minute-rollups.ts). */
  readonly minute = new MinuteTotals();
  private readonly openStreams: Record<OpenStreamKind, number> = { reply: 0, event_subscription: 0 };

  private readonly httpRequests = new Counter({
    name: 'chorus_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'chorus_http_request_duration_seconds',
    help: 'Time from a request to its response head (a stream counts until it starts), by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly turns = new Counter({
    name: 'chorus_turns_total',
    help: 'Messages answered: turns started (each one or more replies)',
    registers: [this.registry],
  });
  private readonly replies = new Counter({
    name: 'chorus_replies_total',
    help: 'Replies ended, by model and status (complete, stopped, error)',
    labelNames: ['model', 'status'] as const,
    registers: [this.registry],
  });
  private readonly firstToken = new Histogram({
    name: 'chorus_reply_first_token_seconds',
    help: "Time from a reply's provider call to its first text, by model",
    labelNames: ['model'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });
  private readonly replyDuration = new Histogram({
    name: 'chorus_reply_duration_seconds',
    help: "Time from a reply's provider call to its end, by model",
    labelNames: ['model'] as const,
    buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'chorus_tokens_total',
    help: 'Tokens the providers reported, by model and kind (input, output, cached_input)',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly cost = new Counter({
    name: 'chorus_cost_usd_total',
    help: 'What the replies cost at the prices in force, in US dollars, by model',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });
  private readonly providerErrors = new Counter({
    name: 'chorus_provider_errors_total',
    help: 'Provider calls that failed, by model and kind',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
  });
  readonly statementDuration = new Histogram({
    name: 'chorus_db_statement_duration_seconds',
    help: 'Time the database took to answer a statement, as the server waited for it',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });

  constructor() {
    const openStreams = this.openStreams;
    new Gauge({
      name: 'chorus_active_streams',
      help: 'Reply streams (a chat reply, /v1 streaming) this process is sending now',
      registers: [this.registry],
      collect() {
        this.set(openStreams.reply);
      },
    });
    new Gauge({
      name: 'chorus_event_subscribers',
      help: 'Live event streams of conversations this process holds open now (people following a conversation)',
      registers: [this.registry],
      collect() {
        this.set(openStreams.event_subscription);
      },
    });
  }

  countRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status });
    this.httpDuration.observe({ method, route }, seconds);
    this.minute.countRequest(status);
  }

  /** Counts a stream of `kind` open; the function returned counts it closed. */
  openStream(kind: OpenStreamKind): () => void {
    this.openStreams[kind]++;
    return () => void this.openStreams[kind]--;
  }

  countTurn(): void {
    this.turns.inc();
    this.minute.countTurn();
  }

  countReply(reply: EndedReply): void {
    const model = reply.modelId;
    this.replies.inc({ model, status: reply.status });
    if (reply.firstTextMs !== undefined) this.firstToken.observe({ model }, reply.firstTextMs / 1000);
    if (reply.latencyMs !== undefined) this.replyDuration.observe({ model }, reply.latencyMs / 1000);
    if (reply.inputTokens) this.tokens.inc({ model, kind: 'input' }, reply.inputTokens);
    if (reply.outputTokens) this.tokens.inc({ model, kind: 'output' }, reply.outputTokens);
    if (reply.cachedInputTokens) this.tokens.inc({ model, kind: 'cached_input' }, reply.cachedInputTokens);
    if (reply.costUsd) this.cost.inc({ model }, reply.costUsd);
    if (reply.failure) this.providerErrors.inc({ model, kind: reply.failure });
    this.minute.countReply(reply);
  }

  /** Everything measured, this runtime's and the process's, in Prometheus text format. */
  async text(): Promise<string> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${process}`;
  }

  readonly contentType = this.registry.contentType;
}
