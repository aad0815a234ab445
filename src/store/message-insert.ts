// Writing a batch of messages: the complete rows (ids, defaults, sealed text), then one statement,
// `insert ... select from jsonb_to_recordset($1)`, idempotent on request id. One statement and one parameter for any
// number of rows, about three times faster than drizzle's multi-row `values` (docs/performance.md). Only what the
// database decides comes back (times, the rounded cost): the caller already holds the rest.
import { and, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { conversationParticipants, conversations, messages, streams } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import type { Actor } from './actor.ts';
import { conversationReachable } from './conversation-access.ts';
import {
  type ConversationRow,
  conversationCreation,
  conversationIdTaken,
  type creationValues,
} from './conversations.ts';
import { newMessageId } from './ids.ts';
import { sealMessageText } from './message-encryption.ts';
import type { MessageRow, NewMessage } from './message-rows.ts';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors.ts';

type CreationValues = ReturnType<typeof creationValues>;

/** A row ready to insert: every column set; the database decides the times when `createdAt` is null. */
export type PreparedMessageRow = Omit<MessageRow, 'createdAt' | 'updatedAt'> & { createdAt: Date | null };

/**
 * Complete rows for the batch: ids, defaults, and the text sealed when a keyring is set. Every column is
 * spelled out rather than spread from the input: spreading a message and adding a dozen keys cost ~7 µs a row,
 * most of a 1,000-row save's own time.
 */
export function prepareMessageRows(
  keyring: Keyring | null,
  conversationId: string,
  batch: NewMessage[],
  senderId: string | null,
): PreparedMessageRow[] {
  return batch.map((message) => {
    const id = message.id ?? newMessageId();
    const text = sealMessageText(keyring, id, {
      content: message.content ?? null,
      parts: message.parts ?? [],
      attachments: message.attachments ?? [],
    });
    return {
      id,
      conversationId,
      requestId: message.requestId ?? null,
      role: message.role,
      // A person's message is always the actor's own; model and system messages have no sender.
      senderId: message.role === 'user' ? senderId : null,
      modelId: message.modelId ?? null,
      modelVersion: message.modelVersion ?? null,
      parts: text.parts,
      content: text.content,
      encryptedContent: text.encryptedContent,
      encryptionKeyId: text.encryptionKeyId,
      attachments: text.attachments,
      parentId: message.parentId ?? null,
      threadRootId: message.threadRootId ?? null,
      isFirstResponder: message.isFirstResponder ?? false,
      hasWebSearch: message.hasWebSearch ?? false,
      webSearchContextSize: message.webSearchContextSize ?? null,
      status: message.status ?? 'complete',
      inputTokens: message.inputTokens ?? null,
      outputTokens: message.outputTokens ?? null,
      cachedInputTokens: message.cachedInputTokens ?? null,
      costUsd: message.costUsd ?? null,
      latencyMs: message.latencyMs ?? null,
      metadata: message.metadata ?? {},
      createdAt: message.createdAt ?? null,
    };
  });
}

/** What else the statement that saves a batch does. */
export type BatchOptions = {
  /** Save only if this person may write to the conversation (else not-found); engine-side saves have no actor. */
  writableBy?: Actor;
  /** Create the conversation in the same statement (a chat's first message); the creator may write to it. */
  creating?: CreationValues;
  /** Record this resumable stream of the conversation with the rows (a turn's first replies). */
  streamId?: string;
};

/** The rows as stored, in input order, and the conversation when the batch created it. */
export type SavedBatch = { stored: MessageRow[]; created?: ConversationRow };

/** The four statements a batch can need: a person's save, the turn runner's (with the turn's stream, or not), a first message. */
type BatchKind = 'person' | 'engine' | 'engine-with-stream' | 'first-message';

/**
 * Inserts complete rows (ids set) into one conversation. One statement (every message and every reply runs it): the
 * access check, the insert, moving the conversation to the top of its members' lists, the stream record and, for a
 * first message, the conversation itself are CTEs of it, so each happens only with the others. Each kind of batch
 * is a statement prepared once; the rows travel as one JSON parameter.
 */
export class MessageBatchWriter {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      person: prepareBatch(db, 'person'),
      engine: prepareBatch(db, 'engine'),
      'engine-with-stream': prepareBatch(db, 'engine-with-stream'),
      'first-message': prepareBatch(db, 'first-message'),
    } satisfies Record<BatchKind, unknown>;
  }

  /**
   * Returns the stored rows in input order. A request id stored before (a retry, or twice in the batch) yields the
   * row already stored, never a second one.
   */
  async write(conversationId: string, rows: PreparedMessageRow[], options: BatchOptions = {}): Promise<SavedBatch> {
    const { writableBy, creating, streamId } = options;
    const kind: BatchKind = creating
      ? 'first-message'
      : writableBy
        ? 'person'
        : streamId
          ? 'engine-with-stream'
          : 'engine';
    let decided: Awaited<ReturnType<(typeof this.statements)[BatchKind]['execute']>>;
    try {
      decided = await this.statements[kind].execute({
        conversationId,
        records: JSON.stringify(rows.map(toRecord)),
        actorId: writableBy?.id,
        streamId,
        ...creating,
      });
    } catch (error) {
      // Creating, a violation is more likely the conversation's (an unknown model): the caller says which.
      if (creating) throw error;
      if (isForeignKeyViolation(error)) {
        throw new AppError('invalid_input', 'a message names an unknown conversation, model or parent message', {
          cause: error,
        });
      }
      if (isUniqueViolation(error)) {
        throw new AppError('conflict', 'a message with this id (or this stream) already exists', { cause: error });
      }
      throw error;
    }
    if (!decided[0]?.allowed)
      throw creating ? conversationIdTaken(conversationId) : notFound('conversation', conversationId);
    const rowsById = new Map(rows.map((row) => [row.id, row]));
    const insertedById = new Map<string, MessageRow>();
    for (const { id, createdAt, updatedAt, costUsd } of decided) {
      if (id !== null)
        insertedById.set(
          id,
          Object.assign(rowsById.get(id)!, { createdAt: createdAt!, updatedAt: updatedAt!, costUsd }),
        );
    }
    const stored = await this.withRetriedRows(conversationId, rows, insertedById);
    return { stored, created: decided[0]!.created ?? undefined };
  }

  /** The rows in input order: those inserted now, and for retried request ids the rows stored before. */
  private async withRetriedRows(
    conversationId: string,
    rows: PreparedMessageRow[],
    insertedById: Map<string, MessageRow>,
  ) {
    const retriedRequestIds = rows.filter((row) => !insertedById.has(row.id)).map((row) => row.requestId!);
    const storedByRequestId = new Map<string, MessageRow>();
    if (retriedRequestIds.length > 0) {
      const retried = await this.db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), inArray(messages.requestId, retriedRequestIds)));
      for (const row of retried) storedByRequestId.set(row.requestId!, row);
    }
    return rows.map((row) => insertedById.get(row.id) ?? storedByRequestId.get(row.requestId!)!);
  }
}

