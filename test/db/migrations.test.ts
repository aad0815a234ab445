import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { openDatabase } from '../../src/db/client.ts';
import { readTableLayouts } from '../../src/db/introspect.ts';
import { loadMigrations, MIGRATIONS_DIR, readJournal, readSnapshot } from '../../src/db/migrations/files.ts';
import { migrateDown, migrateUp } from '../../src/db/migrations/migrator.ts';
import { queryRows } from '../../src/db/rows.ts';
import * as schema from '../../src/db/schema/index.ts';
import { runChorus } from '../support/cli.ts';
import { createPostgresDatabase, openTestDatabase, testBackends } from '../support/database.ts';
import { insertOneOfEverything } from '../support/fixtures.ts';
import { describeSchema, readTableContents } from '../support/snapshots.ts';

const ALL_TAGS = readJournal().entries.map((entry) => entry.tag);
const ATTRIBUTION = '0001_message_model_attribution';
const PARTICIPANT_ACTIVITY = '0002_participant_activity';
/** Columns the reverted migrations add, left out when comparing rows across a down and up. */
const ADDED_COLUMNS = {
  messages: ['model_id', 'search_vector', 'thread_root_id'],
  conversation_participants: ['last_message_at', 'pinned_at', 'archived_at', 'folder_id'],
  conversations: ['encrypted_title', 'title_key_id'],
  transcripts: ['checksum'],
  backup_logs: ['progress'],
  users: ['messages_per_day'],
};
/**
 * Tables 0003 and later add (sessions and keys, uploaded files, daily usage, sign-in counters, Discord link codes,
 * folders, groups and model access, MCP servers and their calls, the Discord messages of replies):
 * reverting drops them with their rows, and reapplying 0007 counts today's messages again, so comparisons leave them
 * out.
 */
const LATER_TABLE_NAMES = [
  'api_keys',
  'auth_accounts',
  'auth_sessions',
  'auth_verifications',
  'files',
  'daily_usage',
  'auth_rate_limits',
  'discord_link_codes',
  'conversation_folders',
  'user_groups',
  'user_group_members',
  'model_access',
  'model_access_groups',
  'saved_prompts',
  'mcp_servers',
  'tool_calls',
  'discord_reply_messages',
];
const withoutLaterTables = (contents: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(contents).filter(([table]) => !LATER_TABLE_NAMES.includes(table)));
/** The migrations from `tag` to the newest, newest first: what reverting down to before `tag` reverts. */
const revertedDownTo = (tag: string) => ALL_TAGS.slice(ALL_TAGS.indexOf(tag)).reverse();

async function appliedTags(db: Database): Promise<string[]> {
  const rows = await queryRows<{ tag: string }>(db, sql`select tag from chorus_migrations order by tag`);
  return rows.map((row) => row.tag);
}

