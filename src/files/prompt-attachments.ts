// The bytes of the files attached in a conversation's history, read once per turn and shared by every model of
// the turn (see chat/history.ts for who is sent what). Only files some model of the turn can read are loaded.
import type { MessageAttachment } from '../db/schema/index.ts';
import { logError } from '../loggable-error.ts';
import { capabilityToRead } from './media-types.ts';
import { type FileStorage, readStoredFile } from './storage.ts';

/**
 * Bytes by storage key for the attachments of `history` that a model with one of `capabilities` could read. A file
 * whose bytes are gone is left out (the prompt then says so) rather than failing the turn.
 */
export async function readAttachmentContents(
  history: { attachments: MessageAttachment[] }[],
  storage: FileStorage,
  capabilities: Iterable<string>,
): Promise<Map<string, Uint8Array>> {
  const readable = new Set(capabilities);
  const keys = new Set(
    history.flatMap((message) =>
      message.attachments.filter((file) => readable.has(capabilityToRead(file.mediaType))).map((file) => file.key),
    ),
  );
  const contents = new Map<string, Uint8Array>();
  await Promise.all(
    [...keys].map(async (key) => {
      const bytes = await readStoredFile(storage, key).catch((error: unknown) => {
        logError(`reading attached file ${key} failed`, error);
        return null;
      });
      if (bytes) contents.set(key, bytes);
    }),
  );
  return contents;
}
