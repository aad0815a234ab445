// `chorus files migrate --to s3|local`: copies every stored file (attachments, transcripts, backups) from the other
// storage into the one named, verifying each by its SHA-256; safe to stop and run again. Afterwards set (or unset)
// S3_BUCKET so the server uses the files where they now are.
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { migrateFiles } from '../../files/migrate-files.ts';
import { type FileStorageBackend, localFolder, openFileStorage } from '../../files/open-file-storage.ts';

const BACKENDS: FileStorageBackend[] = ['s3', 'local'];

export function registerFiles(program: Command) {
  const files = program.command('files').description('stored files (attachments, transcripts, backups)');
  files
    .command('migrate')
    .description(
      'copy every stored file into the given storage from the other one (local: DATA_DIR/files; s3: the S3_* ' +
        'settings), verifying each checksum. Files already copied are skipped, so it is safe to run again.',
    )
    .requiredOption('--to <storage>', 'where the files go: s3 or local')
    .option('--delete-source', 'remove each file from the source once its copy is verified')
    .action(async (options: { to: string; deleteSource?: boolean }) => {
      const to = options.to as FileStorageBackend;
      if (!BACKENDS.includes(to)) throw new Error(`--to must be s3 or local, not ${JSON.stringify(options.to)}`);
      const env = readEnvironment();
      if (!env.S3_BUCKET) throw new Error('S3_BUCKET is not set: name the bucket (and the other S3_* settings) first');
      const from: FileStorageBackend = to === 's3' ? 'local' : 's3';
      const describe = (backend: FileStorageBackend) =>
        backend === 's3' ? `bucket ${env.S3_BUCKET}` : `folder ${localFolder(env)}`;
      console.error(`copying files from the ${describe(from)} to the ${describe(to)}`);
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'files {bar} {value}/{total}  {key}', stream: process.stderr, hideCursor: true })
        : null;
      let started = false;
      const result = await migrateFiles({
        from: openFileStorage(env, from),
        to: openFileStorage(env, to),
        deleteSource: options.deleteSource,
        onProgress: ({ done, total, key }) => {
          if (!started) bar?.start(total, 0, { key: '' });
          started = true;
          bar?.update(done, { key });
        },
      });
      bar?.stop();
      for (const problem of result.problems) console.error(`${problem.key}: ${problem.reason}`);
      const removed = options.deleteSource ? `, ${result.removed} removed from the source` : '';
      console.log(
        `${result.total} files: ${result.copied} copied and verified, ${result.alreadyThere} already there${removed}` +
          (result.problems.length > 0 ? `, ${result.problems.length} FAILED (listed above; run again to retry)` : ''),
      );
      if (result.problems.length > 0) process.exitCode = 1;
      else if (to === 's3') console.log('every file is in the bucket: keep S3_BUCKET set so the server uses it');
      else console.log('every file is in the folder: unset S3_BUCKET so the server uses it');
    });
}
