// The S3 backend with the AWS SDK loaded when the storage is first used, not when it is opened: the SDK is a few
// hundred milliseconds of start-up that a command or a server never touching its files should not pay.
import type { ObjectStorageSettings } from '../config/object-storage.ts';
import type { FileStorage } from './storage.ts';

export function s3StorageOnDemand(settings: ObjectStorageSettings): FileStorage {
  let loading: Promise<FileStorage> | null = null;
  const storage = () => {
    loading ??= import('./s3-file-storage.ts').then(
      ({ S3FileStorage, s3LocationFromSettings }) => new S3FileStorage(s3LocationFromSettings(settings)),
    );
    return loading;
  };
  return {
    put: async (key, body, options) => (await storage()).put(key, body, options),
    get: async (key, range) => (await storage()).get(key, range),
    stat: async (key) => (await storage()).stat(key),
    delete: async (key) => (await storage()).delete(key),
    async *list(prefix) {
      yield* (await storage()).list(prefix);
    },
  };
}
