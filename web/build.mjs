// Builds the web app into dist/web with Vite, unless the build there is already of these sources (a fingerprint
// of web/ and package-lock.json is kept beside it). npm runs it after install and before start, so the README's
// two commands serve a current UI; `--force` builds regardless. Plain JavaScript: it runs before anything else.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const webDirectory = path.dirname(fileURLToPath(import.meta.url));
const rootDirectory = path.dirname(webDirectory);
const outputDirectory = path.join(rootDirectory, 'dist', 'web');
const stampFile = path.join(outputDirectory, '.build-stamp');

function sourceFiles(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : [full];
  });
}

/** What the build depends on: the app's sources and config, and the exact dependency versions. */
function fingerprintOfSources() {
  const inputs = [
    path.join(webDirectory, 'index.html'),
    path.join(webDirectory, 'vite.config.ts'),
    path.join(rootDirectory, 'package-lock.json'),
    ...sourceFiles(path.join(webDirectory, 'src')),
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) {
    hash.update(path.relative(rootDirectory, file)).update('\0');
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function reportSizes() {
  const assets = path.join(outputDirectory, 'assets');
  const scripts = readdirSync(assets).filter((name) => name.endsWith('.js'));
  const bytes = scripts.map((name) => readFileSync(path.join(assets, name)));
  const raw = bytes.reduce((sum, file) => sum + file.length, 0);
  const gzipped = bytes.reduce((sum, file) => sum + gzipSync(file).length, 0);
  console.log(`web app: ${scripts.length} script(s), ${(raw / 1024).toFixed(1)} kB, ${(gzipped / 1024).toFixed(1)} kB gzipped`);
}

const force = process.argv.includes('--force');
const fingerprint = fingerprintOfSources();
const current = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (!force && current === fingerprint) {
  console.log('web app: dist/web is up to date');
} else {
  const { build } = await import('vite');
  await build({ root: webDirectory, configFile: path.join(webDirectory, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampFile, `${fingerprint}\n`);
  reportSizes();
}
