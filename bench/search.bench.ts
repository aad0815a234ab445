// Search benchmark: GET /api/search's service (the store's statement, snippets and pages) over the 100,000 messages
// of one person among 1,000,000 in the database, against the same statement replayed through the bare driver, on
// PGlite and on PostgreSQL. Targets: service ≤ 1.2× the driver alone (p50); p50 ≤ 20 ms on PostgreSQL.
// Seeded by server-side generate_series inserts: each message is 20 words drawn from a vocabulary of 5,000, so one
// word is in about 0.4% of messages; one word in 5% of them stands for a common one.
// SEARCH_BENCH_MESSAGES (default 1,000,000) and SEARCH_BENCH_PGLITE_MESSAGES (default the same) set the totals;
// the searcher always holds a tenth.
import { type SQL, sql } from 'drizzle-orm';
import { queryOne } from '../src/db/rows.ts';
import { SearchService } from '../src/search/search-service.ts';
import { type Actor, actorOf, createStore } from '../src/store/index.ts';
import { type BenchDatabase, openBenchDatabases } from './support/databases.ts';
import { formatNumber, printTable, summarize, type Timing, timeCalls } from './support/measure.ts';
import { openRawDriver, type RawDriver, StatementRecorder } from './support/raw-driver.ts';

const MESSAGES_PER_CONVERSATION = 100;
const OTHER_PEOPLE = 9;
const VOCABULARY = 5_000;
const WORDS_PER_MESSAGE = 20;
const COMMON_EVERY = 20;
const PAGE_SIZE = 20;

type Row = (string | number)[];

/** The n-th word of the vocabulary (0-based): four letters a–j spelling its digits, e.g. 1234 → "bcde". */
const wordAt = (n: number) =>
  String(n)
    .padStart(4, '0')
    .replace(/\d/g, (digit) => 'abcdefghij'[Number(digit)]!);

/** The SQL for the same word, of an integer expression. */
const wordSql = (n: SQL) => sql`translate(lpad((${n})::text, 4, '0'), '0123456789', 'abcdefghij')`;

/** A person with `conversations` conversations of MESSAGES_PER_CONVERSATION messages each, all in two statements. */
async function seedPerson(database: BenchDatabase, owner: Actor, conversations: number, offset: number) {
  await database.db.execute(sql`
    with created as (
      insert into conversations (owner_id, title, last_message_at)
      select ${owner.id}::uuid, 'chat about ' || ${wordSql(sql`(g * 7 + ${offset}) % ${VOCABULARY}`)},
             now() - (g * interval '1 minute')
      from generate_series(1, ${conversations}::int) as g
      returning id)
    insert into conversation_participants (conversation_id, user_id, role)
    select id, ${owner.id}::uuid, 'owner' from created`);
  const words = Array.from({ length: WORDS_PER_MESSAGE }, (_, index) =>
    wordSql(sql`((seeded.n * ${2 * index + 1}::bigint * 2654435761 + ${index * 97}) % ${VOCABULARY})`),
  );
  const text = sql.join(words, sql` || ' ' || `);
  await database.db.execute(sql`
    insert into messages (conversation_id, role, sender_id, content, created_at)
    select seeded.conversation_id, (case when seeded.m % 2 = 0 then 'user' else 'assistant' end)::message_role,
           case when seeded.m % 2 = 0 then ${owner.id}::uuid end,
           ${text} || case when seeded.n % ${COMMON_EVERY} = 0 then ' together' else '' end,
           now() - (seeded.n * interval '1 second')
    from (select mine.id as conversation_id, series.m, ${offset}::bigint + row_number() over () as n
          from (select id from conversations where owner_id = ${owner.id}::uuid) as mine
          cross join generate_series(1, ${MESSAGES_PER_CONVERSATION}::int) as series(m)) as seeded`);
}