/** The statement of one kind of batch, with placeholders for the conversation, the rows and the rest. */
function prepareBatch(db: Database, kind: BatchKind) {
  const conversationId = sql.placeholder('conversationId');
  const creation = kind === 'first-message' ? conversationCreation(db) : undefined;
  const allowed = creation
    ? sql`exists (select 1 from ${creation.created})`
    : kind === 'person'
      ? conversationReachable({ id: sql.placeholder('actorId') }, conversationId, 'write')
      : sql`true`;
  const guard = db
    .$with('guard', { allowed: sql<boolean>`allowed`.as('allowed') })
    .as(sql`select ${allowed} as allowed`);
  const inserted = db.$with('inserted').as(
    db
      .insert(messages)
      .select(
        sql`select ${selectList} from jsonb_to_recordset(${sql.placeholder('records')}::jsonb) as r(${recordDefinition})
          where (select allowed from ${guard})`,
      )
      .onConflictDoNothing({ target: [messages.conversationId, messages.requestId] })
      .returning({
        id: messages.id,
        createdAt: messages.createdAt,
        updatedAt: messages.updatedAt,
        costUsd: messages.costUsd,
      }),
  );
  // Raw SQL (not the update builder) for the side effects: they read the CTE above and return nothing anyone needs.
  const latest = sql`(select max(${inserted.createdAt}) from ${inserted})`;
  const touchedConversation = db.$with('touched_conversation', { touched: sql<number>`touched`.as('touched') }).as(
    sql`update ${conversations} set last_message_at = greatest(last_message_at, ${latest})
      where id = ${conversationId}::uuid and exists (select 1 from ${inserted}) returning 1 as touched`,
  );
  const touchedMembers = db.$with('touched_members', { touched: sql<number>`touched`.as('touched') }).as(
    sql`update ${conversationParticipants} set last_message_at = greatest(last_message_at, ${latest})
      where conversation_id = ${conversationId}::uuid and exists (select 1 from ${inserted}) returning 1 as touched`,
  );
  const recordedStream = db.$with('recorded_stream', { recorded: sql<number>`recorded`.as('recorded') }).as(
    kind === 'engine-with-stream'
      ? sql`insert into ${streams} (id, conversation_id) select ${sql.placeholder('streamId')}, ${conversationId}::uuid
          where exists (select 1 from ${inserted}) returning 1 as recorded`
      : sql`select 1 as recorded where false`,
  );
  const creating = creation ? [creation.created, creation.owner, creation.members] : [];
  return db
    .with(...creating, guard, inserted, touchedConversation, touchedMembers, recordedStream)
    .select({
      allowed: guard.allowed,
      id: inserted.id,
      createdAt: inserted.createdAt,
      updatedAt: inserted.updatedAt,
      costUsd: inserted.costUsd,
      // The created conversation rides along on every row (a join with its one row); null when not creating.
      created: creation ? creation.created._.selectedFields : sql<null>`null`,
    })
    .from(guard)
    .leftJoin(inserted, sql`true`)
    .leftJoin(creation ? creation.created : sql`(select 1) as nothing_created`, sql`true`)
    .prepare(`messages_batch_${kind.replaceAll('-', '_')}`);
}

