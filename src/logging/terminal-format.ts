// A log line as a person at a terminal reads it: time, level, message, then the other fields as key=value, and a
// multi-line field (an error's stack) on lines of its own below.
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields every line has, shown in the head of the line or not at all. */
const SHOWN_IN_HEAD = new Set(['level', 'time', 'msg', 'pid', 'requestId']);

/** One JSON log line (pino's) as a readable line; anything that is not JSON passes unchanged. */
export function formatForTerminal(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = LEVEL_NAMES[entry.level as number] ?? String(entry.level);
  const request = typeof entry.requestId === 'string' ? ` [${entry.requestId}]` : '';
  const inline: string[] = [];
  const below: string[] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (SHOWN_IN_HEAD.has(key)) continue;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text.includes('\n')) below.push(`  ${key}: ${text.replaceAll('\n', '\n    ')}`);
    else inline.push(`${key}=${text}`);
  }
  const head = [`${time} ${level}${request} ${entry.msg ?? ''}`, ...inline].join(' ');
  return `${[head, ...below].join('\n')}\n`;
}
