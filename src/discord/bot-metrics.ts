// What a Discord bot did, counted in memory and written to the metrics table under the bot's user id
// (client_bot_id) once a period and when the bot stops: one row per period with something in it, never one per
// event. Latency is from the Discord message's arrival to its reply's first words being visible in the channel.
import { logError } from '../loggable-error.ts';
import type { MetricStore } from '../store/metrics.ts';

export const DISCORD_METRIC_TYPE = 'discord_bot';
const DEFAULT_PERIOD_MS = 60_000;

type Counts = {
  messagesHandled: number;
  replies: number;
  edits: number;
  rateLimitWaits: number;
  errors: number;
};

/** A period's figures, as written into metric_data. */
export type DiscordBotFigures = Counts & {
  periodStartedAt: string;
  firstWordsLatencyMs: { count: number; p50: number | null; p99: number | null; max: number | null };
};

const noCounts = (): Counts => ({ messagesHandled: 0, replies: 0, edits: 0, rateLimitWaits: 0, errors: 0 });

export class BotMetrics {
  private counts = noCounts();
  private latencies: number[] = [];
  private periodStartedAt = new Date();
  private timer: NodeJS.Timeout | null = null;
  private botId: string | null = null;

  constructor(
    private readonly metrics: Pick<MetricStore, 'record'>,
    private readonly periodMs = DEFAULT_PERIOD_MS,
  ) {}

  /** Starts writing a period's figures every period, under the bot's user id. */
  start(botId: string): void {
    this.botId = botId;
    this.timer ??= setInterval(() => void this.flush(), this.periodMs);
    this.timer.unref();
  }

  /** Writes what is left and stops. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  count(what: keyof Counts, by = 1): void {
    this.counts[what] += by;
  }

  firstWordsAfter(milliseconds: number): void {
    this.latencies.push(milliseconds);
  }

  /** The figures since the last write, and a new period begun. */
  takeFigures(): DiscordBotFigures | null {
    const counts = this.counts;
    const latencies = this.latencies.sort((a, b) => a - b);
    const periodStartedAt = this.periodStartedAt;
    this.counts = noCounts();
    this.latencies = [];
    this.periodStartedAt = new Date();
    if (latencies.length === 0 && Object.values(counts).every((value) => value === 0)) return null;
    return {
      ...counts,
      periodStartedAt: periodStartedAt.toISOString(),
      firstWordsLatencyMs: {
        count: latencies.length,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: latencies.at(-1) ?? null,
      },
    };
  }

  private async flush(): Promise<void> {
    if (!this.botId) return;
    const figures = this.takeFigures();
    if (!figures) return;
    try {
      await this.metrics.record({ clientBotId: this.botId, metricType: DISCORD_METRIC_TYPE, metricData: figures });
    } catch (error) {
      logError('the Discord bot metrics could not be written', error);
    }
  }
}

function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!);
}
