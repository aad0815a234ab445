// The folder Chorus is installed in (the one with its package.json), for the files it ships beside its code: the
// migrations, the model catalog, the built web app, the embedded database's worker. Found by walking up from this
// module, so it is the same whether the sources run as they are (tests, tsx) or bundled into dist/ (bin/chorus.js).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'chorus') {
      return directory;
    }
    if (path.dirname(directory) === directory) throw new Error(`no Chorus package.json above ${from}`);
  }
}

export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the installation, from its parts relative to the project root. */
export const projectPath = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
