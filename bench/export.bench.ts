// Export benchmark: a 100,000-message conversation exported as JSON and as CSV, on the embedded database and on
// PostgreSQL, beside the same rows read by the bare driver in the same run (support/export-measure-main.ts does the
// measuring). Targets: >= 100,000 messages/s on PostgreSQL; RSS growth < 50 MB. It runs in a process of its own
// started with the V8 flags `npm start` gives the server, so its memory figures are a server's.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The V8 settings `npm start` and bin/chorus.js run the server with (package.json). */
const SERVER_NODE_FLAGS = ['--max-semi-space-size=16', '--liftoff-only'];

export async function runExportBench() {
  const main = fileURLToPath(new URL('./support/export-measure-main.ts', import.meta.url));
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--expose-gc', '--import', 'tsx', main], {
    stdio: 'inherit',
    env: process.env,
  });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the export benchmark exited with ${code}`);
}
