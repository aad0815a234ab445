// The S3_* settings: an S3-compatible bucket (AWS S3, MinIO, Cloudflare R2, Backblaze B2, ...) for stored files
// instead of the folder DATA_DIR/files. S3_BUCKET switches it on; the rest say where and as whom. Without keys the
// AWS SDK's own credential chain applies (AWS_* variables, an instance's role).
import { z } from 'zod';

/** A yes-or-no setting: true, false, 1 or 0. */
export const flag = z
  .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1');

export const objectStorageFields = {
  /** The bucket for stored files (it must exist); when unset, files are kept in DATA_DIR/files. */
  S3_BUCKET: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/, 'must be a bucket name (letters, digits, . - _)')
    .optional(),
  /** The store's address for an S3-compatible service other than AWS, e.g. http://127.0.0.1:9000 for MinIO. */
  S3_ENDPOINT: z
    .string()
    .trim()
    .optional()
    .refine((value) => value === undefined || /^https?:\/\//.test(value), 'must be an http(s) URL')
    .refine((value) => value === undefined || URL.canParse(value), 'must be a URL'),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Bucket in the path (http://host/bucket/key) rather than the host name: what most self-hosted stores need. */
  S3_FORCE_PATH_STYLE: flag.default(false),
};

const objectStorageSchema = z.object(objectStorageFields);
export type ObjectStorageSettings = z.infer<typeof objectStorageSchema>;

/** What is wrong with the S3_* settings taken together, one line per problem (`VARIABLE: why`). */
export function objectStorageProblems(settings: ObjectStorageSettings, given: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if ((settings.S3_ACCESS_KEY_ID === undefined) !== (settings.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = settings.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(
      `${missing}: must be set with ${missing === 'S3_ACCESS_KEY_ID' ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'}`,
    );
  }
  if (settings.S3_BUCKET === undefined) {
    const stray = Object.keys(objectStorageFields).filter((name) => name !== 'S3_BUCKET' && given[name] !== undefined);
    for (const name of stray)
      problems.push(`${name}: is set but S3_BUCKET is not (files would stay in DATA_DIR/files)`);
  }
  return problems;
}
