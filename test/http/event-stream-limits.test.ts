// One person's live event streams (GET /api/conversations/:id/events) are capped per server process: each holds a
// subscription and a connection. The next one past CHORUS_MAX_EVENT_STREAMS_PER_USER is a 429 naming the cap; a
// stream that ends, or whose reader leaves, frees its place; other people are not affected.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { testBackends } from '../support/database.ts';
import { EventStream } from '../support/event-stream.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const CAP = 3;

for (const kind of testBackends()) {
  describe(`live event streams per person on ${kind}`, () => {
    let server: TestServer;
    let reader: Person;
    let readerKey: string;
    let otherKey: string;
    let conversationId: string;

    before(async () => {
      server = await startTestServer(kind, { CHORUS_MAX_EVENT_STREAMS_PER_USER: String(CAP) });
      reader = await signUp(server, 'Reader Rae');
      const other = await signUp(server, 'Other Oz');
      readerKey = (await createApiKey(server.runtime.store, { actor: reader.actor, name: 'tabs' })).key;
      otherKey = (await createApiKey(server.runtime.store, { actor: other.actor, name: 'tabs' })).key;
      const conversation = await server.runtime.store.conversations.create({
        actor: reader.actor,
        title: 'Live',
        visibility: 'public',
      });
      conversationId = conversation.id;
    });
    after(() => server?.close());

    const open = (bearer: string) => EventStream.open(server.baseUrl, conversationId, { bearer });

    /** Opens a stream, waiting (a little) for a place its reader left to be freed on the server. */
    async function openOnceFreed(bearer: string) {
      for (let attempt = 0; ; attempt++) {
        const opened = await open(bearer);
        if (opened.status !== 429 || attempt === 50) return opened;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }

    test('past the cap a stream is a 429 naming it; a stream closed by its reader frees its place', async () => {
      const streams: EventStream[] = [];
      for (let index = 0; index < CAP; index++) {
        const opened = await open(readerKey);
        assert.equal(opened.status, 200);
        if ('stream' in opened) streams.push(opened.stream);
      }
      const refused = await open(readerKey);
      assert.equal(refused.status, 429);
      const body = (refused as { body: { error: { code: string; message: string } } }).body;
      assert.equal(body.error.code, 'rate_limited');
      assert.match(
        body.error.message,
        new RegExp(`live event streams open, the most one person may hold at once \\(${CAP}\\)`),
      );

      const someoneElse = await open(otherKey);
      assert.equal(someoneElse.status, 200, 'the cap is per person');
      if ('stream' in someoneElse) await someoneElse.stream.close();

      await streams.pop()!.close();
      const again = await openOnceFreed(readerKey);
      assert.equal(again.status, 200, 'the closed stream freed its place');
      if ('stream' in again) streams.push(again.stream);
      await Promise.all(streams.map((stream) => stream.close()));
    });

    test("a deactivated person's open streams end at once; a change of name ends none; others' stay open", async () => {
      const member = await signUp(server, `Member ${kind}`);
      const key = (await createApiKey(server.runtime.store, { actor: member.actor, name: 'tab' })).key;
      const opened = await open(key);
      const othersOpened = await open(otherKey);
      assert.ok('stream' in opened && 'stream' in othersOpened);
      /** Whether the server ended the stream within `ms`. */
      const ended = (stream: EventStream, ms = 500) =>
        Promise.race([stream.ended.then(() => true), new Promise((resolve) => setTimeout(resolve, ms, false))]);

      await server.runtime.store.users.update(member.id, { displayName: 'Renamed' });
      assert.equal(await ended(opened.stream), false, 'a new name leaves the stream open');

      await server.runtime.store.userAdministration.change(member.id, { isActive: false });
      assert.equal(await ended(opened.stream, 10_000), true, 'the deactivated person’s stream ended');
      assert.equal(await ended(othersOpened.stream), false, "someone else's stream stays open");
      const again = await open(key);
      assert.equal(again.status, 401, 'and the deactivated person cannot open another');
      await othersOpened.stream.close();
    });

    test('a refused open (no such conversation) takes no place', async () => {
      const newcomer = await signUp(server, `Newcomer ${kind}`);
      const key = (await createApiKey(server.runtime.store, { actor: newcomer.actor, name: 'tabs' })).key;
      for (let index = 0; index < CAP + 2; index++) {
        const response = await fetch(`${server.baseUrl}/api/conversations/${crypto.randomUUID()}/events`, {
          headers: { authorization: `Bearer ${key}` },
        });
        assert.equal(response.status, 404);
      }
      const streams: EventStream[] = [];
      for (let index = 0; index < CAP; index++) {
        const opened = await open(key);
        assert.equal(opened.status, 200);
        if ('stream' in opened) streams.push(opened.stream);
      }
      await Promise.all(streams.map((stream) => stream.close()));
    });
  });
}
