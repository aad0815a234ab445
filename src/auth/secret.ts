// The secret that signs session cookies: whoever holds it can forge a session for anyone. BETTER_AUTH_SECRET when
// set. Otherwise one is generated once and kept, never logged:
// - on the embedded database, in a file of its own in DATA_DIR (mode 0600), so a copy or a dump of the database
//   does not carry it. A secret an earlier version kept in the database moves to the file on the next start, so
//   the sessions it signed stay valid.
// - on PostgreSQL, in the database (an internal config key no configuration API reads or writes), because every
//   process on every machine must sign with the same one and the database is all they share. Whoever can read the
//   database can then forge sessions: start-up warns that BETTER_AUTH_SECRET should be set.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Environment } from '../config/env.ts';
import type { DatabaseKind } from '../db/client.ts';
import type { Store } from '../store/index.ts';

export const AUTH_SECRET_KEY = 'internal.auth.secret';
/** The file in DATA_DIR that holds the generated secret of an embedded database. */
export const AUTH_SECRET_FILE = 'auth-secret';

/** The secret, and where it was found or kept. */
export type AuthSecret = { secret: string; keptIn: 'environment' | 'file' | 'database' };

const storedSecret = z.string().trim().min(32);

const generateSecret = () => randomBytes(32).toString('base64url');

export async function resolveAuthSecret(
  env: Environment,
  store: Pick<Store, 'systemConfigs'>,
  databaseKind: DatabaseKind,
): Promise<AuthSecret> {
  if (env.BETTER_AUTH_SECRET) return { secret: env.BETTER_AUTH_SECRET, keptIn: 'environment' };
  if (databaseKind === 'postgres') {
    const value = await store.systemConfigs.readOrCreateInternal(AUTH_SECRET_KEY, generateSecret);
    return { secret: checked(value, `the stored ${AUTH_SECRET_KEY}`), keptIn: 'database' };
  }
  const file = path.join(env.DATA_DIR, AUTH_SECRET_FILE);
  let secret = await readSecretFile(file);
  if (secret === undefined) {
    const earlier = await store.systemConfigs.findInternal(AUTH_SECRET_KEY);
    secret = await createSecretFile(
      file,
      earlier === undefined ? generateSecret() : checked(earlier, `the stored ${AUTH_SECRET_KEY}`),
    );
  }
  // Once the file holds it, the database must not (also after a start that stopped between the two).
  await store.systemConfigs.deleteInternal(AUTH_SECRET_KEY);
  return { secret, keptIn: 'file' };
}

/** Start-up's warning when the secret lives in the database. */
export const SECRET_IN_DATABASE_WARNING =
  'warning: BETTER_AUTH_SECRET is not set, so the session-signing secret is kept in the database: anyone who can read the database can forge sessions. Set BETTER_AUTH_SECRET (32+ characters, the same on every server process).';

function checked(value: unknown, where: string): string {
  const parsed = storedSecret.safeParse(value);
  // Do not echo the value: even a malformed secret is a secret.
  if (!parsed.success) throw new Error(`${where} is not a string of 32+ characters`);
  return parsed.data;
}

async function readSecretFile(file: string): Promise<string | undefined> {
  try {
    return checked(await readFile(file, 'utf8'), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes the secret to `file`, readable by this user only, unless the file exists by then: written whole under
 * another name, flushed, then linked into place (which fails if the name is taken), so no process ever reads half
 * a secret and two processes starting at once agree on the first one linked. Returns the secret the file holds.
 */
async function createSecretFile(file: string, secret: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(secret);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return (await readSecretFile(file))!;
  } finally {
    await rm(temporary, { force: true });
  }
}
