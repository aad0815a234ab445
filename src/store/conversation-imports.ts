// Writing imported conversations: each conversation with the importing person as owner, the models this registry
// knows, its files' rows and its messages (sealed with a keyring, like any other) and the person's own votes, all in
// one transaction with the quota check on the files, so an import is whole or not at all.
import { eq, inArray, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database, Transaction } from '../db/client.ts';
import {
  conversationModels,
  conversationParticipants,
  conversations,
  files,
  messages,
  models,
  users,
  votes,
} from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import type { NewConversation } from './conversations.ts';
import { type FileRecord, quotaExceeded } from './files.ts';
import { prepareMessageRows } from './message-insert.ts';
import type { NewMessage } from './message-rows.ts';
import { sealTitle } from './title-encryption.ts';

/** A message to import: its id chosen by the caller (parents link by it), and whether it is the importer's own. */
export type ImportMessageRow = NewMessage & { id: string; byImporter: boolean; myVote: 'up' | 'down' | null };

export type ConversationToImport = Required<
  Pick<NewConversation, 'id' | 'title' | 'visibility' | 'origin' | 'parameters' | 'settings' | 'modelIds'>
> & {
  createdAt: Date;
  files: FileRecord[];
  messages: ImportMessageRow[];
};

/** Rows per insert: 26 columns a row stays well under PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1_000;

export class ConversationImportStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring | null = null,
  ) {}

  /** Which of these model ids the registry has (whatever their status: old replies keep their model). */
  async knownModelIds(ids: string[]): Promise<Set<string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Set();
    const rows = await this.db.select({ id: models.id }).from(models).where(inArray(models.id, unique));
    return new Set(rows.map((row) => row.id));
  }

  /** Writes every conversation, or (on any failure, a full quota included) none. */
  async write({
    actor,
    conversations: imported,
    quotaBytes,
  }: {
    actor: Actor;
    conversations: ConversationToImport[];
    quotaBytes: number;
  }): Promise<void> {
    await this.db.transaction(async (tx) => {
      const newFiles = imported.flatMap((conversation) => conversation.files);
      if (newFiles.length > 0) await this.checkQuota(tx, actor, newFiles, quotaBytes);
      for (const conversation of imported) await this.writeOne(tx, actor, conversation);
    });
  }

  private async checkQuota(tx: Transaction, actor: Actor, newFiles: FileRecord[], quotaBytes: number) {
    // The same lock an upload takes (FileStore.create): one person's uploads and imports take turns.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, actor.id)).for('no key update');
    const [row] = await tx
      .select({ bytes: sql<number>`coalesce(sum(${files.sizeBytes}), 0)::bigint` })
      .from(files)
      .where(eq(files.ownerId, actor.id));
    const usedBytes = Number(row?.bytes ?? 0);
    const sizeBytes = newFiles.reduce((sum, file) => sum + file.sizeBytes, 0);
    if (usedBytes + sizeBytes > quotaBytes) {
      throw quotaExceeded({ name: `the import's ${newFiles.length} files`, sizeBytes }, { usedBytes, quotaBytes });
    }
  }

  private async writeOne(tx: Transaction, actor: Actor, conversation: ConversationToImport) {
    const lastMessageAt = conversation.messages.at(-1)?.createdAt ?? conversation.createdAt;
    await tx.insert(conversations).values({
      id: conversation.id,
      ...sealTitle(this.keyring, conversation.id, conversation.title),
      ownerId: actor.id,
      visibility: conversation.visibility,
      origin: conversation.origin,
      parameters: conversation.parameters,
      settings: conversation.settings,
      createdAt: conversation.createdAt,
      lastMessageAt,
    });
    await tx
      .insert(conversationParticipants)
      .values({ conversationId: conversation.id, userId: actor.id, role: 'owner', lastMessageAt });
    if (conversation.modelIds.length > 0) {
      await tx
        .insert(conversationModels)
        .values(
          conversation.modelIds.map((modelId, position) => ({ conversationId: conversation.id, modelId, position })),
        );
    }
    if (conversation.files.length > 0) await tx.insert(files).values(conversation.files);
    for (let start = 0; start < conversation.messages.length; start += ROWS_PER_INSERT) {
      const batch = conversation.messages.slice(start, start + ROWS_PER_INSERT);
      const rows = prepareMessageRows(this.keyring, conversation.id, batch, actor.id).map((row, index) => ({
        ...row,
        senderId: batch[index]!.byImporter ? actor.id : null,
        createdAt: row.createdAt ?? conversation.createdAt,
      }));
      await tx.insert(messages).values(rows);
    }
    const myVotes = conversation.messages.filter((message) => message.myVote !== null);
    if (myVotes.length > 0) {
      await tx.insert(votes).values(
        myVotes.map((message) => ({
          messageId: message.id,
          userId: actor.id,
          conversationId: conversation.id,
          isUpvoted: message.myVote === 'up',
        })),
      );
    }
  }
}
