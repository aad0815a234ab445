// Data core benchmark (issue: data core): the store against the very statements it sends, replayed through the
// same driver without drizzle, on PGlite and on PostgreSQL. Targets: store <= 1.2x raw latency; message page
// reads flat in conversation size.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { newMessageId } from '../src/store/ids.ts';
import type { Actor, Store } from '../src/store/index.ts';
import { actorOf, createStore } from '../src/store/index.ts';
import { type BenchDatabase, openBenchDatabases } from './support/databases.ts';
import { formatNumber, printTable, summarize, type Timing, timeCalls } from './support/measure.ts';
import { openRawDriver, type RawDriver, type Statement, StatementRecorder } from './support/raw-driver.ts';

const BATCH_SIZE = 1_000;
const PAGE_SIZE = 50;

type Row = (string | number)[];

async function newOwner(store: Store): Promise<Actor> {
  const user = await store.users.create({ displayName: 'Bench' });
  return actorOf(user);
}

/** Fills a conversation with `count` messages in one server-side statement (setup, not measured). */
async function fillConversation(database: BenchDatabase, conversationId: string, count: number) {
  await database.db.execute(sql`
    insert into messages (id, conversation_id, role, parts, content, created_at)
    select gen_random_uuid(), ${conversationId}::uuid, (case when g % 2 = 0 then 'user' else 'assistant' end)::message_role,
           jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'message number ' || g)),
           'message number ' || g, now() - ((${count}::int - g) * interval '1 second')
    from generate_series(1, ${count}::int) as g`);
}

async function fillConversationList(database: BenchDatabase, ownerId: string, count: number) {
  await database.db.execute(sql`
    with created as (
      insert into conversations (owner_id, title, last_message_at)
      select ${ownerId}::uuid, 'conversation ' || g, now() - (g * interval '1 minute')
      from generate_series(1, ${count}::int) as g
      returning id)
    insert into conversation_participants (conversation_id, user_id, role)
    select id, ${ownerId}::uuid, 'owner' from created`);
}

function batchOfMessages() {
  return Array.from({ length: BATCH_SIZE }, (_, index) => ({
    role: 'user' as const,
    requestId: randomUUID(),
    content: `benchmark message ${index}`,
    parts: [{ type: 'text', text: `benchmark message ${index}` }],
  }));
}

/**
 * The raw side of a batch save: what a hand-written raw-SQL version does with the same input — build the JSON
 * records (every NOT NULL column spelled out, as the store does) and send the statements the store sent.
 */
function rawSave(statements: Statement[], conversationId: string, senderId: string) {
  return () => {
    const records = batchOfMessages().map((message) => ({
      id: newMessageId(),
      conversation_id: conversationId,
      request_id: message.requestId,
      role: message.role,
      sender_id: senderId,
      content: message.content,
      parts: message.parts,
      attachments: [],
      metadata: {},
      is_first_responder: false,
      has_web_search: false,
      status: 'complete',
    }));
    const json = JSON.stringify(records);
    return statements.map((statement) => ({
      query: statement.query,
      params: statement.params.map((param) => (typeof param === 'string' && param.startsWith('[{') ? json : param)),
    }));
  };
}

/** Store and raw calls alternate, so both see the same table sizes, caches and machine noise. */
async function compare(
  storeCall: () => Promise<unknown>,
  rawCall: () => Promise<unknown>,
  counts: { warmup: number; iterations: number },
): Promise<{ store: Timing; raw: Timing }> {
  const storeSamples: number[] = [];
  const rawSamples: number[] = [];
  const once = async (call: () => Promise<unknown>, samples: number[]) => {
    const timing = await timeCalls(call, { warmup: 0, iterations: 1 });
    samples.push(timing.p50);
  };
  for (let index = 0; index < counts.warmup; index++) {
    await storeCall();
    await rawCall();
  }
  for (let index = 0; index < counts.iterations; index++) {
    await once(storeCall, storeSamples);
    await once(rawCall, rawSamples);
  }
  return { store: summarize(storeSamples), raw: summarize(rawSamples) };
}

