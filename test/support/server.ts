// The HTTP server on a fresh test database and a free port, as `chorus serve` would run it, plus a small client
// that behaves like a browser (keeps cookies, sends the Origin of the page it is on) or like a script (API key).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEnvironment } from '../../src/config/env.ts';
import type { DatabaseKind } from '../../src/db/client.ts';
import { type RunningServer, startServer } from '../../src/http/server.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { openTestDatabase } from './database.ts';

/** Where the test's pretend browser loads the app from: the configured PUBLIC_URL, hence a trusted Origin. */
export const TEST_PUBLIC_URL = 'http://chorus.test';

export type TestServer = { baseUrl: string; runtime: Runtime; running: RunningServer; close(): Promise<void> };

/**
 * Tests sign many people up and in from 127.0.0.1 within seconds, which the defaults rightly refuse: a test server
 * raises the limits on getting in, unless a test gives them (an empty value leaves the default in force).
 */
export const RAISED_AUTH_LIMITS = {
  CHORUS_SIGN_IN_ATTEMPTS_PER_ADDRESS: '1000000',
  CHORUS_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '1000000',
  CHORUS_SIGN_UPS_PER_ADDRESS: '1000000',
  CHORUS_GUESTS_PER_ADDRESS: '1000000',
};

/** The settings to give a test server that must run with the default limits on getting in. */
export const DEFAULT_AUTH_LIMITS = Object.fromEntries(Object.keys(RAISED_AUTH_LIMITS).map((name) => [name, '']));

/**
 * `env` is the whole environment (nothing leaks in from the process running the tests) but RAISED_AUTH_LIMITS and,
 * unless given, a DATA_DIR of its own (uploads, the session-signing secret), removed on close.
 */
export async function startTestServer(kind: DatabaseKind, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = env.DATA_DIR ? undefined : mkdtempSync(path.join(os.tmpdir(), 'chorus-server-'));
  const removeDataDir = () => dataDir && rmSync(dataDir, { recursive: true, force: true });
  const database = await openTestDatabase(kind);
  const runtime = await openRuntime(
    readEnvironment({
      PUBLIC_URL: TEST_PUBLIC_URL,
      ...RAISED_AUTH_LIMITS,
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      ...env,
    }),
    { database, migrate: false, seedIfEmpty: false, registerDeclaredModels: false },
  ).catch((error: unknown) => {
    removeDataDir();
    throw error;
  });
  const server = await startServer(runtime, 0);
  return {
    baseUrl: `http://127.0.0.1:${server.port}`,
    runtime,
    running: server,
    close: async () => {
      await server.close();
      await runtime.close();
      removeDataDir();
    },
  };
}

export type JsonResponse<T = any> = { status: number; body: T; headers: Headers };

/** A client with a cookie jar; `bearer` makes it a script with an API key instead. */
export class TestClient {
  readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly options: { origin?: string; bearer?: string } = { origin: TEST_PUBLIC_URL },
  ) {}

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown) {
    return this.request('POST', path, body === undefined ? undefined : JSON.stringify(body));
  }

  delete(path: string) {
    return this.request('DELETE', path);
  }

  /** `body` is sent as given (a string), so a test can send JSON that does not parse; `headers` are added. */
  async request(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<JsonResponse> {
    const response = await this.open(method, path, body, headers);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
  }

  /** The response itself, its body unread: for streams (POST /api/chat, events). */
  async open(
    method: string,
    path: string,
    body?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    const headers = new Headers(extraHeaders);
    if (body !== undefined) headers.set('content-type', 'application/json');
    if (this.options.origin) headers.set('origin', this.options.origin);
    if (this.options.bearer) headers.set('authorization', `Bearer ${this.options.bearer}`);
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body });
    this.keepCookies(response.headers.getSetCookie());
    return response;
  }

  /** Keeps the cookies a response set, as a browser would (for responses a test fetched itself). */
  keepCookies(setCookies: string[]) {
    for (const setCookie of setCookies) {
      const [pair, ...attributes] = setCookie.split(';');
      const separator = pair!.indexOf('=');
      const name = pair!.slice(0, separator).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(separator + 1).trim());
    }
  }
}
