// Where backups are: a folder, or s3://bucket/prefix in the S3-compatible store the S3_* settings reach (their bucket
// or another). Both are file storages (files/storage.ts) with a prefix, so writing, reading, listing and deleting a
// backup is the same code on each.
import path from 'node:path';
import type { ObjectStorageSettings } from '../config/object-storage.ts';
import { LocalFileStorage } from '../files/local-file-storage.ts';
import { s3StorageOnDemand } from '../files/s3-storage-on-demand.ts';
import type { FileStorage } from '../files/storage.ts';

export type BackupLocation = {
  storage: FileStorage;
  /** Keys of this location start with it: empty, or a folder's path ending with `/`. */
  prefix: string;
  /** The location as a person writes it: a folder's absolute path, or s3://bucket/prefix. */
  address: string;
};

const S3_ADDRESS = /^s3:\/\/([^/]+)\/?(.*)$/;

/** A folder path or s3://bucket/prefix as a location; S3 addresses use the S3_* settings for endpoint and keys. */
export function openBackupLocation(address: string, settings: ObjectStorageSettings): BackupLocation {
  const s3 = S3_ADDRESS.exec(address);
  if (!s3) {
    const folder = path.resolve(address);
    return { storage: new LocalFileStorage(folder), prefix: '', address: folder };
  }
  const [, bucket, rest] = s3 as unknown as [string, string, string];
  const prefix = rest.replace(/\/+$/, '');
  return {
    storage: s3StorageOnDemand({ ...settings, S3_BUCKET: bucket }),
    prefix: prefix ? `${prefix}/` : '',
    address: `s3://${bucket}${prefix ? `/${prefix}` : ''}`,
  };
}

/** The location inside this one named `name` (a backup's own folder). */
export function childLocation(location: BackupLocation, name: string): BackupLocation {
  const separator = location.address.startsWith('s3://') ? '/' : path.sep;
  return {
    storage: location.storage,
    prefix: `${location.prefix}${name}/`,
    address: `${location.address}${separator}${name}`,
  };
}

/** Every key under the location, relative to it. */
export async function* keysIn(location: BackupLocation): AsyncIterable<string> {
  for await (const key of location.storage.list(location.prefix)) yield key.slice(location.prefix.length);
}

export async function deleteAll(location: BackupLocation): Promise<void> {
  const keys: string[] = [];
  for await (const key of location.storage.list(location.prefix)) keys.push(key);
  for (const key of keys) await location.storage.delete(key);
}

/** Where backups go unless told: CHORUS_BACKUP_TO, else `backups/` in the configured file storage. */
export function defaultBackupAddress(
  settings: { CHORUS_BACKUP_TO?: string; DATA_DIR: string } & Pick<ObjectStorageSettings, 'S3_BUCKET'>,
): string {
  if (settings.CHORUS_BACKUP_TO) return settings.CHORUS_BACKUP_TO;
  return settings.S3_BUCKET ? `s3://${settings.S3_BUCKET}/backups` : path.join(settings.DATA_DIR, 'files', 'backups');
}