/** Every column in table order, which is the order drizzle's insert-select lists them in. */
const tableColumns = Object.entries(getTableColumns(messages));

/** `r(id uuid, conversation_id uuid, ...)`: the recordset's shape, taken from the schema. Bytes travel as base64. */
const recordDefinition = sql.raw(
  tableColumns
    .map(([, column]) => `"${column.name}" ${column === messages.encryptedContent ? 'text' : column.getSQLType()}`)
    .join(', '),
);

const selectList = sql.join(
  tableColumns.map(([, column]) => {
    if (column === messages.encryptedContent) return sql.raw(`decode(r."${column.name}", 'base64')`);
    // clock_timestamp() per row: rows of one batch get increasing times, so their order is kept.
    if (column === messages.createdAt) return sql.raw(`coalesce(r."${column.name}", clock_timestamp())`);
    if (column === messages.updatedAt) return sql.raw('now()');
    return sql.raw(`r."${column.name}"`);
  }),
  sql`, `,
);

/** Columns whose values go into the JSON record as they are: all but the two needing a text form. */
const plainColumns = tableColumns
  .filter(([, column]) => column !== messages.createdAt && column !== messages.encryptedContent)
  .map(([key, column]) => [key as keyof PreparedMessageRow, column.name] as const);

/**
 * A row as a JSON record keyed by SQL column name; the time as ISO text, bytes as base64, nulls left out (the
 * recordset reads a missing key as null). Runs once per row of every batch, so it avoids per-value type tests.
 */
function toRecord(row: PreparedMessageRow): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, name] of plainColumns) {
    const value = row[key];
    if (value !== null && value !== undefined) record[name] = value;
  }
  if (row.createdAt) record.created_at = row.createdAt.toISOString();
  if (row.encryptedContent) record.encrypted_content = Buffer.from(row.encryptedContent).toString('base64');
  return record;
}
