// Encryption at rest for conversation titles (taken from the first message, so as private as it): with a keyring a
// title is stored only sealed, bound to its conversation's id so it cannot be moved onto another conversation;
// reads open it; the rotation moves every title onto the current key. Messages: see message-encryption.ts.
import { and, asc, gt, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { EncryptionError, type Keyring, missingKeyError } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { conversations } from '../db/schema/index.ts';
import type { RotationCounts, RotationOptions } from './message-encryption.ts';

type ConversationRow = typeof conversations.$inferSelect;

/** The columns that store a title: the title itself without a keyring; with one, only its ciphertext. */
export type StoredTitle = Pick<ConversationRow, 'title' | 'encryptedTitle' | 'titleKeyId'>;

export function sealTitle(keyring: Keyring | null, conversationId: string, title: string | null): StoredTitle {
  if (!keyring || title === null) return { title, encryptedTitle: null, titleKeyId: null };
  const { ciphertext, keyId } = keyring.encrypt(title, conversationId);
  return { title: null, encryptedTitle: ciphertext, titleKeyId: keyId };
}

/** The title of a stored row, decrypted when needed; a missing or wrong key is an error, never garbage. */
export function openTitle(keyring: Keyring | null, row: Pick<ConversationRow, 'id'> & StoredTitle): string | null {
  if (row.encryptedTitle === null) return row.title;
  try {
    if (!row.titleKeyId) throw new EncryptionError('the row has an encrypted title but no key id');
    if (!keyring) throw missingKeyError(row.titleKeyId);
    return keyring.decrypt(row.encryptedTitle, row.titleKeyId, row.id);
  } catch (error) {
    if (!(error instanceof EncryptionError)) throw error;
    throw new EncryptionError(`cannot read the title of conversation ${row.id}: ${error.message}`, {
      details: { conversationId: row.id, ...(error.details as object | undefined) },
      cause: error,
    });
  }
}

/**
 * Re-encrypts every title not on the keyring's current key, and encrypts plaintext ones; conversations without a
 * title have nothing to seal. Batch by batch, each in its own transaction, so a stop halfway leaves every title
 * readable and a rerun picks up where it stopped.
 */
export async function rotateTitleEncryption(
  db: Database,
  { keyring, batchSize = 500, onProgress }: RotationOptions,
): Promise<RotationCounts> {
  const counts: RotationCounts = { scanned: 0, encrypted: 0, reencrypted: 0 };
  const notOnCurrentKey = or(
    and(isNull(conversations.titleKeyId), isNotNull(conversations.title)),
    ne(conversations.titleKeyId, keyring.currentKeyId),
  );
  // Walk by id, so conversations created meanwhile (with any key) cannot keep the loop going forever.
  let afterId: string | undefined;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const rows = await tx
        .select({
          id: conversations.id,
          title: conversations.title,
          encryptedTitle: conversations.encryptedTitle,
          titleKeyId: conversations.titleKeyId,
        })
        .from(conversations)
        .where(and(notOnCurrentKey, afterId === undefined ? undefined : gt(conversations.id, afterId)))
        .orderBy(asc(conversations.id))
        .limit(batchSize)
        .for('update');
      if (rows.length === 0) return rows;
      const sealed = rows.map((row) => {
        const { encryptedTitle, titleKeyId } = sealTitle(keyring, row.id, openTitle(keyring, row));
        return { id: row.id, ciphertext: Buffer.from(encryptedTitle!).toString('base64'), key_id: titleKeyId };
      });
      // One statement per batch: the new ciphertexts travel as one JSON parameter.
      await tx.execute(sql`update ${conversations}
        set encrypted_title = decode(sealed.ciphertext, 'base64'), title_key_id = sealed.key_id, title = null
        from jsonb_to_recordset(${JSON.stringify(sealed)}::jsonb) as sealed(id uuid, ciphertext text, key_id text)
        where ${conversations.id} = sealed.id`);
      return rows;
    });
    if (batch.length === 0) return counts;
    counts.scanned += batch.length;
    for (const row of batch) {
      if (row.encryptedTitle === null) counts.encrypted++;
      else counts.reencrypted++;
    }
    afterId = batch.at(-1)!.id;
    onProgress?.({ ...counts });
  }
}
