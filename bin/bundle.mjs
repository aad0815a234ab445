// Bundles a TypeScript entry of Chorus and everything of the project it imports into JavaScript under dist/, with
// source maps; packages stay imports of node_modules. What runs is then plain Node, without a TypeScript loader:
// tsx compiles each file at load time on a thread of its own and keeps inline source maps, ~75 MB of resident
// memory for the server. esbuild is what tsx uses, so the code is compiled the same way.
// Code behind a dynamic import() goes into chunks of its own, so the packages only it imports (discord.js, the AWS
// SDK, better-auth, archiver) are loaded when it runs: a `chorus models list` does not pay for the Discord bot.
// Every run bundles afresh (~0.1 s). Chunks are named by their content and written before the entry, each into a
// file of its own that is then renamed into place, so processes starting at once never read half a file, and no run
// can use a bundle of older sources. Chunks of earlier builds stay a while: a server started before a rebuild may
// still load one of them later.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Chunks no build has written for this long are left over from old sources. */
const STALE_CHUNK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Bundles `entry` (relative to the project root) into `outfile` (likewise) and its chunks beside it; returns the
 * bundle's file URL, or undefined when it cannot be written (a read-only installation), for the caller to run the
 * sources instead.
 */
export async function bundle(entry, outfile) {
  const target = path.join(PROJECT_ROOT, outfile);
  const outdir = path.dirname(target);
  try {
    const { outputFiles } = await build({
      entryPoints: { [path.basename(target, '.mjs')]: path.join(PROJECT_ROOT, entry) },
      outdir,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      write: false,
      logLevel: 'warning',
    });
    // esbuild's service process is not needed again: ending it frees its memory (buildSync would keep a thread).
    await stop();
    mkdirSync(path.join(outdir, 'chunks'), { recursive: true });
    // Maps first, then chunks, then the entry: a process that reads the new entry finds everything it names there.
    const rank = (file) => (file.path.endsWith('.map') ? 0 : file.path === target ? 2 : 1);
    for (const file of [...outputFiles].sort((left, right) => rank(left) - rank(right))) {
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, file.contents);
      renameSync(temporary, file.path);
    }
    removeStaleChunks(path.join(outdir, 'chunks'), new Set(outputFiles.map((file) => file.path)));
    return pathToFileURL(target).href;
  } catch (error) {
    if (error?.code === 'EACCES' || error?.code === 'EROFS' || error?.code === 'EPERM') return undefined;
    throw error;
  }
}

function removeStaleChunks(directory, current) {
  const now = Date.now();
  for (const name of readdirSync(directory)) {
    const file = path.join(directory, name);
    if (current.has(file)) continue;
    try {
      if (now - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true });
    } catch {
      // Removed meanwhile by another run.
    }
  }
}
