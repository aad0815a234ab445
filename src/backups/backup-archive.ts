// One backup as one download: its files in a zip, stored as they are (the tables are gzip already), streamed file by
// file from the location, so a backup of any size passes through in bounded memory. Unzipped, it is a folder that
// `chorus restore` takes.
import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ZipArchive } from 'archiver';
import { type BackupLocation, keysIn } from './backup-location.ts';

export async function backupArchive(location: BackupLocation, folderName: string): Promise<ReadableStream<Uint8Array>> {
  const keys: string[] = [];
  for await (const key of keysIn(location)) keys.push(key);
  const archive = new ZipArchive({ store: true });
  const output = new PassThrough();
  archive.on('error', (error: Error) => output.destroy(error));
  archive.pipe(output);
  void (async () => {
    try {
      for (const key of keys) {
        const read = await location.storage.get(location.prefix + key);
        if (!read) continue;
        const body = Readable.fromWeb(read.body as WebReadableStream<Uint8Array>);
        archive.append(body, { name: `${folderName}/${key}` });
        // One file open at a time.
        await new Promise<void>((resolve, reject) => {
          archive.once('entry', () => resolve());
          body.once('error', reject);
        });
      }
      await archive.finalize();
    } catch (error) {
      output.destroy(error as Error);
    }
  })();
  return Readable.toWeb(output) as ReadableStream<Uint8Array>;
}
