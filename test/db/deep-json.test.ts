// JSON nested far deeper than any person writes (the HTTP edge refuses it) still reads back as written on either
// database, and a conversation that holds it stays readable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const DEPTH = 2_000;

function nested(depth: number): unknown {
  let value: unknown = 'the bottom';
  for (let level = 0; level < depth; level++) value = { inside: value };
  return value;
}

function depthOf(value: unknown): number {
  let depth = 0;
  for (
    let current = value;
    current !== null && typeof current === 'object';
    current = (current as { inside: unknown }).inside
  )
    depth++;
  return depth;
}

for (const kind of testBackends()) {
  describe(`deeply nested JSON on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database?.close());

    test(`a message part nested ${DEPTH} deep is saved, and its conversation reads back whole`, {
      timeout: 60_000,
    }, async () => {
      const actor = actorOf(await store.users.create({ displayName: 'Nester' }));
      const conversation = await store.conversations.create({ actor, title: 'deep' });
      const parts = [
        { type: 'text', text: 'look inside' },
        { type: 'data-nested', data: nested(DEPTH) },
      ];
      await store.messages.save({
        actor,
        conversationId: conversation.id,
        messages: [{ role: 'user', content: 'look inside', parts: parts as never }],
      });
      for (let read = 0; read < 3; read++) {
        // Read more than once: the embedded database prepares a statement seen before, and answers through it.
        const page = await store.messages.page({ actor, conversationId: conversation.id });
        assert.equal(page.items.length, 1);
        const [text, deep] = page.items[0]!.parts as Array<{ type: string; text?: string; data?: unknown }>;
        assert.deepEqual(text, parts[0]);
        assert.equal(deep!.type, 'data-nested');
        assert.equal(depthOf(deep!.data), DEPTH);
      }
    });
  });
}
