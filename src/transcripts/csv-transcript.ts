// The CSV transcript: one row per message (time, speaker, role, model, text, tokens, cost), for spreadsheets.
// csv-stringify quotes what needs quoting; each page of rows is formatted at once. Pure functions.
import { stringify } from 'csv-stringify/sync';
import type { Message } from '../store/message-rows.ts';
import { type SpeakerNames, textOf } from './transcript-content.ts';

export const CSV_COLUMNS = [
  'time',
  'speaker',
  'role',
  'model',
  'text',
  'input_tokens',
  'output_tokens',
  'cost_usd',
] as const;

/** The header line. */
export const csvHeader = (): string => stringify([CSV_COLUMNS as unknown as string[]]);

/** One message's row, as the columns say. */
export function csvRow(message: Message, names: SpeakerNames): (string | number | null)[] {
  return [
    message.createdAt.toISOString(),
    names.speakerOf(message),
    message.role,
    names.modelIdOf(message),
    textOf(message),
    message.inputTokens,
    message.outputTokens,
    message.costUsd,
  ];
}

/** A page of rows. */
export function csvRows(messages: Message[], names: SpeakerNames): string {
  if (messages.length === 0) return '';
  return stringify(messages.map((message) => csvRow(message, names)));
}
