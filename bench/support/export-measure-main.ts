// The export benchmark's measuring process (export.bench.ts starts it with the server's V8 flags, so RSS growth is
// what a server would see). Export benchmark: a 100,000-message conversation exported as JSON and as CSV (the transcript service, as the
// export route streams it, into a sink that only counts bytes), on the embedded database and on PostgreSQL, beside
// the same rows read by the bare driver in the same pages, in the same run. Targets: >= 100,000 messages/s on
// PostgreSQL; RSS growth < 50 MB. The rows are seeded by one server-side insert, not through the chat API.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { readEnvironment } from '../../src/config/env.ts';
import { LocalFileStorage } from '../../src/files/local-file-storage.ts';
import { localFolder } from '../../src/files/open-file-storage.ts';
import { OFFLINE_MODEL } from '../../src/models/catalog.ts';
import { seedModels } from '../../src/models/seed.ts';
import { limitHeapGrowth } from '../../src/performance/v8-settings.ts';
import { actorOf, createStore } from '../../src/store/index.ts';
import { EXPORT_PAGE_SIZE, TranscriptService } from '../../src/transcripts/transcript-service.ts';
import { type BenchDatabase, openBenchDatabases } from './databases.ts';
import { formatNumber, printTable } from './measure.ts';

const MESSAGES = Number(process.env.BENCH_EXPORT_MESSAGES ?? 100_000);
const RUNS = 2;
/** `pglite` or `postgres`: run on that database alone. */
const ONLY_ON = process.env.EXPORT_BENCH_ON?.toLowerCase();

// The heap growth the server runs with (CHORUS_HEAP_GROWTH_PERCENT), so RSS growth is what a server would see.
limitHeapGrowth(readEnvironment().CHORUS_HEAP_GROWTH_PERCENT);

/** Started with --expose-gc. */
const collectGarbage = () => globalThis.gc?.();

type Measured = { seconds: number; bytes: number; rssGrowthMb: number; heapKeptMb: number };

/** Runs `read` (which calls `sample` as it goes), timing it and tracking the peak RSS above the start's. */
async function measure(read: (sample: () => void) => Promise<number>): Promise<Measured> {
  collectGarbage();
  const startHeap = process.memoryUsage().heapUsed;
  const startRss = process.memoryUsage.rss();
  let peakRss = startRss;
  const sample = () => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, 10);
  const started = performance.now();
  try {
    const bytes = await read(sample);
    const seconds = (performance.now() - started) / 1000;
    sample();
    collectGarbage();
    // What the reader left behind once collected: a leak shows here, garbage not yet collected does not.
    const heapKeptMb = (process.memoryUsage().heapUsed - startHeap) / 1024 / 1024;
    return { seconds, bytes, rssGrowthMb: (peakRss - startRss) / 1024 / 1024, heapKeptMb };
  } finally {
    clearInterval(timer);
  }
}

/** Best of the runs by time; the largest RSS growth of them, so a leak is not hidden by a lucky run. */
async function bestOf(read: (sample: () => void) => Promise<number>): Promise<Measured> {
  const results: Measured[] = [];
  for (let run = 0; run < RUNS; run++) results.push(await measure(read));
  const fastest = results.reduce((best, result) => (result.seconds < best.seconds ? result : best));
  return {
    ...fastest,
    rssGrowthMb: Math.max(...results.map((result) => result.rssGrowthMb)),
    heapKeptMb: Math.max(...results.map((result) => result.heapKeptMb)),
  };
}

async function seedConversation(database: BenchDatabase, ownerId: string, conversationId: string) {
  await database.db.execute(
    sql`insert into conversations (id, owner_id, title) values (${conversationId}::uuid, ${ownerId}::uuid, 'Export benchmark')`,
  );
  await database.db.execute(
    sql`insert into conversation_participants (conversation_id, user_id, role) values (${conversationId}::uuid, ${ownerId}::uuid, 'owner')`,
  );
  await database.db.execute(
    sql`insert into conversation_models (conversation_id, model_id) values (${conversationId}::uuid, ${OFFLINE_MODEL.id})`,
  );
  // Person and model take turns; each message about a short paragraph, as chat messages are.
  await database.db.execute(sql`
    insert into messages (id, conversation_id, role, sender_id, model_id, parts, content, input_tokens, output_tokens,
                          cost_usd, latency_ms, created_at)
    select gen_random_uuid(), ${conversationId}::uuid,
           (case when g % 2 = 0 then 'user' else 'assistant' end)::message_role,
           case when g % 2 = 0 then ${ownerId}::uuid end,
           case when g % 2 = 1 then ${OFFLINE_MODEL.id} end,
           jsonb_build_array(jsonb_build_object('type', 'text', 'text', 'Message number ' || g || ', with a line of ordinary chat text, "quoted", and a comma.')),
           'Message number ' || g || ', with a line of ordinary chat text, "quoted", and a comma.',
           case when g % 2 = 1 then 120 end, case when g % 2 = 1 then 40 end,
           case when g % 2 = 1 then 0.0004 end, case when g % 2 = 1 then 300 end,
           timestamptz '2026-01-01' + g * interval '1 second'
    from generate_series(1, ${MESSAGES}::int) as g`);
  await database.db.execute(sql`analyze messages`);
}

