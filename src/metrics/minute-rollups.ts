// Every minute, what this process did in it (minute-totals.ts) becomes one row of the metrics table, under this
// process's own client_bot_id, so the admin charts can add up the processes of a deployment. A quiet minute writes
// nothing.
import os from 'node:os';
import { logError } from '../loggable-error.ts';
import type { MetricStore } from '../store/metrics.ts';
import type { MinuteTotals } from './minute-totals.ts';

/** The metric_type of a server process's minute. */
export const SERVER_MINUTE_METRIC = 'server.minute';

const MINUTE_MS = 60_000;

/** This process among others writing rollups: `server:<host>:<pid>`. */
export const serverClientId = () => `server:${os.hostname()}:${process.pid}`.slice(0, 100);

export type MetricRollups = {
  /** Writes the minute so far (the server is stopping) and stops. */
  stop(): Promise<void>;
};

export function startMetricRollups(
  metrics: MetricStore,
  totals: MinuteTotals,
  { clientBotId = serverClientId(), intervalMs = MINUTE_MS }: { clientBotId?: string; intervalMs?: number } = {},
): MetricRollups {
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    const figures = totals.take();
    if (!figures) return;
    writing = writing
      .then(() => metrics.record({ clientBotId, metricType: SERVER_MINUTE_METRIC, metricData: figures }))
      .then(
        () => undefined,
        (error: unknown) => logError('writing the minute of metrics failed', error),
      );
  };
  const timer = setInterval(write, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      write();
      await writing;
    },
  };
}
