// Bundles a TypeScript entry of Chorus and everything of the project it imports into one JavaScript module under
// dist/, with a source map; packages stay imports of node_modules. What runs is then plain Node, without a
// TypeScript loader: tsx compiles each file at load time on a thread of its own and keeps inline source maps,
// ~75 MB of resident memory for the server. esbuild is what tsx uses, so the code is compiled the same way.
// Every run bundles afresh (~0.1 s) into a file of its own that is then renamed into place, so processes starting
// at once never read half a file, and no run can use a bundle of older sources.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundles `entry` (relative to the project root) into `outfile` (likewise); returns the bundle's file URL, or
 * undefined when it cannot be written (a read-only installation), for the caller to run the sources instead.
 */
export async function bundle(entry, outfile) {
  const target = path.join(PROJECT_ROOT, outfile);
  try {
    const { outputFiles } = await build({
      entryPoints: [path.join(PROJECT_ROOT, entry)],
      outfile: target,
      bundle: true,
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
    mkdirSync(path.dirname(target), { recursive: true });
    // The map first: a process that reads the new bundle finds its map already there.
    const isMap = (file) => file.path.endsWith('.map');
    for (const file of [...outputFiles.filter(isMap), ...outputFiles.filter((file) => !isMap(file))]) {
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, file.contents);
      renameSync(temporary, file.path);
    }
    return pathToFileURL(target).href;
  } catch (error) {
    if (error?.code === 'EACCES' || error?.code === 'EROFS' || error?.code === 'EPERM') return undefined;
    throw error;
  }
}