function row(database: string, scenario: string, result: { store: Timing; raw: Timing }, unit = 'µs'): Row {
  const digits = unit === 'ms' ? 1 : 0;
  const scale = unit === 'ms' ? 1 / 1000 : 1;
  return [
    database,
    scenario,
    `${formatNumber(result.store.p50 * scale, digits)} / ${formatNumber(result.store.p99 * scale, digits)}`,
    `${formatNumber(result.raw.p50 * scale, digits)} / ${formatNumber(result.raw.p99 * scale, digits)}`,
    `${formatNumber(result.store.p50 / result.raw.p50, 2)}×`,
  ];
}

async function benchOneDatabase(database: BenchDatabase, recorder: StatementRecorder, raw: RawDriver) {
  const store = createStore(database.db);
  const rows: Row[] = [];
  const owner = await newOwner(store);

  // 1. Save a batch of 1,000 messages (one transaction).
  const target = await store.conversations.create({ actor: owner, title: 'batch target' });
  const saveBatch = () => store.messages.save({ actor: owner, conversationId: target.id, messages: batchOfMessages() });
  const saveStatements = await recorder.capture(saveBatch);
  const rawStatements = rawSave(saveStatements, target.id, owner.id);
  const save = await compare(saveBatch, () => raw.run(rawStatements(), { transaction: true }), {
    warmup: 3,
    iterations: 20,
  });
  rows.push(row(database.label, `save ${formatNumber(BATCH_SIZE)} messages (batch ms p50 / p99)`, save, 'ms'));
  const rowsPerSecond = (BATCH_SIZE / save.store.p50) * 1e6;

  // 2. Newest 50 messages of a conversation of 100 and of 100,000 messages.
  const pageTimes: Record<string, number> = {};
  for (const size of [100, 100_000]) {
    const conversation = await store.conversations.create({ actor: owner, title: `${size} messages` });
    await fillConversation(database, conversation.id, size);
    await database.db.execute(sql`analyze messages`);
    const readPage = () => store.messages.page({ actor: owner, conversationId: conversation.id, limit: PAGE_SIZE });
    const statements = await recorder.capture(readPage);
    const result = await compare(readPage, () => raw.run(statements), { warmup: 200, iterations: 2_000 });
    pageTimes[size] = result.store.p50;
    rows.push(row(database.label, `newest ${PAGE_SIZE} of ${formatNumber(size)} messages (µs p50 / p99)`, result));
  }

  // 3. First page of a user's list of 10,000 conversations.
  const listOwner = await newOwner(store);
  await fillConversationList(database, listOwner.id, 10_000);
  await database.db.execute(sql`analyze conversations`);
  await database.db.execute(sql`analyze conversation_participants`);
  const listFirstPage = () => store.conversations.listForUser({ actor: listOwner, limit: PAGE_SIZE });
  const listStatements = await recorder.capture(listFirstPage);
  const list = await compare(listFirstPage, () => raw.run(listStatements), { warmup: 200, iterations: 2_000 });
  rows.push(row(database.label, `first ${PAGE_SIZE} of 10,000 conversations (µs p50 / p99)`, list));

  return { rows, rowsPerSecond, flatness: pageTimes[100_000]! / pageTimes[100]! };
}

export async function runDataCoreBench(): Promise<void> {
  const recorder = new StatementRecorder();
  const databases = await openBenchDatabases(recorder);
  const rows: Row[] = [];
  const summary: Row[] = [];
  try {
    for (const database of databases) {
      const raw = openRawDriver(database);
      try {
        const result = await benchOneDatabase(database, recorder, raw);
        rows.push(...result.rows);
        summary.push([database.label, formatNumber(result.rowsPerSecond), `${formatNumber(result.flatness, 2)}×`]);
      } finally {
        await raw.close();
      }
    }
  } finally {
    for (const database of databases) await database.close();
  }
  printTable(
    'Data core: store vs the same SQL through the same driver (target: store ≤ 1.2× raw)',
    ['database', 'operation', 'store', 'raw driver', 'store / raw (p50)'],
    rows,
  );
  printTable(
    'Data core: batch throughput and page-read flatness (target: 100k/100 ≈ 1×)',
    ['database', 'store batch insert rows/s', 'page read p50, 100k-message chat / 100-message chat'],
    summary,
  );
}
