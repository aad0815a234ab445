// `chorus encryption rotate`: move every stored message, conversation title and MCP server secret onto the current key
// (CHORUS_ENCRYPTION_KEY), reading older rows with CHORUS_ENCRYPTION_PREVIOUS_KEYS; also encrypts what was stored
// before encryption was on.
import type { Command } from 'commander';
import { readEnvironment } from '../../config/env.ts';
import { keyringFromEnvironment } from '../../crypto/encryption.ts';
import { createStore } from '../../store/index.ts';
import { rotateTitleEncryption } from '../../store/title-encryption.ts';
import { withDatabase } from '../with-database.ts';

export function registerEncryption(program: Command) {
  const encryption = program
    .command('encryption')
    .description('encryption at rest of message text, conversation titles and MCP server secrets');
  encryption
    .command('rotate')
    .description(
      're-encrypt every message, conversation title and MCP server secret with CHORUS_ENCRYPTION_KEY (old keys in ' +
        'CHORUS_ENCRYPTION_PREVIOUS_KEYS); plaintext ones get encrypted too. Safe to stop and rerun.',
    )
    .option('--batch-size <n>', 'messages (or titles) per transaction', '500')
    .action((options: { batchSize: string }) =>
      withDatabase(async (db) => {
        const keyring = keyringFromEnvironment(readEnvironment());
        if (!keyring) throw new Error('CHORUS_ENCRYPTION_KEY is not set: there is no key to rotate to');
        const batchSize = Number.parseInt(options.batchSize, 10);
        if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a positive number');
        const store = createStore(db, { keyring });
        const counts = await store.messages.rotateEncryption({
          keyring,
          batchSize,
          onProgress: (progress) => process.stderr.write(`\rscanned ${progress.scanned} messages`),
        });
        process.stderr.write('\n');
        const titles = await rotateTitleEncryption(db, {
          keyring,
          batchSize,
          onProgress: (progress) => process.stderr.write(`\rscanned ${progress.scanned} titles`),
        });
        if (titles.scanned > 0) process.stderr.write('\n');
        const servers = await store.mcpServers.rotateEncryption(keyring);
        console.log(
          `scanned ${counts.scanned} messages: encrypted ${counts.encrypted} plaintext, re-encrypted ${counts.reencrypted}; ` +
            `scanned ${titles.scanned} titles: encrypted ${titles.encrypted} plaintext, re-encrypted ${titles.reencrypted}; ` +
            `sealed the secrets of ${servers} MCP servers; ` +
            `every message, title and MCP server secret is now under key ${keyring.currentKeyId}`,
        );
      }),
    );
}
