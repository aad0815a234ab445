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

/** The first screen's budget of scripts, gzipped: what a phone downloads before anyone can type. */
const FIRST_SCREEN_BUDGET_BYTES = 170 * 1024;

/**
 * Each script's size as served (gzip), largest first, and the total; then the first screen's: the scripts
 * index.html loads (its entry and the chunks it preloads), against its budget. The rest loads on first need.
 */
function reportSizes() {
  const assets = path.join(outputDirectory, 'assets');
  const scripts = readdirSync(assets)
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      const bytes = readFileSync(path.join(assets, name));
      return { name, raw: bytes.length, gzipped: gzipSync(bytes).length };
    })
    .sort((first, second) => second.gzipped - first.gzipped);
  const kilobytes = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
  for (const script of scripts)
    console.log(`  ${script.name}: ${kilobytes(script.raw)}, ${kilobytes(script.gzipped)} gzipped`);
  const raw = scripts.reduce((sum, script) => sum + script.raw, 0);
  const gzipped = scripts.reduce((sum, script) => sum + script.gzipped, 0);
  console.log(`web app: ${scripts.length} script(s), ${kilobytes(raw)}, ${kilobytes(gzipped)} gzipped`);
  const page = readFileSync(path.join(outputDirectory, 'index.html'), 'utf8');
  const loadedFirst = new Set([...page.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((match) => match[1]));
  const firstScreen = scripts.filter((script) => loadedFirst.has(script.name)).reduce((sum, s) => sum + s.gzipped, 0);
  const verdict = firstScreen <= FIRST_SCREEN_BUDGET_BYTES ? 'within' : 'OVER';
  console.log(
    `first screen: ${loadedFirst.size} script(s), ${kilobytes(firstScreen)} gzipped, ${verdict} its ${kilobytes(FIRST_SCREEN_BUDGET_BYTES)} budget`,
  );
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
