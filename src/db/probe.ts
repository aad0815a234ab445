// Whether the database answers at all: a trivial statement, given a bounded time (GET /api/health). A database that
// stopped answering otherwise looks healthy from outside while every request that needs it hangs.
import { sql } from 'drizzle-orm';
import type { Database } from './client.ts';

export type ProbeResult = { answering: true } | { answering: false; problem: string };

export async function probeDatabase(db: Database, timeoutMs: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const overdue = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ answering: false, problem: `did not answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
  });
  const answered = db.execute(sql`select 1`).then(
    (): ProbeResult => ({ answering: true }),
    (error: unknown): ProbeResult => ({ answering: false, problem: `failed: ${(error as Error).message}` }),
  );
  try {
    return await Promise.race([answered, overdue]);
  } finally {
    clearTimeout(timer);
  }
}