for (const kind of testBackends()) {
  describe(`migrations on ${kind}`, () => {
    test('up, down --all and up again on a database full of rows gives the schema of a fresh migrate', async () => {
      const database = await openTestDatabase(kind);
      try {
        const fresh = await describeSchema(database.db);
        assert.ok(fresh.tables.length >= 17 && fresh.enums.length >= 12, 'the fresh schema is described');
        await insertOneOfEverything(database.db);

        assert.deepEqual(await migrateDown(database.db, Number.POSITIVE_INFINITY), [...ALL_TAGS].reverse());
        assert.deepEqual(await describeSchema(database.db), {
          tables: [],
          columns: [],
          constraints: [],
          indexes: [],
          enums: [],
        });
        assert.deepEqual(await appliedTags(database.db), []);

        assert.deepEqual(await migrateUp(database.db), ALL_TAGS);
        assert.deepEqual(await describeSchema(database.db), fresh);
      } finally {
        await database.close();
      }
    });

    test('reverting and reapplying the model attribution keeps every older row, with model_id empty again', async () => {
      const database = await openTestDatabase(kind);
      try {
        const fresh = await describeSchema(database.db);
        await insertOneOfEverything(database.db);
        const withoutAttribution = withoutLaterTables(await readTableContents(database.db, ADDED_COLUMNS));
        const attributed = await queryRows(database.db, sql`select id from messages where model_id is not null`);
        assert.ok(attributed.length > 0, 'the fixture attributes a message to a model');

        assert.deepEqual(
          await migrateDown(database.db, revertedDownTo(ATTRIBUTION).length),
          revertedDownTo(ATTRIBUTION),
        );
        const messagesLayout = (await readTableLayouts(database.db)).find((table) => table.name === 'messages');
        assert.ok(!messagesLayout!.columns.some((column) => column.name === 'model_id'));
        assert.deepEqual(await readTableContents(database.db), withoutAttribution);

        assert.deepEqual(await migrateUp(database.db), revertedDownTo(ATTRIBUTION).reverse());
        assert.deepEqual(withoutLaterTables(await readTableContents(database.db, ADDED_COLUMNS)), withoutAttribution);
        const stillAttributed = await queryRows(database.db, sql`select id from messages where model_id is not null`);
        assert.equal(stillAttributed.length, 0, 'rows older than the column have no model');
        assert.deepEqual(await describeSchema(database.db), fresh);
      } finally {
        await database.close();
      }
    });

    test("reapplying the participant activity copies each conversation's last activity to its memberships", async () => {
      const database = await openTestDatabase(kind);
      try {
        await insertOneOfEverything(database.db);
        const omitted = {
          conversation_participants: ADDED_COLUMNS.conversation_participants,
          conversations: ADDED_COLUMNS.conversations,
          // Reverting the threads migration drops what thread a message was in.
          messages: ['thread_root_id'],
        };
        const before = withoutLaterTables(await readTableContents(database.db, omitted));
        const reverted = revertedDownTo(PARTICIPANT_ACTIVITY);
        assert.deepEqual(await migrateDown(database.db, reverted.length), reverted);
        assert.deepEqual(await migrateUp(database.db), [...reverted].reverse());
        assert.deepEqual(withoutLaterTables(await readTableContents(database.db, omitted)), before);
        const mismatched = await queryRows(
          database.db,
          sql`select p.id from conversation_participants p join conversations c on c.id = p.conversation_id
              where p.last_message_at is distinct from c.last_message_at`,
        );
        assert.equal(mismatched.length, 0);
      } finally {
        await database.close();
      }
    });

    if (kind === 'pglite') {
      test('two migrate runs at once both succeed and apply each migration exactly once', async () => {
        const database = await openTestDatabase('pglite', { migrate: false });
        try {
          const runs = await Promise.all([migrateUp(database.db), migrateUp(database.db)]);
          assert.deepEqual(runs.flat().sort(), ALL_TAGS);
          assert.deepEqual(await appliedTags(database.db), ALL_TAGS);
        } finally {
          await database.close();
        }
      });
    } else {
      test('two `chorus migrate` processes at once both succeed and apply each migration exactly once', async () => {
        const created = await createPostgresDatabase();
        try {
          const runs = await Promise.all([
            runChorus(['migrate'], { DATABASE_URL: created.url }),
            runChorus(['migrate'], { DATABASE_URL: created.url }),
          ]);
          for (const run of runs) assert.equal(run.code, 0, run.stderr);
          const appliedByRuns = runs.flatMap((run) => /^applied: (.*)$/m.exec(run.stdout)?.[1]?.split(', ') ?? []);
          assert.deepEqual(appliedByRuns.sort(), ALL_TAGS);
          assert.ok(runs.some((run) => run.stdout.includes('already up to date')));
          const database = await openDatabase({ url: created.url, maxConnections: 1 });
          try {
            assert.deepEqual(await appliedTags(database.db), ALL_TAGS);
          } finally {
            await database.close();
          }
        } finally {
          await created.drop();
        }
      });
    }
  });
}

describe('migration files', () => {
  test('the schema and the migrations never drift: regenerating from the newest snapshot yields nothing', async () => {
    const newest = readJournal().entries.at(-1)!;
    const snapshot = readSnapshot(MIGRATIONS_DIR, newest.idx) as { id: string };
    const current = generateDrizzleJson(schema, snapshot.id);
    const statements = await generateMigration(snapshot as never, current);
    assert.deepEqual(statements, [], 'run `npm run db:generate` and commit the new migration');
  });

  test('every journal entry has its migration, its snapshot and a down migration', () => {
    for (const entry of readJournal().entries) {
      const snapshotFile = `${String(entry.idx).padStart(4, '0')}_snapshot.json`;
      assert.ok(existsSync(path.join(MIGRATIONS_DIR, `${entry.tag}.sql`)), `${entry.tag}.sql`);
      assert.ok(existsSync(path.join(MIGRATIONS_DIR, 'meta', snapshotFile)), snapshotFile);
      assert.ok(existsSync(path.join(MIGRATIONS_DIR, 'down', `${entry.tag}.sql`)), `down/${entry.tag}.sql`);
    }
    for (const migration of loadMigrations()) {
      assert.ok(migration.up.length > 0 && migration.down.length > 0, `${migration.tag} has statements both ways`);
    }
  });

  test('each snapshot follows the one before it', () => {
    const entries = readJournal().entries;
    for (const [index, entry] of entries.entries()) {
      if (index === 0) continue;
      const previous = readSnapshot(MIGRATIONS_DIR, entries[index - 1]!.idx) as { id: string };
      const current = readSnapshot(MIGRATIONS_DIR, entry.idx) as { prevId: string };
      assert.equal(current.prevId, previous.id, `${entry.tag} follows ${entries[index - 1]!.tag}`);
    }
  });
});
