// Who an API key stands for is remembered briefly, shared by a burst, and forgotten everywhere when the key is revoked.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ACTOR_TTL_MS, ApiKeyActors } from '../../src/auth/api-key-actors.ts';
import { createApiKey } from '../../src/auth/api-keys.ts';
import type { Runtime } from '../../src/runtime.ts';
import { SYSTEM_ACTOR } from '../../src/store/actor.ts';
import { actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';
import { openTwoProcesses, type TwoProcesses } from '../support/two-processes.ts';

for (const kind of testBackends()) {
  describe(`API key actors on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    let lookups = 0;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
      const findActorByKeyHash = store.apiKeys.findActorByKeyHash.bind(store.apiKeys);
      store.apiKeys.findActorByKeyHash = (keyHash) => {
        lookups++;
        return findActorByKeyHash(keyHash);
      };
    });
    after(() => database.close());

    const newKey = async () => {
      const actor = actorOf(await store.users.create({ displayName: 'Scripter' }));
      return { actor, ...(await createApiKey(store, { actor, name: 'test' })) };
    };

    test('a burst of requests with one key reads the database once; the answer is kept until it expires', async () => {
      let now = 1_000;
      const actors = new ApiKeyActors(store, () => now);
      const { actor, key } = await newKey();
      lookups = 0;
      const found = await Promise.all(Array.from({ length: 50 }, () => actors.find(key)));
      assert.equal(lookups, 1);
      assert.ok(found.every((one) => one?.id === actor.id));
      now += ACTOR_TTL_MS - 1;
      await actors.find(key);
      assert.equal(lookups, 1, 'still fresh');
      now += 2;
      assert.equal((await actors.find(key))?.id, actor.id);
      assert.equal(lookups, 2, 'read again once expired');
    });

    test('unknown keys are never remembered, and what is not a key is not looked up', async () => {
      const actors = new ApiKeyActors(store);
      lookups = 0;
      assert.equal(await actors.find('chorus_not-a-real-key'), null);
      assert.equal(await actors.find('chorus_not-a-real-key'), null);
      assert.equal(lookups, 2);
      assert.equal(await actors.find('sk-something-else'), null);
      assert.equal(lookups, 2);
    });

    test('a deactivated user’s keys are forgotten at once in the process that deactivated them', async () => {
      const actors = new ApiKeyActors(store);
      const { actor, key } = await newKey();
      assert.equal((await actors.find(key))?.id, actor.id);
      await store.users.update(actor.id, { isActive: false });
      assert.equal(await actors.find(key), null);
    });

    test('revoking a key forgets it at once in the revoking process', async () => {
      const actors = new ApiKeyActors(store);
      const { actor, id, key } = await newKey();
      assert.equal((await actors.find(key))?.id, actor.id);
      await store.apiKeys.revoke({ actor, id });
      assert.equal(await actors.find(key), null);
    });
  });
}

describe('API key revocation across server processes', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  let processes: TwoProcesses;
  let first: Runtime;
  let second: Runtime;
  before(async () => {
    processes = await openTwoProcesses();
    ({ first, second } = processes);
  });
  after(() => processes?.close());

  const refusedSoon = async (runtime: Runtime, key: string, what: string) => {
    const deadline = Date.now() + 2_000;
    while ((await runtime.apiKeyActors.find(key)) !== null) {
      assert.ok(Date.now() < deadline, `the other process still accepts the key 2 s after ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  test('a key one process remembers stops working there soon after another process revokes it', async () => {
    const actor = actorOf(await first.store.users.create({ displayName: 'Roaming' }));
    const { id, key } = await createApiKey(first.store, { actor, name: 'everywhere' });
    assert.equal((await second.apiKeyActors.find(key))?.id, actor.id);
    await first.store.apiKeys.revoke({ actor, id });
    await refusedSoon(second, key, 'its revocation');
  });

  test('… and soon after another process deactivates its user', async () => {
    const actor = actorOf(await first.store.users.create({ displayName: 'Leaving' }));
    const { key } = await createApiKey(first.store, { actor, name: 'everywhere' });
    assert.equal((await second.apiKeyActors.find(key))?.id, actor.id);
    await first.store.users.update(actor.id, { isActive: false });
    await refusedSoon(second, key, 'the deactivation');
  });

  test('… and soon after an admin deactivates its user on another process (user administration)', async () => {
    const actor = actorOf(await first.store.users.create({ displayName: 'Dismissed' }));
    const { key } = await createApiKey(first.store, { actor, name: 'everywhere' });
    assert.equal((await second.apiKeyActors.find(key))?.id, actor.id);
    await first.userAdministration.change(SYSTEM_ACTOR, actor.id, { isActive: false });
    await refusedSoon(second, key, 'the deactivation');
  });
});
