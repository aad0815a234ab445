// Writes drizzle/down/<tag>.sql for every migration that lacks one, by asking drizzle-kit for the
// migration from that migration's snapshot back to the previous one. Existing files are kept, so a
// hand-edited down migration (say, one that preserves data) is never overwritten.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateMigration } from 'drizzle-kit/api';
import { EMPTY_SNAPSHOT, readJournal, readSnapshot } from '../src/db/migrations/files.ts';

const dir = path.resolve('drizzle');
const journal = readJournal(dir);
mkdirSync(path.join(dir, 'down'), { recursive: true });

for (const [index, entry] of journal.entries.entries()) {
  const target = path.join(dir, 'down', `${entry.tag}.sql`);
  if (existsSync(target)) continue;
  const current = readSnapshot(dir, entry.idx);
  const previous = index === 0 ? EMPTY_SNAPSHOT : readSnapshot(dir, journal.entries[index - 1]!.idx);
  const statements = await generateMigration(current as never, previous as never);
  writeFileSync(target, `${statements.join('\n--> statement-breakpoint\n')}\n`);
  console.log(`wrote ${path.relative(process.cwd(), target)} (${statements.length} statements)`);
}