async function seed(database: BenchDatabase, total: number): Promise<{ searcher: Actor; seconds: number }> {
  const store = createStore(database.db);
  const started = performance.now();
  const conversationsEach = Math.max(1, Math.round(total / (OTHER_PEOPLE + 1) / MESSAGES_PER_CONVERSATION));
  // The index is built once after the rows are in: faster than keeping it up to date row by row.
  await database.db.execute(sql`drop index idx_messages_search`);
  const searcher = actorOf(await store.users.create({ displayName: 'Searcher' }));
  await seedPerson(database, searcher, conversationsEach, 0);
  for (let index = 1; index <= OTHER_PEOPLE; index++) {
    const other = actorOf(await store.users.create({ displayName: `Other ${index}` }));
    await seedPerson(database, other, conversationsEach, index * conversationsEach * MESSAGES_PER_CONVERSATION);
  }
  await database.db.execute(sql`create index idx_messages_search on messages using gin (search_vector)`);
  await database.db.execute(sql`vacuum analyze messages`);
  await database.db.execute(sql`analyze conversations`);
  await database.db.execute(sql`analyze conversation_participants`);
  return { searcher, seconds: (performance.now() - started) / 1000 };
}

/** Service and raw calls alternate, so both see the same caches and machine noise. */
async function compare(serviceCall: () => Promise<unknown>, rawCall: () => Promise<unknown>, iterations: number) {
  const service: number[] = [];
  const raw: number[] = [];
  for (let index = 0; index < 10; index++) {
    await serviceCall();
    await rawCall();
  }
  for (let index = 0; index < iterations; index++) {
    service.push((await timeCalls(serviceCall, { warmup: 0, iterations: 1 })).p50);
    raw.push((await timeCalls(rawCall, { warmup: 0, iterations: 1 })).p50);
  }
  return { service: summarize(service), raw: summarize(raw) };
}

const ms = (timing: Timing) => `${formatNumber(timing.p50 / 1000, 1)} / ${formatNumber(timing.p99 / 1000, 1)}`;

async function benchOneDatabase(database: BenchDatabase, recorder: StatementRecorder, raw: RawDriver, total: number) {
  const { searcher, seconds } = await seed(database, total);
  const messageCount = await queryOne<{ n: number }>(database.db, sql`select count(*)::int as n from messages`);
  const search = new SearchService(createStore(database.db).search);
  const queries: [string, string][] = [
    ['two words, both needed', `${wordAt(1234)} ${wordAt(4321)}`],
    ['one word (≈0.4% of messages)', wordAt(1234)],
    ['a common word (5% of messages)', 'together'],
    ['one word, 2nd page', wordAt(1234)],
  ];
  const rows: Row[] = [];
  for (const [label, query] of queries) {
    let cursor: string | null = null;
    if (label.endsWith('2nd page')) {
      cursor = (await search.search({ actor: searcher, query, limit: PAGE_SIZE })).nextCursor;
    }
    const call = () => search.search({ actor: searcher, query, limit: PAGE_SIZE, cursor });
    const hits = (await call()).items.length;
    const statements = await recorder.capture(call);
    const result = await compare(call, () => raw.run(statements), 200);
    rows.push([
      database.label,
      label,
      hits,
      ms(result.service),
      ms(result.raw),
      `${formatNumber(result.service.p50 / result.raw.p50, 2)}×`,
    ]);
  }
  return { rows, messageCount: messageCount?.n ?? 0, seconds };
}

export async function runSearchBench(): Promise<void> {
  const recorder = new StatementRecorder();
  const databases = await openBenchDatabases(recorder);
  const rows: Row[] = [];
  const seeding: Row[] = [];
  const total = Number(process.env.SEARCH_BENCH_MESSAGES ?? 1_000_000);
  const pgliteTotal = Number(process.env.SEARCH_BENCH_PGLITE_MESSAGES ?? total);
  try {
    for (const database of databases) {
      const raw = openRawDriver(database);
      try {
        const size = database.pglite ? pgliteTotal : total;
        const result = await benchOneDatabase(database, recorder, raw, size);
        rows.push(...result.rows);
        seeding.push([
          database.label,
          formatNumber(result.messageCount),
          formatNumber(result.messageCount / (OTHER_PEOPLE + 1)),
          formatNumber(result.seconds, 1),
        ]);
      } finally {
        await raw.close();
      }
    }
  } finally {
    for (const database of databases) await database.close();
  }
  printTable(
    'Search data (seeded with generate_series, index built after)',
    ['database', 'messages', "the searcher's", 'seed + index seconds'],
    seeding,
  );
  printTable(
    `Search, first ${PAGE_SIZE} hits: service vs the same SQL through the driver alone (targets: ≤ 1.2×; p50 ≤ 20 ms on PostgreSQL)`,
    ['database', 'query', 'hits', 'service ms p50 / p99', 'driver ms p50 / p99', 'service / driver (p50)'],
    rows,
  );
}
