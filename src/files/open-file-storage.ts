// The file storage the configuration names: an S3-compatible bucket when S3_BUCKET is set, else the folder
// DATA_DIR/files. The one place that picks a backend, for the server, the CLI and the tests alike.
import path from 'node:path';
import type { Environment } from '../config/env.ts';
import type { ObjectStorageSettings } from '../config/object-storage.ts';
import { LocalFileStorage } from './local-file-storage.ts';
import { s3StorageOnDemand } from './s3-storage-on-demand.ts';
import type { FileStorage } from './storage.ts';

export type FileStorageSettings = Pick<Environment, 'DATA_DIR'> & ObjectStorageSettings;

export type FileStorageBackend = 'local' | 's3';

export function openFileStorage(
  settings: FileStorageSettings,
  backend: FileStorageBackend = configuredBackend(settings),
): FileStorage {
  return backend === 's3' ? s3StorageOnDemand(settings) : new LocalFileStorage(localFolder(settings));
}

/** S3 when a bucket is configured, else the folder. */
export function configuredBackend(settings: FileStorageSettings): FileStorageBackend {
  return settings.S3_BUCKET ? 's3' : 'local';
}

/** The folder local storage keeps files in. */
export function localFolder(settings: Pick<Environment, 'DATA_DIR'>): string {
  return path.join(settings.DATA_DIR, 'files');
}
