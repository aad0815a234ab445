// The embedded database on its own thread behaves like PGlite itself, and leaves the server's thread free.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import { EmbeddedDatabaseFailure, PgliteThread } from '../../src/db/pglite-thread.ts';
import { isUniqueViolation } from '../../src/store/postgres-errors.ts';
import { dataDirectories } from '../support/cli.ts';

describe('PGlite on its own thread', () => {
  let database: PgliteThread;
  before(async () => {
    database = await PgliteThread.start();
    await database.query('create table notes (id int primary key, body text, at timestamptz default now())');
  });
  after(() => database.close());

  test('answers queries with rows, in object or array mode, dates as text', async () => {
    await database.query('insert into notes (id, body) values ($1, $2), ($3, $4)', [1, 'one', 2, 'two']);
    const objects = await database.query<{ id: number; body: string; at: string }>('select * from notes order by id');
    assert.deepEqual(
      objects.rows.map(({ id, body }) => [id, body]),
      [
        [1, 'one'],
        [2, 'two'],
      ],
    );
    assert.equal(typeof objects.rows[0]!.at, 'string', 'timestamps come as text, as drizzle asks');
    const arrays = await database.query<unknown[]>('select id from notes order by id', [], { rowMode: 'array' });
    assert.deepEqual(arrays.rows, [[1], [2]]);
  });

  test('an error keeps its SQLSTATE and fields, so callers can tell what went wrong', async () => {
    await assert.rejects(database.query('insert into notes (id, body) values (1, $1)', ['again']), (error: Error) => {
      assert.ok(isUniqueViolation(error));
      assert.equal((error as Error & { constraint?: string }).constraint, 'notes_pkey');
      return true;
    });
  });

  test('a transaction commits when its callback resolves and rolls back when it throws', async () => {
    await database.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values (10, $1)', ['kept']);
    });
    await assert.rejects(
      database.transaction(async (tx) => {
        await tx.query('insert into notes (id, body) values (11, $1)', ['dropped']);
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    const { rows } = await database.query<{ id: number }>('select id from notes where id >= 10 order by id');
    assert.deepEqual(
      rows.map((row) => row.id),
      [10],
    );
  });

  /** A transaction that writes note `id`, then stays open until released, then rewrites it and commits. */
  async function heldOpenTransaction(id: number) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = database.transaction(async (tx) => {
      await tx.query('insert into notes (id, body) values ($1, $2)', [id, 'inside']);
      await held;
      await tx.query('update notes set body = $1 where id = $2', ['inside, later', id]);
    });
    // Time for the transaction to begin.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { transaction, release };
  }

  test('statements sent while a transaction is open wait for it, and nothing interleaves with it', async () => {
    const { transaction, release } = await heldOpenTransaction(20);
    const outside = database.query<{ body: string }>('select body from notes where id = 20');
    release();
    await transaction;
    assert.deepEqual((await outside).rows, [{ body: 'inside, later' }], 'the outside read ran after the commit');
  });

  test('a statement run again is prepared, and answers as its first run did: rows, types, counts, errors', async () => {
    const insert = 'insert into notes (id, body) values ($1, $2) returning id, body, at';
    const inserted = [];
    for (const id of [30, 31, 32, 33])
      inserted.push(
        await database.query<{ id: number; body: string | null; at: unknown }>(insert, [
          id,
          id === 32 ? null : `note ${id}`,
        ]),
      );
    assert.deepEqual(
      inserted.map((result) => [
        result.affectedRows,
        result.rows[0]!.id,
        result.rows[0]!.body,
        typeof result.rows[0]!.at,
      ]),
      [
        [1, 30, 'note 30', 'string'],
        [1, 31, 'note 31', 'string'],
        [1, 32, null, 'string'],
        [1, 33, 'note 33', 'string'],
      ],
    );
    assert.deepEqual(inserted[3]!.fields, inserted[0]!.fields);
    const { rows: statements } = await database.query<{ statement: string }>(
      'select statement from pg_prepared_statements',
    );
    assert.ok(
      statements.some((row) => row.statement === insert),
      'the insert is prepared once it ran twice',
    );

    const select = 'select id, body from notes where id = any($1::int[]) order by id';
    const objects = [];
    const arrays = [];
    for (let run = 0; run < 3; run++) {
      objects.push((await database.query(select, [[30, 31]])).rows);
      arrays.push((await database.query(select, [[30, 31]], { rowMode: 'array' })).rows);
    }
    assert.deepEqual(
      objects,
      Array(3).fill([
        { id: 30, body: 'note 30' },
        { id: 31, body: 'note 31' },
      ]),
    );
    assert.deepEqual(
      arrays,
      Array(3).fill([
        [30, 'note 30'],
        [31, 'note 31'],
      ]),
    );

    await assert.rejects(database.query(insert, [30, 'twice']), (error: Error) => {
      assert.ok(isUniqueViolation(error), 'a prepared statement fails with its SQLSTATE');
      assert.equal((error as Error & { constraint?: string }).constraint, 'notes_pkey');
      return true;
    });
    assert.equal((await database.query(insert, [34, 'after the error'])).affectedRows, 1, 'and the next run works');
  });

  test('a prepared statement reads a table that changed shape after it was prepared', async () => {
    await database.query('create table shapes (a int)');
    await database.query('insert into shapes values (1)');
    for (let run = 0; run < 3; run++) assert.deepEqual((await database.query('select * from shapes')).rows, [{ a: 1 }]);
    await database.query(`alter table shapes add column b text default 'new'`);
    assert.deepEqual((await database.query('select * from shapes')).rows, [{ a: 1, b: 'new' }]);
  });

  test('a prepared statement also waits for an open transaction', async () => {
    const read = 'select body from notes where id = $1';
    for (let run = 0; run < 2; run++) await database.query(read, [40]);
    const { transaction, release } = await heldOpenTransaction(40);
    const outside = database.query<{ body: string }>(read, [40]);
    release();
    await transaction;
    assert.deepEqual((await outside).rows, [{ body: 'inside, later' }]);
  });

  test('LISTEN hears what NOTIFY says, until it stops listening', async () => {
    const heard: string[] = [];
    const stop = await database.listen('changes', (payload) => heard.push(payload));
    await database.query("select pg_notify('changes', 'first')");
    await waitFor(() => heard.length === 1);
    await stop();
    await database.query("select pg_notify('changes', 'second')");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(heard, ['first']);
  });

  test('a long statement does not hold up timers on the calling thread', async () => {
    const started = performance.now();
    const ticks: number[] = [];
    const timer = setInterval(() => ticks.push(performance.now() - started), 5);
    await database.query('select pg_sleep(0.2)');
    // Cleared at once: every tick counted fired while the statement ran (on this thread, none could).
    clearInterval(timer);
    const elapsed = performance.now() - started;
    assert.ok(ticks.length >= 5, `${ticks.length} ticks during a statement of ${elapsed.toFixed(0)} ms`);
  });
});

