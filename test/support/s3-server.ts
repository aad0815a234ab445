// A real S3-speaking server for tests: s3rver on 127.0.0.1 and a free port, keeping its objects in a temporary
// folder, with one empty bucket. `env` is what Chorus needs to store files there (spread it into a test server's
// settings); `settings` the same, parsed, for opening a storage directly.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { ObjectStorageSettings } from '../../src/config/object-storage.ts';

export type TestS3Server = {
  /** S3_BUCKET, S3_ENDPOINT, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_FORCE_PATH_STYLE. */
  env: Record<string, string>;
  settings: ObjectStorageSettings;
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the objects. */
  directory: string;
  close(): Promise<void>;
};

/** s3rver's fixed account, which it checks signatures against. */
const S3RVER_KEY = 'S3RVER';

export async function startS3Server(options: { bucket?: string } = {}): Promise<TestS3Server> {
  const bucket = options.bucket ?? 'chorus-test';
  const directory = mkdtempSync(path.join(os.tmpdir(), 'chorus-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  let port: number;
  try {
    ({ port } = await server.run());
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  const endpoint = `http://127.0.0.1:${port}`;
  const settings: ObjectStorageSettings = {
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'us-east-1',
    S3_ACCESS_KEY_ID: S3RVER_KEY,
    S3_SECRET_ACCESS_KEY: S3RVER_KEY,
    S3_FORCE_PATH_STYLE: true,
  };
  const env = { ...settings, S3_FORCE_PATH_STYLE: 'true' } as Record<string, string>;
  return {
    env,
    settings,
    endpoint,
    bucket,
    directory,
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
