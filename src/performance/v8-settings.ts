// V8 settings that keep a small server small (docs/performance.md, V8 settings): how far the heap grows past its
// live set, and which compiler the embedded database's WebAssembly gets.
import { setFlagsFromString } from 'node:v8';

/**
 * Under load V8 lets the heap grow to several times the live set before a full collection; a smaller growth factor
 * keeps the process near its live size for a little more collector time (docs/performance.md, V8 settings). The flag
 * is read at each collection, so setting it at start-up applies.
 */
export function limitHeapGrowth(percent: number) {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * Whether the process was started with --liftoff-only. Node 24 compiles WebAssembly functions lazily, on their first
 * call, which for most of PostgreSQL comes after a thread has started: only the flag from the start covers them.
 */
const startedWithLiftoffOnly = process.execArgv.includes('--liftoff-only');

/** PGlite threads starting now, compiling their WebAssembly. */
let compiling = 0;

/**
 * PostgreSQL in WebAssembly is a large module, and V8's optimising compiler keeps the working memory of its
 * background recompiles with the process; compiled by the baseline compiler alone, a chat's statements run as fast
 * and bulk work somewhat slower (docs/performance.md, V8 settings). The flag is V8's, for the whole process: it is on
 * while a PGlite thread starts, and the returned function turns it off again once none is starting.
 */
export function compileWasmWithBaselineCompilerOnly(): () => void {
  // Started with the flag (npm start, bin/chorus.js), the whole process keeps it: nothing to switch.
  if (startedWithLiftoffOnly) return () => {};
  if (compiling++ === 0) setFlagsFromString('--liftoff-only');
  return () => {
    if (--compiling === 0) setFlagsFromString('--no-liftoff-only');
  };
}
