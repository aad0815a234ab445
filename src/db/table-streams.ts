// Whole tables as streams in PostgreSQL's COPY text format, out of one consistent snapshot and into one
// transaction, on either engine: the machinery of backups and restores. COPY text is PostgreSQL's own lossless
// exchange format (what pg_dump writes), the same on PGlite and on PostgreSQL, so what one writes the other reads.
//
// On PostgreSQL a table travels as one COPY … TO STDOUT / FROM STDIN on a connection of its own (postgres.js
// streams it). PGlite has no socket to stream on: its COPY reads and writes a blob whole, so a table travels in
// batches of rows, each a COPY of a range of primary keys (out) or of whole lines (in), and nothing is held whole.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import type { DatabaseHandle } from './client.ts';
import type { TableLayout } from './introspect.ts';
import type { PgliteThreadTransaction } from './pglite-thread.ts';

/** Statements and COPY streams inside one transaction. */
export interface TableStreams {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  /** The table's rows (its writable columns) as COPY text, in chunks; all but the row keyed `exceptKey` if given. */
  copyOut(table: TableLayout, exceptKey?: string): AsyncIterable<Uint8Array>;
  /** Loads COPY text (the table's writable columns) into the table. */
  copyIn(table: TableLayout, data: AsyncIterable<Uint8Array>): Promise<void>;
}

/** Rows per batch on the embedded database, and about the bytes of COPY text a batch holds at most. */
const PGLITE_BATCH_ROWS = 2_000;
const PGLITE_BATCH_BYTES = 8 * 1024 * 1024;

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const columnList = (table: TableLayout) => table.columns.map((column) => quote(column.name)).join(', ');

/**
 * Text forms pinned for the transaction, so both engines write dates, floats and bytes the same way, and read them
 * back exactly.
 */
const EXACT_TEXT_FORMATS = `select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
  set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
  set_config('bytea_output', 'hex', true)`;

/** Runs `work` in one repeatable-read, read-only snapshot of the database. */
export function inSnapshot<T>(handle: DatabaseHandle, work: (streams: TableStreams) => Promise<T>): Promise<T> {
  return inTransaction(handle, 'isolation level repeatable read read only', work);
}

/** Runs `work` in one read-write transaction: everything it loads is committed together, or nothing. */
export function inLoadTransaction<T>(handle: DatabaseHandle, work: (streams: TableStreams) => Promise<T>): Promise<T> {
  return inTransaction(handle, 'read write', work);
}

async function inTransaction<T>(
  handle: DatabaseHandle,
  mode: string,
  work: (streams: TableStreams) => Promise<T>,
): Promise<T> {
  if (handle.pglite) {
    // PGlite has one connection: its transaction is a snapshot of its own, and nothing else runs meanwhile.
    return handle.pglite.transaction(async (transaction) => {
      await transaction.query(EXACT_TEXT_FORMATS);
      return work(pgliteStreams(transaction));
    });
  }
  if (!handle.url) throw new Error('a PostgreSQL database handle without its URL');
  // A connection of its own: a COPY holds its connection for as long as the table streams.
  const client = postgres(handle.url, { max: 1, onnotice: () => {} });
  try {
    return (await client.begin(mode, async (transaction) => {
      await transaction.unsafe(EXACT_TEXT_FORMATS);
      return work(postgresStreams(transaction));
    })) as T;
  } finally {
    await client.end({ timeout: 5 });
  }
}

