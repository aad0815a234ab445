// Letting the database start on a statement before the caller's own CPU work (docs/performance.md, saving before
// calling a model).
import { setImmediate } from 'node:timers/promises';

/**
 * Resolves once the statements started so far have been handed to the database. postgres.js sends a statement
 * under 1 KB from a setImmediate of its own (to pipeline what follows into the same write), so CPU work begun right
 * after a statement held it back until that work was done, and the database sat idle meanwhile. Awaiting this first
 * lets the statement go out, so the database's work and the caller's overlap. (PGlite's thread gets its statements
 * at once; there this costs a turn of the event loop.)
 */
export async function afterStatementsSent(): Promise<void> {
  // postgres.js's immediate may have been queued after this function's first one; the second, queued while the first
  // runs, waits for the loop's next turn, and so comes after every immediate queued in this one.
  await setImmediate();
  await setImmediate();
}
