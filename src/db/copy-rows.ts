// Moves one table's rows from a source transaction to a target transaction, in keyset batches bounded by rows and
// by bytes: a batch of a thousand rows of ten million characters each would be tens of gigabytes in one value (the
// embedded database runs out of its 2 GB long before), so the source first says how large each row is, and a batch
// takes rows while they fit in its byte budget (a row larger than the budget travels alone).
//
// Rows travel as JSON whose values are each column's text form (`value::text`), cast back on the other
// side. Text is Postgres's own lossless exchange format (it is what pg_dump writes), so numerics, bigints,
// bytea, jsonb and timestamps arrive exactly, nothing is parsed by JavaScript on the way, and a jsonb
// `null` stays distinct from SQL NULL (which whole-row `to_json` would conflate).
import { type SQL, type SQLChunk, sql } from 'drizzle-orm';
import type { Executor } from './client.ts';
import type { ColumnLayout, TableLayout } from './introspect.ts';
import { queryOne, queryRows } from './rows.ts';

/** At most this many rows, and about this many bytes of their columns' text, per batch. */
export type BatchLimits = { rows: number; bytes: number };

type Batch = { count: number; rowsJson: string };
/** A row's primary key (each column's text), and the bytes of its columns as text. */
type SizedRow = { key: string[]; bytes: number };

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
  limits: BatchLimits,
  reportProgress: (rowsCopiedSoFar: number) => void,
): Promise<number> {
  if (table.primaryKey.length === 0) throw new Error(`table ${table.name} has no primary key to copy it by`);
  const deferred = table.selfReferencingColumns;
  const notNullable = table.columns.find((column) => deferred.includes(column.name) && column.notNull);
  if (notNullable) throw new Error(`cannot copy ${table.name}: self-reference ${notNullable.name} is not nullable`);

  let copied = 0;
  for await (const batch of readBatches(source, table, table.columns, limits)) {
    await insertBatch(target, table, batch.rowsJson);
    copied += batch.count;
    reportProgress(copied);
  }
  if (deferred.length > 0) {
    const anyLinkSet = sql.join(
      deferred.map((name) => sql`${sql.identifier(name)} is not null`),
      sql` or `,
    );
    const linkColumns = [...table.primaryKey, ...deferred].map((name) => columnOf(table, name));
    for await (const batch of readBatches(source, table, linkColumns, limits, anyLinkSet)) {
      await restoreSelfReferences(target, table, batch.rowsJson);
    }
  }
  return copied;
}

/**
 * Consecutive groups of rows, in order, each of at most `budget` bytes; a row larger than that alone. Pure, so the
 * batching is tested apart from any database.
 */
export function groupByBytes<Row extends { bytes: number }>(rows: Row[], budget: number): Row[][] {
  const groups: Row[][] = [];
  let group: Row[] = [];
  let bytes = 0;
  for (const row of rows) {
    if (group.length > 0 && bytes + row.bytes > budget) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(row);
    bytes += row.bytes;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/**
 * Keyset pages by primary key, never OFFSET: up to `limits.rows` keys and sizes at a time, then their rows in
 * ranges of keys that fit the byte budget. The source is one repeatable-read snapshot, so the ranges read are the
 * rows sized.
 */
async function* readBatches(
  source: Executor,
  table: TableLayout,
  columns: ColumnLayout[],
  limits: BatchLimits,
  filter?: SQL,
): AsyncGenerator<Batch> {
  let after: string[] | null = null;
  for (;;) {
    const sized = await sizeRows(source, table, columns, limits.rows, after, filter);
    for (const group of groupByBytes(sized, limits.bytes)) {
      const upTo = group.at(-1)!.key;
      yield await readRange(source, table, columns, { after, upTo }, filter);
      after = upTo;
    }
    if (sized.length < limits.rows) return;
  }
}

/** The next keys after `after`, in order, each with its row's size as text (counted where the rows are). */
async function sizeRows(
  source: Executor,
  table: TableLayout,
  columns: ColumnLayout[],
  limit: number,
  after: string[] | null,
  filter?: SQL,
): Promise<SizedRow[]> {
  const key = table.primaryKey.map((name) => sql.identifier(name));
  const keyAsText = commaSeparated(key.map((column) => sql`${column}::text`));
  const rowBytes = sql.join(columns.map(bytesAsText), sql` + `);
  const rows = await queryRows<{ key: string; bytes: number }>(
    source,
    sql`select json_build_array(${keyAsText})::text as key, (${rowBytes})::float8 as bytes
        from ${sql.identifier(table.name)} ${whereInRange(table, { after }, filter)}
        order by ${commaSeparated(key)} limit ${limit}`,
  );
  return rows.map((row) => ({ key: JSON.parse(row.key) as string[], bytes: Number(row.bytes) }));
}

/**
 * A column's bytes as text, without reading it where that can be helped: the length of text, varchar and json is in
 * the stored value's header, even compressed or out of line; bytea's text is two hex digits a byte.
 */
function bytesAsText(column: ColumnLayout): SQL {
  const name = sql.identifier(column.name);
  if (column.type === 'bytea') return sql`coalesce(octet_length(${name}) * 2 + 2, 0)::int8`;
  return sql`coalesce(octet_length(${name}::text), 0)::int8`;
}

/** The rows with keys after `after` (when given) up to `upTo`, as JSON, every column as its text. */
async function readRange(
  source: Executor,
  table: TableLayout,
  columns: ColumnLayout[],
  range: { after: string[] | null; upTo: string[] },
  filter?: SQL,
): Promise<Batch> {
  const columnsAsText = commaSeparated(
    columns.map(({ name }) => sql`${sql.identifier(name)}::text as ${sql.identifier(name)}`),
  );
  const keyOrder = commaSeparated(table.primaryKey.map((name) => sql.identifier(name)));
  const page = await queryOne<{ count: number; rows_json: string }>(
    source,
    sql`with batch as (
          select ${columnsAsText} from ${sql.identifier(table.name)} ${whereInRange(table, range, filter)}
          order by ${keyOrder}
        )
        select count(*)::int as count, coalesce(json_agg(batch), '[]')::text as rows_json from batch`,
  );
  return { count: page?.count ?? 0, rowsJson: page?.rows_json ?? '[]' };
}

/** `where` for the rows with keys after `after` and up to `upTo` (each bound when given), and `filter`. */
function whereInRange(table: TableLayout, range: { after: string[] | null; upTo?: string[] }, filter?: SQL): SQL {
  const key = commaSeparated(table.primaryKey.map((name) => sql.identifier(name)));
  const asKey = (values: string[]) =>
    commaSeparated(values.map((value, index) => sql`${value}::${castTo(typeOf(table, table.primaryKey[index]!))}`));
  const conditions: SQL[] = filter ? [sql`(${filter})`] : [];
  if (range.after) conditions.push(sql`(${key}) > (${asKey(range.after)})`);
  if (range.upTo) conditions.push(sql`(${key}) <= (${asKey(range.upTo)})`);
  return conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
}

function columnOf(table: TableLayout, columnName: string): ColumnLayout {
  const column = table.columns.find((candidate) => candidate.name === columnName);
  if (!column) throw new Error(`${table.name}.${columnName} is not a writable column`);
  return column;
}

function typeOf(table: TableLayout, columnName: string): string {
  return columnOf(table, columnName).type;
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
