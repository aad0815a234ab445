// What the server logs while a test runs, as the JSON lines it wrote and as one string to search.
import { configureLogging, type LogLevel } from '../../src/logging/logger.ts';

export type CapturedLogs = {
  /** Every line so far, parsed. */
  entries(): Record<string, unknown>[];
  /** Every line so far, as written. */
  text(): string;
  /** Logs go where they went before. */
  restore(): void;
};

export function captureLogs(level: LogLevel = 'debug'): CapturedLogs {
  const lines: string[] = [];
  const restore = configureLogging({ level, destination: { write: (line) => lines.push(line) } });
  return {
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => lines.join(''),
    restore,
  };
}

/** Runs `work` capturing what it logs. */
export async function logsOf<Result>(work: () => Promise<Result>): Promise<{ result: Result; logs: string }> {
  const captured = captureLogs();
  try {
    return { result: await work(), logs: captured.text() };
  } finally {
    captured.restore();
  }
}
