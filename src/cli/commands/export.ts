// `chorus export`: a conversation's transcript (JSON, CSV or Markdown) to a file or standard output, or everything
// of one person's as a zip, straight from the configured database and file storage (no server needed). A progress
// bar shows on a terminal.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { keyringFromEnvironment } from '../../crypto/encryption.ts';
import { AppError, notFound } from '../../errors.ts';
import { openFileStorage } from '../../files/open-file-storage.ts';
import { actorOf, createStore } from '../../store/index.ts';
import { AccountExportService } from '../../transcripts/account-export.ts';
import { TranscriptService } from '../../transcripts/transcript-service.ts';
import { TRANSCRIPT_FORMATS, type TranscriptFormat } from '../../transcripts/transcript-writer.ts';
import { withDatabase } from '../with-database.ts';

type ExportOptions = { conversation?: string; user?: string; format: string; out?: string; files: boolean };

const HELP = `
Examples:
  chorus export --conversation <id> --format md --out chat.md
  chorus export --conversation <id> --format json > chat.json
  chorus export --user alice@example.com --out alice.zip

A conversation is exported as its owner sees it. JSON is the lossless Chorus
format (docs/transcript-format.md), with the bytes of the conversation's files
unless --no-files; POST /api/conversations/import reads it back.`;

export function registerExport(program: Command) {
  program
    .command('export')
    .description("export a conversation's transcript, or everything of one person's as a zip")
    .option('--conversation <id>', 'the conversation to export')
    .option('--user <email>', "export this person's conversations, votes and uploads as a zip (needs --out)")
    .option('--format <format>', `transcript format: ${TRANSCRIPT_FORMATS.join(', ')}`, 'json')
    .option('--out <file>', 'write here (default: standard output, for a conversation)')
    .option('--no-files', "JSON: leave out the files' bytes")
    .addHelpText('after', HELP)
    .action((options: ExportOptions) => {
      if (Boolean(options.conversation) === Boolean(options.user)) {
        throw new AppError('invalid_input', 'give either --conversation <id> or --user <email>');
      }
      if (options.user && !options.out) throw new AppError('invalid_input', '--user needs --out <file.zip>');
      return withDatabase(async (db) => {
        const env = readEnvironment();
        const store = createStore(db, { keyring: keyringFromEnvironment(env) });
        const storage = openFileStorage(env);
        const transcripts = new TranscriptService(store, storage);
        if (options.conversation) {
          const format = options.format as TranscriptFormat;
          if (!TRANSCRIPT_FORMATS.includes(format)) {
            throw new AppError('invalid_input', `--format must be one of ${TRANSCRIPT_FORMATS.join(', ')}`);
          }
          const owner = UUID.test(options.conversation)
            ? await store.conversationExports.ownerOf(options.conversation)
            : undefined;
          if (!owner) throw notFound('conversation', options.conversation);
          const actor = actorOf(owner);
          const total = await store.conversationExports.countMessages({ actor, conversationId: options.conversation });
          const bar = progressBar('messages', total);
          const exported = await transcripts.export({
            actor,
            conversationId: options.conversation,
            format,
            includeFiles: options.files,
            onProgress: (done) => bar?.update(done),
          });
          try {
            await writeOut(Readable.from(exported.chunks), options.out);
          } finally {
            bar?.stop();
          }
          if (options.out) console.error(`wrote ${exported.tally.messageCount} messages to ${options.out}`);
          return;
        }
        const user = await store.users.findByEmail(options.user!);
        if (!user) throw new AppError('not_found', `no user with the email ${options.user}`);
        let bar: ReturnType<typeof progressBar> = null;
        const archive = await new AccountExportService(store, transcripts, storage).open({
          actor: actorOf(user),
          onConversation: (done) => bar?.update(done),
        });
        bar = progressBar('conversations', archive.conversationCount);
        try {
          await writeOut(archive.body, options.out);
        } finally {
          bar?.stop();
        }
        console.error(
          `wrote ${archive.conversationCount} conversations and ${archive.uploadCount} uploads to ${options.out}`,
        );
      });
    });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function writeOut(body: Readable, out: string | undefined) {
  if (out) await pipeline(body, createWriteStream(out));
  else await pipeline(body, process.stdout, { end: false });
}

/** A bar on standard error; none when it is not a terminal (pipes, logs) or there is nothing to count. */
function progressBar(unit: string, total: number) {
  if (!process.stderr.isTTY || total === 0) return null;
  const bar = new cliProgress.SingleBar(
    { format: `exporting [{bar}] {value}/{total} ${unit}`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { update: (done: number) => bar.update(done), stop: () => bar.stop() };
}
