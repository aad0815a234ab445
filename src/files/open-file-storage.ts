// The file storage the configuration names: an S3-compatible bucket when S3_BUCKET is set, else the folder
// DATA_DIR/files. The one place that picks a backend, for the server, the CLI and the tests alike.
import path from 'node:path';
import type { Environment } from '../config/env.ts';
import { LocalFileStorage } from './local-file-storage.ts';
import type { FileStorage } from './storage.ts';

export type FileStorageSettings = Pick<Environment, 'DATA_DIR'>;

export function openFileStorage(settings: FileStorageSettings): FileStorage {
  return new LocalFileStorage(path.join(settings.DATA_DIR, 'files'));
}
