// The data layer's shape, read from the sources: queries are written only in src/store and src/db, and a store is
// built only by createStore, which hands each one what it shares with others.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../src/db/schema/index.ts';
import { PROJECT_ROOT } from '../../src/project-root.ts';

const SOURCES = path.join(PROJECT_ROOT, 'src');

/** Every TypeScript file under `directory`, as a path relative to src/. */
function sourceFiles(directory = SOURCES): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [path.relative(SOURCES, full)] : [];
  });
}

type Import = { names: string[]; from: string };

/** The values a module imports by name (type-only imports and `type` names left out), with where from. */
function valueImports(source: string): Import[] {
  const imports: Import[] = [];
  for (const match of source.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/gm)) {
    if (match[1]) continue;
    const names = match[2]!
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '' && !name.startsWith('type '))
      .map((name) => name.split(/\s+as\s+/)[0]!);
    imports.push({ names, from: match[3]! });
  }
  return imports;
}

const inDataLayer = (file: string) => file.startsWith(`store${path.sep}`) || file.startsWith(`db${path.sep}`);

/** What a module outside the data layer may take from drizzle: recognising a failed query is not writing one. */
const DRIZZLE_OUTSIDE_DATA_LAYER = new Set(['DrizzleQueryError']);

/** better-auth writes its own queries through its drizzle adapter; this module only tells it which tables are its. */
const HANDS_TABLES_TO_A_LIBRARY = new Set([path.join('auth', 'better-auth.ts')]);

/**
 * Whether every use of `table` in a module's code hands it to drizzle-zod: deriving a shape from a table's columns
 * (an API schema) reads no rows.
 */
function onlyDerivesShapes(source: string, table: string): boolean {
  const code = source
    .replace(/^import\b[\s\S]*?from\s+'[^']+';/gm, '')
    .replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
  const uses = code.match(new RegExp(`\\b${table}\\b`, 'g'))?.length ?? 0;
  const derivations =
    code.match(new RegExp(`\\bcreate(Select|Insert|Update)Schema\\(\\s*${table}\\b`, 'g'))?.length ?? 0;
  return uses === derivations;
}

const TABLES = new Set(
  Object.entries(schema)
    .filter(([, value]) => is(value, PgTable))
    .map(([name]) => name),
);

describe('the data layer', () => {
  test('no module outside src/store and src/db builds a query: none imports the query builder, nor a table but to derive a shape', () => {
    const offences: string[] = [];
    for (const file of sourceFiles().filter((file) => !inDataLayer(file))) {
      const source = readFileSync(path.join(SOURCES, file), 'utf8');
      for (const { names, from } of valueImports(source)) {
        if (from.startsWith('drizzle-orm')) {
          for (const name of names.filter((name) => !DRIZZLE_OUTSIDE_DATA_LAYER.has(name))) {
            offences.push(`${file} imports ${name} from ${from}`);
          }
        } else if (/\/db\/schema\//.test(from) && !HANDS_TABLES_TO_A_LIBRARY.has(file)) {
          for (const name of names.filter((name) => TABLES.has(name) && !onlyDerivesShapes(source, name))) {
            offences.push(`${file} imports the table ${name}`);
          }
        }
      }
    }
    assert.deepEqual(offences, []);
  });

  test('a store builds no other store: what stores share, createStore builds once and hands in', () => {
    const storeFiles = sourceFiles(path.join(SOURCES, 'store')).filter(
      (file) => file !== path.join('store', 'index.ts'),
    );
    const sources = new Map(storeFiles.map((file) => [file, readFileSync(path.join(SOURCES, file), 'utf8')]));
    const definedIn = new Map<string, string>();
    for (const [file, source] of sources) {
      for (const match of source.matchAll(/^export class (\w+)/gm)) definedIn.set(match[1]!, file);
    }
    const offences: string[] = [];
    for (const [file, source] of sources) {
      for (const match of source.matchAll(/\bnew (\w+)\(/g)) {
        const home = definedIn.get(match[1]!);
        if (home !== undefined && home !== file) offences.push(`${file} builds ${match[1]} (${home})`);
      }
    }
    assert.deepEqual(offences, []);
  });
});
