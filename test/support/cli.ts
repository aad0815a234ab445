// Runs the real `chorus` command (bin/chorus.js) in a child process, as a user would, and collects its output.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/db/client.ts';

export const CHORUS_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/chorus.js');

export type CommandResult = { code: number | null; stdout: string; stderr: string };

/**
 * The environment of this process without the database settings (so a child uses the DATA_DIR it is
 * given unless a test says otherwise) and without node:test's marker (the child is no test file).
 */
export function childEnvironment(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const name of ['NODE_TEST_CONTEXT', ...(overrides.DATABASE_URL ? [] : ['DATABASE_URL'])]) delete env[name];
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

export function startChorus(args: string[], env: Record<string, string | undefined> = {}): ChildProcess {
  return spawn(process.execPath, [CHORUS_BIN, ...args], {
    env: childEnvironment(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves with the port once `chorus serve` says it is serving; rejects if it exits first. */
export function servingPort(server: ChildProcess): Promise<number> {
  let output = '';
  return new Promise((resolve, reject) => {
    server.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /serving on http:\/\/localhost:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    server.stderr!.on('data', (chunk) => (output += chunk));
    server.on('exit', (code) => reject(new Error(`chorus serve exited (${code}) before serving:\n${output}`)));
  });
}

/**
 * Real `chorus serve` processes on one configuration, as behind a load balancer. Each starts after the one before
 * is serving (the first migrates and seeds; the others find it done). `stop` ends them all with SIGTERM.
 */
export class ServeProcesses {
  private readonly children: ChildProcess[] = [];

  async start(env: Record<string, string>): Promise<string> {
    const child = startChorus(['serve'], { ...env, PORT: '0' });
    this.children.push(child);
    return `http://127.0.0.1:${await servingPort(child)}`;
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children
        .filter((child) => child.exitCode === null)
        .map(async (child) => {
          const exited = once(child, 'exit');
          child.kill('SIGTERM');
          await exited;
        }),
    );
  }
}

export function runChorus(args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const child = startChorus(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh directory under the system's temp folder; `remove` deletes it with everything in it. */
export function temporaryDirectory(prefix = 'chorus-test-'): { path: string; remove: () => void } {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: directory, remove: () => rmSync(directory, { recursive: true, force: true }) };
}

/**
 * Fresh embedded data directories for child processes. Initialising one (PGlite's initdb) costs seconds
 * of CPU; copying one that was initialised once and shut down costs milliseconds. No migration is applied.
 */
export function dataDirectories(): { initialised(): Promise<string>; empty(): string; removeAll(): void } {
  const directories: Array<{ path: string; remove: () => void }> = [];
  let template: Promise<string> | undefined;
  const makeDirectory = () => {
    const directory = temporaryDirectory();
    directories.push(directory);
    return directory.path;
  };
  const initialise = async () => {
    const directory = makeDirectory();
    const database = await openDatabase({ dataDir: directory });
    await database.close();
    return directory;
  };
  return {
    async initialised() {
      template ??= initialise();
      const directory = makeDirectory();
      cpSync(await template, directory, { recursive: true });
      return directory;
    },
    /** For commands expected to stop before they open the database. */
    empty: makeDirectory,
    removeAll: () => {
      for (const directory of directories) directory.remove();
    },
  };
}
