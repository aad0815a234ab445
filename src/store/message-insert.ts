// The one statement that writes a batch of messages: `insert ... select from jsonb_to_recordset($1)`, idempotent on
// request id. One statement and one parameter for any number of rows: ~3x faster than drizzle's multi-row
// `values` (see BASELINES.md), and the rows still come back typed through drizzle's `returning()`.
import { getTableColumns, inArray, sql } from 'drizzle-orm';
import type { Executor } from '../db/client.ts';
import { messages } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { isForeignKeyViolation, isUniqueViolation } from './postgres-errors.ts';

type MessageInsert = typeof messages.$inferInsert;
type MessageRow = typeof messages.$inferSelect;

/**
 * Inserts complete rows (ids set) into one conversation and returns the stored rows in input order. A request id
 * stored before (a retry, or twice in the batch) yields the row already stored, never a second one.
 */
export async function insertMessageBatch(
  tx: Executor,
  conversationId: string,
  rows: (MessageInsert & { id: string })[],
): Promise<MessageRow[]> {
  let inserted: MessageRow[];
  try {
    inserted = await tx
      .insert(messages)
      .select(
        sql`select ${selectList} from jsonb_to_recordset(${JSON.stringify(rows.map(toRecord))}::jsonb) as r(${recordDefinition})`,
      )
      .onConflictDoNothing({ target: messages.requestId })
      .returning();
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new AppError('invalid_input', 'a message names an unknown conversation, model or parent message', {
        cause: error,
      });
    }
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'a message with this id already exists', { cause: error });
    }
    throw error;
  }
  const insertedById = new Map(inserted.map((row) => [row.id, row]));
  const retriedRequestIds = rows.filter((row) => !insertedById.has(row.id)).map((row) => row.requestId!);
  const storedByRequestId = new Map<string, MessageRow>();
  if (retriedRequestIds.length > 0) {
    for (const row of await tx.select().from(messages).where(inArray(messages.requestId, retriedRequestIds))) {
      // Request ids are unique across all conversations: never hand back another conversation's message.
      if (row.conversationId !== conversationId) {
        throw new AppError('conflict', `request id ${row.requestId} was already used in another conversation`);
      }
      storedByRequestId.set(row.requestId!, row);
    }
  }
  return rows.map((row) => insertedById.get(row.id) ?? storedByRequestId.get(row.requestId!)!);
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

/** A row as a JSON record keyed by SQL column name; dates as ISO text, bytes as base64, absent as null. */
function toRecord(row: MessageInsert): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const [key, column] of tableColumns) {
    const value = row[key as keyof MessageInsert];
    if (value instanceof Date) record[column.name] = value.toISOString();
    else if (value instanceof Uint8Array) record[column.name] = Buffer.from(value).toString('base64');
    else if (value !== undefined) record[column.name] = value;
  }
  return record;
}
