// `chorus serve` as an operator runs it, in real processes: one process at a time on an embedded database's
// directory (a second refuses before touching it, a process killed outright does not block the next), a stop that
// drains (readiness fails, the reply streaming finishes, exit 0) and one that ends within its grace, replies still
// running then ended as `stopped` with what they said saved.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../src/db/client.ts';
import { messages } from '../src/db/schema/index.ts';
import { dataDirectories, servingPort, startChorus } from './support/cli.ts';
import { type FakeProvider, startFakeProvider } from './support/fake-provider.ts';
import { TEST_PUBLIC_URL, TestClient } from './support/server.ts';

const words = (count: number) => Array.from({ length: count }, (_, index) => `w${index} `).join('');
/** Takes many seconds to stream whole: a stop always comes in the middle of it. */
const SLOW_REPLY = words(3_000);
/** About a second of streaming: finishes well within a generous grace. */
const STEADY_REPLY = words(200);
/** How long a test waits for something that must happen; never a measure of how fast it happens. */
const PATIENCE_MS = 60_000;

type Serving = { process: ChildProcess; baseUrl: string; output: () => string };

/** Every process a test started, so none outlives the tests whatever fails. */
const started = new Set<ChildProcess>();

function startTracked(args: string[], env: Record<string, string>): ChildProcess {
  const child = startChorus(args, env);
  started.add(child);
  return child;
}

async function serve(env: Record<string, string>): Promise<Serving> {
  const child = startTracked(['serve'], { ...env, PORT: '0' });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { process: child, baseUrl: `http://127.0.0.1:${await servingPort(child)}`, output: () => output };
}

/**
 * Runs a `chorus` command that is expected to refuse; one that starts serving instead is stopped, and said to have
 * served, so the test fails rather than waits.
 */
async function refusedOrServed(args: string[], env: Record<string, string>) {
  const child = startTracked(args, { ...env, PORT: '0' });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const served = new Promise<void>((resolve) =>
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (/serving on/.test(stdout)) resolve();
    }),
  );
  const outcome = await Promise.race([
    exited.then(([code]) => ({ code, served: false })),
    served.then(() => ({ code: null, served: true })),
    patience(`chorus ${args.join(' ')} neither refused nor served`),
  ]);
  if (outcome.served) {
    child.kill('SIGKILL');
    await exited;
  }
  return { ...outcome, stderr };
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const [code, signal] = await Promise.race([exited, patience('the process did not exit')]);
  return { code, signal };
}

/** Rejects, saying `what`, after PATIENCE_MS. */
const patience = (what: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what)), PATIENCE_MS).unref());

/** Resolves once `text` shows in what the process printed. */
async function printed(serving: Serving, text: string): Promise<void> {
  const deadline = Date.now() + PATIENCE_MS;
  while (!serving.output().includes(text)) {
    if (serving.process.exitCode !== null || Date.now() > deadline)
      throw new Error(`did not print ${text}:\n${serving.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A person with an API key on the server at `baseUrl`. */
async function signUp(baseUrl: string, email: string): Promise<string> {
  const browser = new TestClient(baseUrl);
  const signedUp = await browser.post('/api/auth/sign-up/email', {
    email,
    password: 'a long enough password',
    name: 'Operator',
  });
  assert.equal(signedUp.status, 200, JSON.stringify(signedUp.body));
  return (await browser.post('/api/keys', { name: 'tests' })).body.key;
}

/** A chat started; `text()` is what the reply has said so far, `ended` settles when its stream ends. */
async function startChat(baseUrl: string, apiKey: string, model: string) {
  const conversationId = crypto.randomUUID();
  const response = await fetch(`${baseUrl}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      id: conversationId,
      messages: [{ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'take your time' }] }],
      modelIds: [model],
    }),
  });
  assert.equal(response.status, 200);
  let said = '';
  let events = '';
  const decoder = new TextDecoder();
  const ended = (async () => {
    for await (const bytes of response.body!) {
      events += decoder.decode(bytes, { stream: true });
      const lines = events.split('\n');
      events = lines.pop()!;
      for (const line of lines) {
        if (!line.startsWith('data: {')) continue;
        const chunk = JSON.parse(line.slice('data: '.length)) as { type: string; delta?: string };
        if (chunk.type === 'text-delta') said += chunk.delta;
      }
    }
  })();
  return { conversationId, text: () => said, ended };
}

