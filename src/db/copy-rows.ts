// Moves one table's rows from a source transaction to a target transaction, in keyset batches.
//
// Rows travel as JSON whose values are each column's text form (`value::text`), cast back on the other
// side. Text is Postgres's own lossless exchange format (it is what pg_dump writes), so numerics, bigints,
// bytea, jsonb and timestamps arrive exactly, nothing is parsed by JavaScript on the way, and a jsonb
// `null` stays distinct from SQL NULL (which whole-row `to_json` would conflate).
import { type SQL, type SQLChunk, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import type { TableLayout } from './introspect.ts';
import { queryOne } from './rows.ts';

type Batch = { count: number; rowsJson: string };

const commaSeparated = (parts: SQLChunk[]) => sql.join(parts, sql`, `);
const castTo = (type: string) => sql.raw(type);

/**
 * Copies every row in primary-key order. Columns that reference the table itself (messages.parent_id)
 * are written as NULL first and filled in once every row is there: in key order a reply may come
 * before the message it answers, and the foreign key is checked at each statement.
 */
export async function copyTableRows(
  source: Executor,
  target: Executor,
  table: TableLayout,
  batchSize: number,
  reportProgress: (rowsCopiedSoFar: number) => void,
): Promise<number> {
  if (table.primaryKey.length === 0) throw new Error(`table ${table.name} has no primary key to copy it by`);
  const deferred = table.selfReferencingColumns;
  const notNullable = table.columns.find((column) => deferred.includes(column.name) && column.notNull);
  if (notNullable) throw new Error(`cannot copy ${table.name}: self-reference ${notNullable.name} is not nullable`);

  let copied = 0;
  const allColumns = table.columns.map((column) => column.name);
  for await (const batch of readBatches(source, table, allColumns, batchSize)) {
    await insertBatch(target, table, batch.rowsJson);
    copied += batch.count;
    reportProgress(copied);
  }
  if (deferred.length > 0) {
    const anyLinkSet = sql.join(
      deferred.map((name) => sql`${sql.identifier(name)} is not null`),
      sql` or `,
    );
    for await (const batch of readBatches(source, table, [...table.primaryKey, ...deferred], batchSize, anyLinkSet)) {
      await restoreSelfReferences(target, table, batch.rowsJson);
    }
  }
  return copied;
}

/** Keyset pages by primary key: each page starts after the last key of the one before, never with OFFSET. */
async function* readBatches(
  source: Executor,
  table: TableLayout,
  columnNames: string[],
  batchSize: number,
  filter?: SQL,
): AsyncGenerator<Batch> {
  const key = table.primaryKey.map((name) => sql.identifier(name));
  const keyOrder = commaSeparated(key);
  const keyDescending = commaSeparated(key.map((column) => sql`${column} desc`));
  const keyAsText = commaSeparated(key.map((column) => sql`${column}::text`));
  const columnsAsText = commaSeparated(
    columnNames.map((name) => sql`${sql.identifier(name)}::text as ${sql.identifier(name)}`),
  );
  let lastKey: string[] | null = null;
  for (;;) {
    const conditions: SQL[] = filter ? [sql`(${filter})`] : [];
    if (lastKey) {
      const previous = lastKey.map((value, index) => sql`${value}::${castTo(typeOf(table, table.primaryKey[index]!))}`);
      conditions.push(sql`(${keyOrder}) > (${commaSeparated(previous)})`);
    }
    const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
    const page = await queryOne<{ count: number; rows_json: string; last_key: string | null }>(
      source,
      sql`with batch as (
            select * from ${sql.identifier(table.name)} ${where} order by ${keyOrder} limit ${batchSize}
          ), as_text as (select ${columnsAsText} from batch)
          select (select count(*)::int from batch) as count,
            (select coalesce(json_agg(as_text), '[]')::text from as_text) as rows_json,
            (select json_build_array(${keyAsText})::text from batch order by ${keyDescending} limit 1) as last_key`,
    );
    if (!page || page.count === 0) return;
    yield { count: page.count, rowsJson: page.rows_json };
    if (page.count < batchSize || !page.last_key) return;
    lastKey = JSON.parse(page.last_key) as string[];
  }
}

function typeOf(table: TableLayout, columnName: string): string {
  const column = table.columns.find((candidate) => candidate.name === columnName);
  if (!column) throw new Error(`${table.name}.${columnName} is not a writable column`);
  return column.type;
}

/** The JSON rows as a record set named `incoming`, every column as text. */
function incomingRows(columnNames: string[], rowsJson: string): SQL {
  const definitions = commaSeparated(columnNames.map((name) => sql`${sql.identifier(name)} text`));
  return sql`jsonb_to_recordset(${rowsJson}::jsonb) as incoming(${definitions})`;
}

const incomingValue = (table: TableLayout, name: string) =>
  sql`incoming.${sql.identifier(name)}::${castTo(typeOf(table, name))}`;

async function insertBatch(target: Executor, table: TableLayout, rowsJson: string): Promise<void> {
  const names = table.columns.map((column) => column.name);
  const values = table.columns.map((column) =>
    table.selfReferencingColumns.includes(column.name)
      ? sql`null::${castTo(column.type)}`
      : incomingValue(table, column.name),
  );
  // OVERRIDING SYSTEM VALUE keeps the source's values in identity columns, should a table ever have one.
  await target.execute(sql`
    insert into ${sql.identifier(table.name)} (${commaSeparated(names.map((name) => sql.identifier(name)))})
    overriding system value
    select ${commaSeparated(values)} from ${incomingRows(names, rowsJson)}`);
}

async function restoreSelfReferences(target: Executor, table: TableLayout, rowsJson: string): Promise<void> {
  const linked = table.selfReferencingColumns;
  const assignments = linked.map((name) => sql`${sql.identifier(name)} = ${incomingValue(table, name)}`);
  const sameRow = table.primaryKey.map((name) => sql`existing.${sql.identifier(name)} = ${incomingValue(table, name)}`);
  await target.execute(sql`
    update ${sql.identifier(table.name)} as existing set ${commaSeparated(assignments)}
    from ${incomingRows([...table.primaryKey, ...linked], rowsJson)}
    where ${sql.join(sameRow, sql` and `)}`);
}
