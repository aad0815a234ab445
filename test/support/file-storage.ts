// File storage for tests on each backend: a folder of its own, or a bucket on a fresh s3rver. `env` holds the
// settings that make a test server use the same storage (spread it into startTestServer's settings).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FileStorageBackend, openFileStorage } from '../../src/files/open-file-storage.ts';
import type { FileStorage } from '../../src/files/storage.ts';
import { startS3Server } from './s3-server.ts';

export const FILE_STORAGE_BACKENDS: FileStorageBackend[] = ['local', 's3'];

export type TestFileStorage = {
  storage: FileStorage;
  /** DATA_DIR, and the S3_* settings for the S3 backend. */
  env: Record<string, string>;
  close(): Promise<void>;
};

export async function openTestFileStorage(backend: FileStorageBackend): Promise<TestFileStorage> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-storage-'));
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true });
  if (backend === 'local') {
    return {
      storage: openFileStorage({ DATA_DIR: dataDir, S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: false }, 'local'),
      env: { DATA_DIR: dataDir },
      close: async () => removeDataDir(),
    };
  }
  const s3 = await startS3Server();
  return {
    storage: openFileStorage({ DATA_DIR: dataDir, ...s3.settings }, 's3'),
    env: { DATA_DIR: dataDir, ...s3.env },
    close: async () => {
      await s3.close();
      removeDataDir();
    },
  };
}