describe('PGlite thread lifecycle', () => {
  test('a closed database refuses queries with a clear error', async () => {
    const database = await PgliteThread.start();
    await database.close();
    await assert.rejects(database.query('select 1'), /closed/);
  });
});

/** JSON nested `depth` deep: `{"a":{"a":…1…}}`, as text (JSON.stringify itself recurses). */
const nestedJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedObject = (depth: number) => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { a: value };
  return value;
};
const depthOf = (value: unknown) => {
  let depth = 0;
  for (let current = value; current !== null && typeof current === 'object'; current = (current as { a: unknown }).a)
    depth++;
  return depth;
};

describe('PGlite thread: what the engine cannot answer still gets an answer', () => {
  const folders = dataDirectories();
  let database: PgliteThread;
  before(async () => {
    database = await PgliteThread.start({ dataDir: await folders.initialised() });
    await database.query('create table kept (id int primary key)');
    await database.query('insert into kept values (1)');
  });
  after(async () => {
    await database?.close();
    folders.removeAll();
  });

  const keptRows = async () => (await database.query<{ id: number }>('select id from kept order by id')).rows;

  test('JSON nested 2,000 deep reads back whole, however it is sent and read', { timeout: 30_000 }, async () => {
    const asObject = await database.query<{ value: unknown }>('select $1::jsonb as value', [nestedObject(2_000)]);
    assert.equal(depthOf(asObject.rows[0]!.value), 2_000);
    const asText = 'select $1::jsonb as value, array[$1::json] as list';
    for (let run = 0; run < 2; run++) {
      // The second run goes through the prepared statement.
      const { rows } = await database.query<unknown[]>(asText, [nestedJson(2_000)], { rowMode: 'array' });
      assert.equal(depthOf(rows[0]![0]), 2_000);
      assert.equal(depthOf((rows[0]![1] as unknown[])[0]), 2_000);
    }
    assert.deepEqual(await keptRows(), [{ id: 1 }]);
  });

  test('JSON nested deeper than the engine can parse fails with an error, and the database goes on', {
    timeout: 30_000,
  }, async () => {
    await assert.rejects(database.query('select $1::jsonb as value', [nestedJson(100_000)]), (error: Error) => {
      assert.ok(error instanceof EmbeddedDatabaseFailure, String(error));
      assert.match(error.message, /PostgreSQL failed inside the embedded database: Maximum call stack size exceeded/);
      return true;
    });
    assert.deepEqual(await keptRows(), [{ id: 1 }], 'restarted on its data');
  });

  test('a database answering nothing in time fails the statements in flight and restarts on its data', {
    timeout: 30_000,
  }, async () => {
    const heard: string[] = [];
    let relistened = 0;
    await database.listen(
      'after_restart',
      (payload) => heard.push(payload),
      () => relistened++,
    );
    database.setRequestTimeout(2_000);
    const stuck = database.query('select pg_sleep(60)');
    const behind = database.query('insert into kept values (2)');
    try {
      for (const statement of [stuck, behind]) {
        await assert.rejects(statement, (error: Error) => {
          assert.ok(error instanceof EmbeddedDatabaseFailure, String(error));
          assert.match(
            error.message,
            /answered nothing for 2000 ms while statements waited \(CHORUS_STATEMENT_TIMEOUT_MS\); its thread is restarted/,
          );
          return true;
        });
      }
    } finally {
      database.setRequestTimeout(0);
    }
    assert.deepEqual(await keptRows(), [{ id: 1 }]);
    await database.query("select pg_notify('after_restart', 'still heard')");
    await waitFor(() => heard.length === 1);
    assert.deepEqual(heard, ['still heard']);
    assert.equal(relistened, 1, 'told that announcements may have been missed');
  });

  test('a database busy for longer than the timeout, but answering all along, is left to work', async () => {
    database.setRequestTimeout(400);
    try {
      // Queued together, the last waits about 1.5 s for its turn: well past the timeout, yet answers keep coming.
      const statements = Array.from({ length: 30 }, () => database.query('select pg_sleep(0.05)'));
      const settled = await Promise.allSettled(statements);
      assert.deepEqual(new Set(settled.map((outcome) => outcome.status)), new Set(['fulfilled']));
    } finally {
      database.setRequestTimeout(0);
    }
  });

  test('a parameter that cannot cross to the database is refused, and the next statement answered', async () => {
    await assert.rejects(database.query('select $1 as value', [() => 1]), /could not be sent to the embedded database/);
    assert.deepEqual(await keptRows(), [{ id: 1 }]);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
