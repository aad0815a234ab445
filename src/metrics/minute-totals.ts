// One minute of this process's work in a few numbers, for the admin charts: what the rollup writes to the metrics
// table each minute (minute-rollups.ts). Time to first token is kept as a bounded sample, so a busy minute costs no
// more memory than a quiet one.
import type { ProviderErrorKind } from '../providers/provider-errors.ts';

/** What a turn's reply tells the metrics when it ends (see turn-metrics.ts). */
export type EndedReply = {
  modelId: string;
  status: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  costUsd?: number;
  latencyMs?: number;
  firstTextMs?: number;
  failure?: ProviderErrorKind;
};

/** First-token times kept per minute; past it, each new one replaces a kept one at random (reservoir sampling). */
const FIRST_TOKEN_SAMPLE = 2_048;

/** What a minute's row holds (metric_data of metric_type `server.minute`). */
export type MinuteFigures = {
  turns: number;
  replies: number;
  replyErrors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  requests: number;
  serverErrors: number;
  firstTokenP50Ms: number | null;
  firstTokenP95Ms: number | null;
};

export class MinuteTotals {
  private figures = emptyFigures();
  private firstTokenMs: number[] = [];
  private firstTokenSeen = 0;

  countRequest(status: number): void {
    this.figures.requests++;
    if (status >= 500) this.figures.serverErrors++;
  }

  countTurn(): void {
    this.figures.turns++;
  }

  countReply(reply: EndedReply): void {
    const figures = this.figures;
    figures.replies++;
    if (reply.status === 'error') figures.replyErrors++;
    figures.inputTokens += reply.inputTokens ?? 0;
    figures.outputTokens += reply.outputTokens ?? 0;
    figures.costUsd += reply.costUsd ?? 0;
    if (reply.firstTextMs !== undefined) this.sampleFirstToken(reply.firstTextMs);
  }

  /** The minute's figures, or null if nothing happened; starts the next minute from zero. */
  take(): MinuteFigures | null {
    const figures = this.figures;
    const samples = this.firstTokenMs.sort((a, b) => a - b);
    this.figures = emptyFigures();
    this.firstTokenMs = [];
    this.firstTokenSeen = 0;
    if (figures.turns === 0 && figures.replies === 0 && figures.requests === 0) return null;
    return { ...figures, firstTokenP50Ms: percentile(samples, 0.5), firstTokenP95Ms: percentile(samples, 0.95) };
  }

  private sampleFirstToken(ms: number): void {
    this.firstTokenSeen++;
    if (this.firstTokenMs.length < FIRST_TOKEN_SAMPLE) this.firstTokenMs.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.firstTokenSeen);
      if (slot < FIRST_TOKEN_SAMPLE) this.firstTokenMs[slot] = ms;
    }
  }
}

const emptyFigures = (): Omit<MinuteFigures, 'firstTokenP50Ms' | 'firstTokenP95Ms'> => ({
  turns: 0,
  replies: 0,
  replyErrors: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  requests: 0,
  serverErrors: 0,
});

/** The value below which `fraction` of the sorted `values` lie (nearest rank), rounded to 0.1 ms. */
export function percentile(sorted: number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round(sorted[rank]! * 10) / 10;
}
