// Encryption at rest for messages: what a row stores for a message's text (content, parts, attachments), how it
// reads back, and the rotation that moves every row onto the current key.
import { and, asc, gt, isNull, ne, or, sql } from 'drizzle-orm';
import { EncryptionError, type Keyring, missingKeyError } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import type { Message, MessageRow } from './message-rows.ts';

/** The part of a message encryption at rest hides. */
export type MessageText = Pick<MessageRow, 'content' | 'parts' | 'attachments'>;
type StoredText = MessageText & Pick<MessageRow, 'encryptedContent' | 'encryptionKeyId'>;

/**
 * The columns that store a message's text: plaintext without a keyring; with one, only ciphertext, bound to the
 * message id so it cannot be moved onto another row.
 */
export function sealMessageText(keyring: Keyring | null, messageId: string, text: MessageText): StoredText {
  if (!keyring) return { ...text, encryptedContent: null, encryptionKeyId: null };
  const { ciphertext, keyId } = keyring.encrypt(JSON.stringify(text), messageId);
  return { content: null, parts: [], attachments: [], encryptedContent: ciphertext, encryptionKeyId: keyId };
}

/** The text of a stored row, decrypted when needed; a missing or wrong key is an error, never garbage. */
export function openMessageText(keyring: Keyring | null, row: Pick<MessageRow, 'id'> & StoredText): MessageText {
  if (row.encryptedContent === null) return { content: row.content, parts: row.parts, attachments: row.attachments };
  try {
    if (!row.encryptionKeyId) throw new EncryptionError('the row has encrypted content but no key id');
    if (!keyring) throw missingKeyError(row.encryptionKeyId);
    const text = JSON.parse(keyring.decrypt(row.encryptedContent, row.encryptionKeyId, row.id)) as MessageText;
    return { content: text.content ?? null, parts: text.parts ?? [], attachments: text.attachments ?? [] };
  } catch (error) {
    if (!(error instanceof EncryptionError)) throw error;
    throw new EncryptionError(`cannot read message ${row.id}: ${error.message}`, {
      details: { messageId: row.id, ...(error.details as object | undefined) },
      cause: error,
    });
  }
}

/** A stored row as callers see it: the text in the clear, the storage columns gone. */
export function toMessage(keyring: Keyring | null, row: MessageRow): Message {
  const { encryptedContent: _ciphertext, encryptionKeyId: _keyId, ...message } = row;
  return { ...message, ...openMessageText(keyring, row) };
}

export type RotationCounts = {
  /** Rows looked at: every row not already on the current key. */
  scanned: number;
  /** Rows that were plaintext and are now encrypted. */
  encrypted: number;
  /** Rows moved from an earlier key to the current one. */
  reencrypted: number;
};

export type RotationOptions = {
  /** Current key to write with; it must also hold every key the rows are under now (as previous keys). */
  keyring: Keyring;
  batchSize?: number;
  onProgress?: (counts: RotationCounts) => void;
};

/**
 * Re-encrypts every message not on the keyring's current key, and encrypts plaintext ones. Batch by batch, each
 * in its own transaction, so a stop halfway leaves every row readable and a rerun picks up where it stopped.
 */
export async function rotateMessageEncryption(
  db: Database,
  { keyring, batchSize = 500, onProgress }: RotationOptions,
): Promise<RotationCounts> {
  const counts: RotationCounts = { scanned: 0, encrypted: 0, reencrypted: 0 };
  const notOnCurrentKey = or(isNull(messages.encryptionKeyId), ne(messages.encryptionKeyId, keyring.currentKeyId));
  // Walk by id, so rows written meanwhile (with any key) cannot keep the loop going forever.
  let afterId: string | undefined;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await tx
        .select({
          id: messages.id,
          content: messages.content,
          parts: messages.parts,
          attachments: messages.attachments,
          encryptedContent: messages.encryptedContent,
          encryptionKeyId: messages.encryptionKeyId,
        })
        .from(messages)
        .where(and(notOnCurrentKey, afterId === undefined ? undefined : gt(messages.id, afterId)))
        .orderBy(asc(messages.id))
        .limit(batchSize)
        .for('update');
      if (rows.length === 0) return rows;
      const sealed = rows.map((row) => {
        const { encryptedContent, encryptionKeyId } = sealMessageText(keyring, row.id, openMessageText(keyring, row));
        return { id: row.id, ciphertext: Buffer.from(encryptedContent!).toString('base64'), key_id: encryptionKeyId };
      });
      // One statement per batch: the new ciphertexts travel as one JSON parameter.
      await tx.execute(sql`update ${messages}
        set encrypted_content = decode(sealed.ciphertext, 'base64'), encryption_key_id = sealed.key_id,
            content = null, parts = '[]'::jsonb, attachments = '[]'::jsonb
        from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as sealed(id uuid, ciphertext text, key_id text)
        where ${messages.id} = sealed.id`);
      return rows;
    });
    if (batch.length === 0) return counts;
    counts.scanned += batch.length;
    for (const row of batch) {
      if (row.encryptedContent === null) counts.encrypted++;
      else counts.reencrypted++;
    }
    afterId = batch.at(-1)!.id;
    onProgress?.({ ...counts });
  }
}
