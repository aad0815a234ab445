// The daily message limit over real HTTP: every turn a person causes counts (a message sent, edited or
// regenerated, a /v1 call), through whichever door, exactly up to the limit however many arrive at once; a turn
// that never reached a model is given back, and deleting a conversation gives nothing back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DAILY_MESSAGE_LIMITS_KEY } from '../../src/auth/limits.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { usageDayOf } from '../../src/store/daily-usage.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signInAsGuest, signUp } from '../support/people.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const userMessage = (text: string, id = crypto.randomUUID()) => ({ id, role: 'user', parts: [{ type: 'text', text }] });

for (const kind of testBackends()) {
  describe(`daily message limits over HTTP on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let admin: Person;
    let people = 0;

    before(async () => {
      fake = await startFakeProvider({ models: { alpha: { reply: 'Alpha answers.' } } });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'alpha',
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, `Admin ${kind}`);
      assert.equal(admin.actor.role, 'admin');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const setLimits = (value: unknown) =>
      server.runtime.store.systemConfigs.set({ actor: admin.actor, key: DAILY_MESSAGE_LIMITS_KEY, value });
    const newUser = () => signUp(server, `Person ${kind} ${++people}`);
    const usedToday = (person: Person) =>
      server.runtime.store.dailyUsage.messagesOn({ userId: person.id, day: usageDayOf(new Date()) });
    /** Provider calls made for `text` (each prompt ends with the person's message). */
    const callsAbout = (text: string) =>
      fake.requestsFor('alpha').filter((request) => JSON.stringify(request.messages).includes(text)).length;

    /** POST /api/chat as `person` (or with their API key); the stream is read to its end. */
    async function chat(
      person: Person | TestClient,
      body: Record<string, unknown>,
    ): Promise<{ status: number; replyId?: string; error?: any }> {
      const client = person instanceof TestClient ? person : person.client;
      const response = await client.open('POST', '/api/chat', JSON.stringify({ modelIds: ['fake:alpha'], ...body }));
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        return { status: response.status, error: await response.json() };
      }
      const { message } = await readChat(response.body!);
      return { status: response.status, replyId: message?.id };
    }

    test('a guest’s sends, edits and regenerations all count, and past the limit no model is called', async () => {
      await setLimits({ guest: 2 });
      const guest = await signInAsGuest(server);
      const conversationId = crypto.randomUUID();
      const first = userMessage('guest question one');
      const sent = await chat(guest, { id: conversationId, messages: [first] });
      assert.equal(sent.status, 200);
      const regenerated = await chat(guest, {
        id: conversationId,
        trigger: 'regenerate-message',
        messageId: sent.replyId,
        messages: [first],
      });
      assert.equal(regenerated.status, 200, JSON.stringify(regenerated.error));
      assert.equal(callsAbout('guest question one'), 2);

      const edited = await chat(guest, {
        id: conversationId,
        messages: [userMessage('guest question edited')],
        messageId: first.id,
      });
      assert.equal(edited.status, 429, 'an edit is a turn too');
      assert.equal(edited.error.error.code, 'rate_limited');
      const again = await chat(guest, {
        id: conversationId,
        trigger: 'regenerate-message',
        messageId: first.id,
        messages: [first],
      });
      assert.equal(again.status, 429, 'so is a regeneration');
      assert.equal(callsAbout('guest question'), 2, 'no model was called past the limit');
      assert.equal(await usedToday(guest), 2);
    });

    test('many sends at once are accepted exactly up to the limit', async () => {
      await setLimits({ user: 50 });
      const person = await newUser();
      // A script's key: its requests reach the limit without waiting on a session read each.
      const script = new TestClient(server.baseUrl, {
        bearer: (await person.client.post('/api/keys', { name: 'burst' })).body.key,
      });
      const conversationId = crypto.randomUUID();
      const first = userMessage('the first');
      assert.equal((await chat(person, { id: conversationId, messages: [first] })).status, 200);
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          chat(script, { id: conversationId, messages: [first, userMessage(`at once ${index}`)] }),
        ),
      );
      const statuses = results.map((result) => result.status).sort();
      assert.deepEqual(statuses, [...Array(49).fill(200), ...Array(11).fill(429)]);
      assert.equal(await usedToday(person), 50);
    });

    test('deleting conversations gives nothing back', async () => {
      await setLimits({ user: 2 });
      const person = await newUser();
      const conversations = [crypto.randomUUID(), crypto.randomUUID()];
      for (const id of conversations)
        assert.equal((await chat(person, { id, messages: [userMessage('soon deleted')] })).status, 200);
      for (const id of conversations)
        assert.equal((await person.client.delete(`/api/conversations/${id}`)).status, 204);
      assert.equal((await chat(person, { id: crypto.randomUUID(), messages: [userMessage('one more')] })).status, 429);
    });

    test('a turn that never reached a model is given back; a client’s retry of a message is not counted again', async () => {
      await setLimits({ user: 2 });
      const person = await newUser();
      const refused = await chat(person, {
        id: crypto.randomUUID(),
        messages: [userMessage('to nobody')],
        modelIds: ['fake:nope'],
      });
      assert.equal(refused.status, 400);
      assert.equal(await usedToday(person), 0, 'refused input');

      const conversationId = crypto.randomUUID();
      const message = userMessage('sent twice by a retrying client');
      assert.equal((await chat(person, { id: conversationId, messages: [message] })).status, 200);
      assert.equal(
        (await chat(person, { id: conversationId, messages: [message] })).status,
        200,
        'the retry re-attaches',
      );
      assert.equal(await usedToday(person), 1);
      assert.equal(
        (await chat(person, { id: conversationId, messages: [message, userMessage('and then')] })).status,
        200,
      );
      assert.equal(
        (await chat(person, { id: conversationId, messages: [message, userMessage('one too many')] })).status,
        429,
      );
    });

    test('/api/chat and /v1 draw on the same allowance', async () => {
      await setLimits({ user: 2 });
      const person = await newUser();
      const key = await person.client.post('/api/keys', { name: 'script' });
      assert.equal(key.status, 201);
      const complete = () =>
        fetch(`${server.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key.body.key}` },
          body: JSON.stringify({ model: 'fake:alpha', messages: [{ role: 'user', content: 'from a script' }] }),
        });
      assert.equal(
        (await chat(person, { id: crypto.randomUUID(), messages: [userMessage('from the web')] })).status,
        200,
      );
      assert.equal((await complete()).status, 200);
      assert.equal((await complete()).status, 429);
      assert.equal(
        (await chat(person, { id: crypto.randomUUID(), messages: [userMessage('from the web again')] })).status,
        429,
      );
    });
  });
}