function postgresStreams(transaction: postgres.TransactionSql): TableStreams {
  return {
    query: async <Row>(text: string, params: unknown[] = []) =>
      (await transaction.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as Row[],
    async *copyOut(table, exceptKey) {
      const source =
        exceptKey === undefined
          ? `${quote(table.name)} (${columnList(table)})`
          : `(select ${columnList(table)} from ${quote(table.name)} where ${singleKey(table)} <> ${literal(exceptKey)})`;
      const readable = await transaction.unsafe(`copy ${source} to stdout`).readable();
      for await (const chunk of readable) yield chunk as Uint8Array;
      // postgres.js pauses the connection's socket while this stream is full and resumes it when the stream is read
      // again; when the copy's end arrives while it is full, the stream ends without asking for more, and the socket
      // would stay paused, with the next statement waiting for ever. Asking once more resumes it.
      (readable as unknown as { _read(size: number): void })._read(0);
    },
    async copyIn(table, data) {
      const writable = await transaction
        .unsafe(`copy ${quote(table.name)} (${columnList(table)}) from stdin`)
        .writable();
      await pipeline(Readable.from(data), writable as Writable);
    },
  };
}

function pgliteStreams(transaction: PgliteThreadTransaction): TableStreams {
  return {
    query: async <Row>(text: string, params: unknown[] = []) => (await transaction.query<Row>(text, params)).rows,
    copyOut: (table, exceptKey) => copyOutInBatches(transaction, table, exceptKey),
    async copyIn(table, data) {
      const statement = `copy ${quote(table.name)} (${columnList(table)}) from '/dev/blob'`;
      for await (const batch of wholeLines(data, PGLITE_BATCH_BYTES)) await transaction.copyFrom(statement, batch);
    },
  };
}

/**
 * Keyset batches in primary-key order, never OFFSET over the whole table: the key that ends the next batch (the
 * batch's last row, by rows or by bytes, whichever comes first), then a COPY of the rows up to it.
 */
async function* copyOutInBatches(
  transaction: PgliteThreadTransaction,
  table: TableLayout,
  exceptKey?: string,
): AsyncGenerator<Uint8Array> {
  if (table.primaryKey.length === 0) throw new Error(`table ${table.name} has no primary key to read it by`);
  const except = exceptKey === undefined ? '' : ` and ${singleKey(table)} <> ${literal(exceptKey)}`;
  const key = table.primaryKey.map(quote).join(', ');
  const keyTypes = table.primaryKey.map((name) => table.columns.find((column) => column.name === name)!.type);
  const keyValues = (offset: number) => `(${keyTypes.map((type, index) => `$${offset + index}::${type}`).join(', ')})`;
  const rowBytes = table.columns.map((column) => `coalesce(octet_length(${quote(column.name)}::text), 0)`).join(' + ');
  let after: string[] | null = null;
  for (;;) {
    const afterCondition = `where ${after ? `(${key}) > ${keyValues(1)}` : 'true'}${except}`;
    const [end] = (
      await transaction.query<{ key: string }>(
        `select key from (
           select json_build_array(${table.primaryKey.map((name) => `${quote(name)}::text`).join(', ')})::text as key,
                  sum(${rowBytes}) over (order by ${key}) as bytes, row_number() over (order by ${key}) as position
           from (select * from ${quote(table.name)} ${afterCondition} order by ${key} limit ${PGLITE_BATCH_ROWS}) page
         ) sized
         where bytes <= ${PGLITE_BATCH_BYTES} or position = 1
         order by position desc limit 1`,
        after ?? [],
      )
    ).rows;
    if (!end) return;
    const upTo = JSON.parse(end.key) as string[];
    // COPY takes no parameters: the bounds are spelled out as literals.
    const asKey = (values: string[]) =>
      `(${values.map((value, index) => `${literal(value)}::${keyTypes[index]}`).join(', ')})`;
    const conditions = [`(${key}) <= ${asKey(upTo)}${except}`];
    if (after) conditions.push(`(${key}) > ${asKey(after)}`);
    yield await transaction.copyTo(
      `copy (select ${columnList(table)} from ${quote(table.name)} where ${conditions.join(' and ')}
             order by ${key}) to '/dev/blob'`,
    );
    after = upTo;
  }
}

/** A table's one-column primary key, cast to text (a row left out of a copy is named by it). */
function singleKey(table: TableLayout): string {
  if (table.primaryKey.length !== 1) throw new Error(`table ${table.name} has no single-column primary key`);
  return `${quote(table.primaryKey[0]!)}::text`;
}

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The data regrouped into pieces that end at a line's end, each of about `size` bytes (a longer line alone). */
export async function* wholeLines(data: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of data) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < size) continue;
    const joined = Buffer.concat(pending);
    const cut = joined.lastIndexOf(0x0a) + 1;
    if (cut === 0) {
      pending = [joined];
      continue;
    }
    yield joined.subarray(0, cut);
    pending = cut < joined.length ? [joined.subarray(cut)] : [];
    pendingBytes = joined.length - cut;
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