const PAGE_QUERY = `select * from messages where conversation_id = $1 and (created_at, id) > ($2::timestamptz, $3::uuid)
  order by created_at, id limit ${EXPORT_PAGE_SIZE}`;

/** The same rows in the same pages, through the bare driver: no drizzle, no decryption, no formatting. */
async function readWithDriver(database: BenchDatabase, conversationId: string, sample: () => void): Promise<number> {
  let after: [string, string] = ['1970-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'];
  let rows = 0;
  if (database.pglite) {
    for (;;) {
      const page = await database.pglite.query<{ created_at: string; id: string }>(PAGE_QUERY, [
        conversationId,
        ...after,
      ]);
      sample();
      rows += page.rows.length;
      if (page.rows.length < EXPORT_PAGE_SIZE) return rows;
      const last = page.rows.at(-1)!;
      after = [String(last.created_at), last.id];
    }
  }
  const client = postgres(database.url!, { max: 1, onnotice: () => {} });
  try {
    for (;;) {
      const page = await client.unsafe<{ created_at: Date; id: string }[]>(PAGE_QUERY, [conversationId, ...after], {
        prepare: true,
      });
      sample();
      rows += page.length;
      if (page.length < EXPORT_PAGE_SIZE) return rows;
      const last = page.at(-1)!;
      after = [last.created_at.toISOString(), last.id];
    }
  } finally {
    await client.end({ timeout: 1 });
  }
}

async function measureExports() {
  const databases = await openBenchDatabases();
  const storageDir = mkdtempSync(path.join(os.tmpdir(), 'chorus-bench-files-'));
  const rows: (string | number)[][] = [];
  try {
    for (const database of databases) {
      if (ONLY_ON && !database.label.toLowerCase().includes(ONLY_ON)) continue;
      await seedModels(database.db, [OFFLINE_MODEL]);
      const store = createStore(database.db);
      const user = await store.users.create({ displayName: 'Bench' });
      const actor = actorOf(user);
      const conversationId = crypto.randomUUID();
      const seeding = performance.now();
      await seedConversation(database, user.id, conversationId);
      console.log(
        `${database.label}: seeded ${formatNumber(MESSAGES)} messages in ${formatNumber((performance.now() - seeding) / 1000, 1)} s`,
      );
      const transcripts = new TranscriptService(store, new LocalFileStorage(localFolder({ DATA_DIR: storageDir })));

      const driver = await bestOf(async (sample) => {
        const read = await readWithDriver(database, conversationId, sample);
        if (read !== MESSAGES) throw new Error(`the driver read ${read} rows, not ${MESSAGES}`);
        return 0;
      });
      rows.push(row(database.label, 'driver alone (baseline)', driver, driver));
      for (const format of ['json', 'csv'] as const) {
        const exported = await bestOf(async (sample) => {
          const transcript = await transcripts.export({ actor, conversationId, format });
          let bytes = 0;
          for await (const chunk of transcript.chunks) {
            bytes += Buffer.byteLength(chunk);
            sample();
          }
          if (transcript.tally.messageCount !== MESSAGES) {
            throw new Error(`the ${format} export wrote ${transcript.tally.messageCount} messages, not ${MESSAGES}`);
          }
          return bytes;
        });
        rows.push(row(database.label, `export ${format.toUpperCase()}`, exported, driver));
      }
    }
  } finally {
    await Promise.allSettled(databases.map((database) => database.close()));
    rmSync(storageDir, { recursive: true, force: true });
  }
  printTable(
    `Export of a ${formatNumber(MESSAGES)}-message conversation (pages of ${formatNumber(EXPORT_PAGE_SIZE)}; best of ${RUNS}; RSS growth: largest of ${RUNS})`,
    ['database', 'reader', 'messages/s', 'vs driver', 'MB written', 'RSS growth (MB)', 'heap kept after GC (MB)'],
    rows,
  );
  console.log('\nTargets: export >= 100,000 messages/s on PostgreSQL; RSS growth < 50 MB.');
}

function row(label: string, reader: string, measured: Measured, driver: Measured): (string | number)[] {
  const rate = MESSAGES / measured.seconds;
  return [
    label,
    reader,
    formatNumber(rate),
    `${formatNumber(measured.seconds / driver.seconds, 2)}×`,
    formatNumber(measured.bytes / 1024 / 1024, 1),
    formatNumber(measured.rssGrowthMb, 1),
    formatNumber(measured.heapKeptMb, 1),
  ];
}

await measureExports();
