// V8 settings that keep a small server small (docs/performance.md, V8 settings): how far the heap grows past its
// live set. The young generation and the WebAssembly compiler can only be set when the process starts (npm start,
// bin/chorus.js); switching the compiler while threads compile crashed V8 on Node 24.
import { setFlagsFromString } from 'node:v8';

/**
 * Under load V8 lets the heap grow to several times the live set before a full collection; a smaller growth factor
 * keeps the process near its live size for a little more collector time (docs/performance.md, V8 settings). The flag
 * is read at each collection, so setting it at start-up applies.
 */
export function limitHeapGrowth(percent: number) {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