async function waitUntil(condition: () => boolean) {
  const deadline = Date.now() + PATIENCE_MS;
  while (!condition()) {
    assert.ok(Date.now() < deadline, 'waited too long');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The reply of a conversation as the server stored it. */
async function storedReply(baseUrl: string, apiKey: string, conversationId: string) {
  const page = await new TestClient(baseUrl, { bearer: apiKey }).get(`/api/conversations/${conversationId}/messages`);
  assert.equal(page.status, 200, JSON.stringify(page.body));
  const reply = (page.body.items as Array<{ role: string; status: string; content: string | null }>).find(
    (message) => message.role === 'assistant',
  );
  return { status: reply?.status, content: reply?.content ?? '' };
}

/** An upload whose body never finishes arriving: its request runs until the server cuts the connection. */
async function stalledUpload(baseUrl: string, apiKey: string) {
  const { port } = new URL(baseUrl);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    'POST /api/files HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${apiKey}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 100000\r\n\r\n--x\r\n`,
  );
  socket.on('error', () => {});
  return { closed: once(socket, 'close'), destroy: () => socket.destroy() };
}

describe('chorus serve on an embedded database', { timeout: 600_000 }, () => {
  const directories = dataDirectories();
  let fake: FakeProvider;
  const environment = (DATA_DIR: string, more: Record<string, string> = {}) => ({
    DATA_DIR,
    PUBLIC_URL: TEST_PUBLIC_URL,
    CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
    CHORUS_PROVIDER_FAKE_MODELS: 'slow,silent,steady',
    ...more,
  });
  before(async () => {
    fake = await startFakeProvider({
      models: {
        slow: { reply: SLOW_REPLY, chunkSize: 4, chunkDelayMs: 5 },
        silent: { hang: true },
        steady: { reply: STEADY_REPLY, chunkSize: 8, chunkDelayMs: 10 },
      },
    });
  });
  after(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await fake?.close();
    directories.removeAll();
  });

  test('a second process on the same directory is refused before touching it, and one killed outright blocks no one', async () => {
    const dataDir = await directories.initialised();
    const env = environment(dataDir);
    const first = await serve(env);
    try {
      const apiKey = await signUp(first.baseUrl, 'first@example.test');
      const chat = await startChat(first.baseUrl, apiKey, 'fake:slow');
      await waitUntil(() => chat.text().length > 0);

      const attempts = await Promise.all([
        refusedOrServed(['serve'], env),
        refusedOrServed(['migrate'], env),
        refusedOrServed(['db', 'copy', '--to', 'postgres://127.0.0.1:1/elsewhere'], env),
        refusedOrServed(['encryption', 'rotate'], {
          ...env,
          CHORUS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        }),
      ]);
      const lockedBy = `the embedded database in ${path.join(dataDir, 'pglite')} is in use by another process (pid ${first.process.pid}, since `;
      for (const attempt of attempts) {
        assert.equal(attempt.served, false, 'a second server must not start');
        assert.notEqual(attempt.code, 0);
        assert.ok(attempt.stderr.includes(lockedBy), attempt.stderr);
      }

      // The first went on as if nothing happened: its reply, streaming all along, ends whole.
      await chat.ended;
      assert.equal(chat.text(), SLOW_REPLY);
      assert.deepEqual(await storedReply(first.baseUrl, apiKey, chat.conversationId), {
        status: 'complete',
        content: SLOW_REPLY,
      });

      first.process.kill('SIGKILL');
      await exitOf(first.process);
      assert.ok(existsSync(path.join(dataDir, 'pglite.lock')), 'a process killed outright leaves its lock behind');
      const next = await serve(env);
      try {
        assert.deepEqual(await storedReply(next.baseUrl, apiKey, chat.conversationId), {
          status: 'complete',
          content: SLOW_REPLY,
        });
      } finally {
        next.process.kill('SIGTERM');
        await exitOf(next.process);
      }
    } finally {
      if (first.process.exitCode === null) first.process.kill('SIGKILL');
    }
  });

  test('SIGTERM stops the server within its grace: replies end stopped with what they said, stuck requests are cut', async () => {
    const dataDir = await directories.initialised();
    const env = environment(dataDir, { CHORUS_SHUTDOWN_GRACE: '1' });
    const server = await serve(env);
    const apiKey = await signUp(server.baseUrl, 'stopping@example.test');
    const streaming = await startChat(server.baseUrl, apiKey, 'fake:slow');
    const waiting = await startChat(server.baseUrl, apiKey, 'fake:silent');
    await waitUntil(() => streaming.text().length > 0);
    const upload = await stalledUpload(server.baseUrl, apiKey);

    server.process.kill('SIGTERM');
    assert.deepEqual(await exitOf(server.process), { code: 0, signal: null });
    await Promise.all([streaming.ended, waiting.ended]);
    // The stuck upload did not hold the process: it has exited, and nothing listens on its port any more. (Its
    // client socket is not awaited: on a loaded machine the kernel's reset of it was seen to arrive very late.)
    await assert.rejects(fetch(`${server.baseUrl}/api/health`), "nothing listens on the stopped server's port");
    upload.destroy();
    assert.equal(
      existsSync(path.join(dataDir, 'pglite.lock')),
      false,
      'the database was closed and its directory let go',
    );

    const said = streaming.text();
    assert.ok(said.length > 0 && said.length < SLOW_REPLY.length, `stopped part-way (${said.length} characters)`);
    const restarted = await serve(env);
    try {
      assert.deepEqual(await storedReply(restarted.baseUrl, apiKey, streaming.conversationId), {
        status: 'stopped',
        content: said,
      });
      assert.deepEqual(await storedReply(restarted.baseUrl, apiKey, waiting.conversationId), {
        status: 'stopped',
        content: '',
      });
    } finally {
      restarted.process.kill('SIGTERM');
      await exitOf(restarted.process);
    }
  });

  test('SIGTERM drains: readiness fails, new requests are refused, the reply streaming finishes and is saved, exit 0', async () => {
    const dataDir = await directories.initialised();
    const server = await serve(environment(dataDir, { CHORUS_SHUTDOWN_GRACE: '60' }));
    assert.equal((await fetch(`${server.baseUrl}/api/health/ready`)).status, 200);
    const apiKey = await signUp(server.baseUrl, 'draining@example.test');
    const streaming = await startChat(server.baseUrl, apiKey, 'fake:steady');
    await waitUntil(() => streaming.text().length > 0);

    server.process.kill('SIGTERM');
    await printed(server, 'SIGTERM: stopping');
    const ready = await fetch(`${server.baseUrl}/api/health/ready`);
    assert.equal(ready.status, 503);
    assert.equal((await fetch(`${server.baseUrl}/api/models`)).status, 503);
    await streaming.ended;
    assert.deepEqual(await exitOf(server.process), { code: 0, signal: null });
    assert.equal(streaming.text(), STEADY_REPLY, 'the reply arrived whole');

    // What the process logged is JSON, a line each.
    const lines = server.output().trim().split('\n');
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), line);
    assert.ok(lines.some((line) => JSON.parse(line).msg === 'stopped'));

    const database = await openDatabase({ dataDir });
    try {
      const [reply] = await database.db
        .select({ status: messages.status, content: messages.content })
        .from(messages)
        .where(and(eq(messages.conversationId, streaming.conversationId), eq(messages.role, 'assistant')));
      assert.deepEqual(reply, { status: 'complete', content: STEADY_REPLY });
    } finally {
      await database.close();
    }
  });

  test('a second signal ends a stopping server at once', async () => {
    const env = environment(await directories.initialised(), { CHORUS_SHUTDOWN_GRACE: '600' });
    const server = await serve(env);
    const apiKey = await signUp(server.baseUrl, 'impatient@example.test');
    const upload = await stalledUpload(server.baseUrl, apiKey);
    try {
      server.process.kill('SIGTERM');
      await printed(server, 'SIGTERM: stopping');
      server.process.kill('SIGTERM');
      assert.deepEqual(await exitOf(server.process), { code: 128 + 15, signal: null });
      assert.match(server.output(), /SIGTERM again: exiting at once/);
    } finally {
      upload.destroy();
      if (server.process.exitCode === null) server.process.kill('SIGKILL');
    }
  });
});
