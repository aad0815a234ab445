// A model closed by one server process is closed on the others soon after: each follows CHANNELS.modelAccess.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readEnvironment } from '../../src/config/env.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { createPostgresDatabase } from '../support/database.ts';

describe('model access across server processes', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  let drop: () => Promise<void>;
  let first: Runtime;
  let second: Runtime;
  before(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    const env = readEnvironment({ DATABASE_URL: created.url, PUBLIC_URL: 'http://chorus.test' });
    first = await openRuntime(env, { registerDeclaredModels: false });
    second = await openRuntime(env, { migrate: false, seedIfEmpty: false, registerDeclaredModels: false });
  });
  after(async () => {
    await Promise.allSettled([first?.close(), second?.close()]);
    await drop?.();
  });

  const soon = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 2_000;
    while (!check()) {
      assert.ok(Date.now() < deadline, `the other process has not followed 2 s after ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  test('closing a model to all but a group, and adding someone to it, reach the other process', async () => {
    const person = await first.store.users.create({ displayName: 'Member' });
    const closedTo = (runtime: Runtime) => runtime.modelSource.viewFor(person.id).denied?.has('local:echo') === true;
    assert.equal(closedTo(second), false);
    const group = await first.store.modelAccess.createGroup({ name: 'Few' });
    await first.store.modelAccess.setModelAccess({ modelId: 'local:echo', groupIds: [group.id], changedBy: null });
    assert.equal(closedTo(first), true, 'at once in the process that changed it');
    await soon(() => closedTo(second), 'the model was closed');
    await first.store.modelAccess.setMembers(group.id, [person.id]);
    assert.equal(closedTo(first), false);
    await soon(() => !closedTo(second), 'the person joined the group');
  });
});
