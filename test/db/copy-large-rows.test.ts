// `chorus db copy` with rows of millions of characters: batches are bounded by bytes as well as by rows, so a few
// huge rows neither exhaust the embedded database's memory when read (together they are far past what it can hold
// in one value) nor arrive cut.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { asc, sql } from 'drizzle-orm';
import type { DatabaseKind } from '../../src/db/client.ts';
import { copyDatabase } from '../../src/db/copy.ts';
import { messages } from '../../src/db/schema/index.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';

const MESSAGE_COUNT = 8;
const MESSAGE_CHARACTERS = 24_000_000;
const USER_ID = '00000000-0000-4000-8000-00000000000a';
const CONVERSATION_ID = '00000000-0000-4000-8000-00000000000b';

/** Each message's id, length and fingerprints of its text and parts, computed in the database: rows stay there. */
async function fingerprints(database: TestDatabase) {
  const rows = await database.db
    .select({
      id: messages.id,
      length: sql<number>`length(${messages.content})`,
      content: sql<string>`md5(${messages.content})`,
      parts: sql<string>`md5(${messages.parts}::text)`,
    })
    .from(messages)
    .orderBy(asc(messages.id));
  return rows.map((row) => ({ ...row, length: Number(row.length) }));
}

const journey: DatabaseKind[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres', 'pglite'] : ['pglite', 'pglite'];

describe(`db copy of rows of millions of characters, ${journey.join(' to ')}`, { timeout: 600_000 }, () => {
  let origin: TestDatabase;
  let expected: Awaited<ReturnType<typeof fingerprints>>;
  before(async () => {
    origin = await openTestDatabase(journey[0]!);
    await origin.db.execute(
      sql`insert into users (id, username, display_name) values (${USER_ID}, 'writer', 'Writer')`,
    );
    await origin.db.execute(
      sql`insert into conversations (id, title, owner_id) values (${CONVERSATION_ID}, 'Long', ${USER_ID})`,
    );
    // Written by the database itself: the texts never pass through this process.
    for (let index = 0; index < MESSAGE_COUNT; index++) {
      await origin.db.execute(sql`
        with written as (select ${String(index)} || repeat(md5(${String(index)}), ${MESSAGE_CHARACTERS / 32}) as text)
        insert into messages (conversation_id, sender_id, role, content, parts)
        select ${CONVERSATION_ID}, ${USER_ID}, 'user', text, jsonb_build_array(jsonb_build_object('type', 'text', 'text', text))
        from written`);
    }
    expected = await fingerprints(origin);
    assert.equal(expected.length, MESSAGE_COUNT);
    assert.ok(expected.every((row) => row.length === MESSAGE_CHARACTERS + 1));
  });
  after(() => origin?.close());

  test('arrive intact, there and back', async () => {
    let source = origin;
    for (const targetKind of journey.slice(1)) {
      const target = await openTestDatabase(targetKind);
      try {
        const report = await copyDatabase(source, target);
        assert.equal(report.countsMatch, true);
        assert.deepEqual(await fingerprints(target), expected, `${source.kind} to ${target.kind}`);
      } finally {
        if (source !== origin) await source.close();
      }
      source = target;
    }
    if (source !== origin) await source.close();
  });
});
