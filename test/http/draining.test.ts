// Readiness for a load balancer, and a server that drains: while it starts (before its database is ready) every
// request, the health checks included, is answered 503; once stopping, readiness fails and new requests are refused
// at once, while the reply being streamed goes on to its end and is stored complete.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { listen } from '../../src/http/server.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const words = (count: number) => Array.from({ length: count }, (_, index) => `w${index} `).join('');
/** About a second of streaming: long enough to stop the server in the middle of it. */
const STEADY_REPLY = words(200);

describe('readiness while starting', () => {
  test('a server listening before its database is ready answers 503 to everything, the health checks included', async () => {
    const listening = await listen(0);
    try {
      for (const path of ['/api/health/ready', '/api/health', '/api/models']) {
        const response = await fetch(`http://127.0.0.1:${listening.port}${path}`);
        assert.equal(response.status, 503, path);
        assert.equal(response.headers.get('retry-after'), '1');
        assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unavailable');
      }
    } finally {
      await listening.close();
    }
  });
});

describe('draining', () => {
  let fake: FakeProvider;
  let server: TestServer;
  let ann: Person;
  before(async () => {
    fake = await startFakeProvider({ models: { steady: { reply: STEADY_REPLY, chunkSize: 8, chunkDelayMs: 10 } } });
    server = await startTestServer('pglite', {
      CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_FAKE_MODELS: 'steady',
    });
    const db = server.runtime.database.db;
    await seedModels(db);
    await registerDeclaredModels(db, server.runtime.providers);
    await server.runtime.modelCache.refresh();
    ann = await signUp(server, 'Ann');
  });
  after(async () => {
    await server?.close();
    await fake?.close();
  });

  test('once stopping, readiness fails and new requests are refused, while the reply streaming finishes whole', async () => {
    assert.equal((await fetch(`${server.baseUrl}/api/health/ready`)).status, 200);
    const conversationId = crypto.randomUUID();
    const response = await ann.client.open(
      'POST',
      '/api/chat',
      JSON.stringify({
        id: conversationId,
        modelIds: ['fake:steady'],
        message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'go on' }] },
      }),
    );
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    // Read until the reply has begun.
    while (!received.includes('text-delta')) received += decoder.decode((await reader.read()).value);

    const closed = server.running.close({ graceMs: 60_000 });
    const ready = await fetch(`${server.baseUrl}/api/health/ready`);
    assert.equal(ready.status, 503);
    assert.match(((await ready.json()) as { error: { message: string } }).error.message, /stopping/);
    const refused = await fetch(`${server.baseUrl}/api/models`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('connection'), 'close');

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      received += decoder.decode(chunk.value);
    }
    assert.match(received, /"status":"complete"/);
    await closed;
    const page = await server.runtime.store.messages.page({ actor: ann.actor, conversationId, limit: 10 });
    const reply = page.items.find((message) => message.role === 'assistant');
    assert.equal(reply?.status, 'complete');
    assert.equal(reply?.content, STEADY_REPLY);
  });
});
