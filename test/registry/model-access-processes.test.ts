// A model closed by one server process is closed on the others soon after: each follows CHANNELS.modelAccess.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Runtime } from '../../src/runtime.ts';
import { followedSoon, openTwoProcesses, type TwoProcesses } from '../support/two-processes.ts';

describe('model access across server processes', {
  skip: !process.env.TEST_DATABASE_URL && 'needs TEST_DATABASE_URL',
}, () => {
  let processes: TwoProcesses;
  let first: Runtime;
  let second: Runtime;
  before(async () => {
    processes = await openTwoProcesses({ seed: true });
    ({ first, second } = processes);
  });
  after(() => processes?.close());

  test('closing a model to all but a group, and adding someone to it, reach the other process', async () => {
    const person = await first.store.users.create({ displayName: 'Member' });
    const closedTo = (runtime: Runtime) => runtime.modelSource.viewFor(person.id).denied?.has('local:echo') === true;
    assert.equal(closedTo(second), false);
    const group = await first.store.modelAccess.createGroup({ name: 'Few' });
    await first.store.modelAccess.setModelAccess({ modelId: 'local:echo', groupIds: [group.id], changedBy: null });
    assert.equal(closedTo(first), true, 'at once in the process that changed it');
    await followedSoon(() => closedTo(second), 'the model was closed');
    await first.store.modelAccess.setMembers(group.id, [person.id]);
    assert.equal(closedTo(first), false);
    await followedSoon(() => !closedTo(second), 'the person joined the group');
  });
});
