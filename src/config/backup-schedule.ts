// The CHORUS_BACKUP_* settings: how often `chorus serve` backs the database up, how many backups it keeps, and
// where they go (a folder, or s3://bucket/prefix; the configured file storage's `backups/` when unset).
import { z } from 'zod';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `24h`, `7d` (or `500ms`) as milliseconds; null when it is none of these. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(text.trim());
  if (!match) return null;
  const milliseconds = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return milliseconds > 0 ? Math.round(milliseconds) : null;
}

export const backupScheduleFields = {
  /** Unset: no scheduled backups. */
  CHORUS_BACKUP_INTERVAL: z
    .string()
    .optional()
    .transform((text, context) => {
      if (text === undefined) return undefined;
      const milliseconds = parseDuration(text);
      if (milliseconds === null) {
        context.addIssue({ code: 'custom', message: 'must be a duration such as 30m, 24h or 7d' });
        return z.NEVER;
      }
      return milliseconds;
    }),
  /** Completed backups kept at the destination, the newest; older ones are deleted. Unset: all are kept. */
  CHORUS_BACKUP_KEEP: z.coerce.number().int().min(1).optional(),
  CHORUS_BACKUP_TO: z
    .string()
    .trim()
    .optional()
    .refine(
      (value) => value === undefined || !value.startsWith('s3:') || /^s3:\/\/[^/]+(\/.*)?$/.test(value),
      'must be a folder or s3://bucket/prefix',
    ),
};
