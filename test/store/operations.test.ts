import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

for (const kind of testBackends()) {
  describe(`operations stores on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async (role: 'user' | 'admin' = 'user'): Promise<Actor> => {
      const created = await store.users.create({ displayName: 'Operator' });
      const user = role === 'admin' ? await store.users.update(created.id, { role: 'admin' }) : created;
      return actorOf(user);
    };

    describe('transcripts', () => {
      const transcriptOf = (conversationId: string, storageKey: string) => ({
        conversationId,
        storageKey,
        format: 'json' as const,
        fileSizeBytes: 5_000_000_000,
        messageCount: 42,
      });

      test('a reader records transcripts of a conversation and lists them newest first', async () => {
        const owner = await newUser();
        const conversation = await store.conversations.create({ actor: owner });
        const first = await store.transcripts.record({ actor: owner, ...transcriptOf(conversation.id, 'a.json') });
        await sleep(5);
        const second = await store.transcripts.record({ actor: owner, ...transcriptOf(conversation.id, 'b.json') });
        assert.equal(first.createdBy, owner.id);
        assert.equal(first.fileSizeBytes, 5_000_000_000);
        const listed = await store.transcripts.listForConversation({ actor: owner, conversationId: conversation.id });
        assert.deepEqual(
          listed.map((row) => row.storageKey),
          ['b.json', 'a.json'],
        );
        assert.equal((await store.transcripts.get({ actor: owner, id: second.id })).storageKey, 'b.json');
      });

      test('a stranger can neither record, list nor fetch transcripts of a private conversation', async () => {
        const owner = await newUser();
        const stranger = await newUser();
        const conversation = await store.conversations.create({ actor: owner });
        const recorded = await store.transcripts.record({ actor: owner, ...transcriptOf(conversation.id, 'c.csv') });
        await assert.rejects(
          store.transcripts.record({ actor: stranger, ...transcriptOf(conversation.id, 'stolen.json') }),
          { code: 'not_found' },
        );
        await assert.rejects(
          store.transcripts.listForConversation({ actor: stranger, conversationId: conversation.id }),
          {
            code: 'not_found',
          },
        );
        await assert.rejects(store.transcripts.get({ actor: stranger, id: recorded.id }), { code: 'not_found' });
      });

      test('a conversation without transcripts lists none', async () => {
        const owner = await newUser();
        const conversation = await store.conversations.create({ actor: owner });
        assert.deepEqual(
          await store.transcripts.listForConversation({ actor: owner, conversationId: conversation.id }),
          [],
        );
      });
    });

    describe('metrics', () => {
      test('metrics are found by type, by bot and by time range, newest first and limited', async () => {
        const base = Date.parse('2030-01-01T00:00:00.000Z');
        const at = (minutes: number) => new Date(base + minutes * 60_000);
        const recorded: [string, string, Record<string, unknown>][] = [
          ['bot-a', 'latency', { ms: 10 }],
          ['bot-a', 'latency', { ms: 20 }],
          ['bot-b', 'latency', { ms: 30 }],
          ['bot-a', 'messages', { count: 3 }],
        ];
        for (const [minute, [clientBotId, metricType, metricData]] of recorded.entries()) {
          await store.metrics.record({ clientBotId, metricType, metricData, timestamp: at(minute) });
        }

        const latency = await store.metrics.query({ metricType: 'latency', from: at(0), to: at(10) });
        assert.deepEqual(
          latency.map((metric) => metric.metricData.ms),
          [30, 20, 10],
        );
        const botA = await store.metrics.query({ clientBotId: 'bot-a', from: at(0) });
        assert.deepEqual(
          botA.map((metric) => metric.metricType),
          ['messages', 'latency', 'latency'],
        );
        const both = await store.metrics.query({ metricType: 'latency', clientBotId: 'bot-a', from: at(0) });
        assert.equal(both.length, 2);
        // `from` is inclusive and `to` exclusive.
        const window = await store.metrics.query({ from: at(1), to: at(3) });
        assert.deepEqual(
          window.map((metric) => metric.timestamp.getTime()),
          [at(2).getTime(), at(1).getTime()],
        );
        assert.equal((await store.metrics.query({ from: at(0), limit: 1 })).length, 1);
      });

      test('a metric recorded without a time is stamped now', async () => {
        const before = Date.now();
        const metric = await store.metrics.record({ clientBotId: 'bot-c', metricType: 'heartbeat' });
        assert.ok(Math.abs(metric.timestamp.getTime() - before) < 60_000);
        assert.deepEqual(metric.metricData, {});
      });
    });

    describe('system configs', () => {
      test('an admin sets keys; get reads one, getAll lists them by key', async () => {
        const admin = await newUser('admin');
        await store.systemConfigs.set({ actor: admin, key: 'test.b', value: { mode: 'database', percent: 10 } });
        await store.systemConfigs.set({ actor: admin, key: 'test.a', value: 'static' });
        const config = await store.systemConfigs.get('test.b');
        assert.deepEqual(config?.value, { mode: 'database', percent: 10 });
        assert.equal(config?.updatedBy, admin.id);
        assert.equal(await store.systemConfigs.get('test.missing'), undefined);
        const keys = (await store.systemConfigs.getAll())
          .map((row) => row.key)
          .filter((key) => key.startsWith('test.'));
        assert.deepEqual(keys, ['test.a', 'test.b']);
      });

      test('every change leaves an audit row with the old value, the new value and who changed it', async () => {
        const admin = await newUser('admin');
        const otherAdmin = await newUser('admin');
        await store.systemConfigs.set({ actor: admin, key: 'audit.flag', value: false });
        await store.systemConfigs.set({ actor: otherAdmin, key: 'audit.flag', value: true });
        await store.systemConfigs.set({ actor: admin, key: 'audit.flag', value: [1, 2] });
        const history = await store.systemConfigs.history('audit.flag');
        assert.deepEqual(
          history.map((change) => [change.oldValue, change.newValue, change.changedBy]),
          [
            [true, [1, 2], admin.id],
            [false, true, otherAdmin.id],
            [null, false, admin.id],
          ],
        );
        assert.ok(history.every((change) => change.changedAt instanceof Date));
        assert.deepEqual((await store.systemConfigs.get('audit.flag'))?.value, [1, 2]);
      });

      test('only admins change configuration, and a refused change leaves no trace', async () => {
        const user = await newUser();
        await assert.rejects(store.systemConfigs.set({ actor: user, key: 'guarded', value: 1 }), { code: 'forbidden' });
        assert.equal(await store.systemConfigs.get('guarded'), undefined);
        assert.deepEqual(await store.systemConfigs.history('guarded'), []);
      });

      test('a value is required', async () => {
        const admin = await newUser('admin');
        await assert.rejects(store.systemConfigs.set({ actor: admin, key: 'empty', value: undefined }), {
          code: 'invalid_input',
        });
      });

      test('simultaneous changes of one key are each audited with the value they really replaced', async () => {
        const admins = await Promise.all([newUser('admin'), newUser('admin'), newUser('admin')]);
        await Promise.all(admins.map((actor, index) => store.systemConfigs.set({ actor, key: 'race', value: index })));
        const history = (await store.systemConfigs.history('race')).reverse();
        assert.equal(history.length, 3);
        // Oldest first, the changes form one chain: each replaced exactly what the one before it wrote.
        assert.equal(history[0]!.oldValue, null);
        for (let index = 1; index < history.length; index++) {
          assert.equal(history[index]!.oldValue, history[index - 1]!.newValue);
        }
        assert.equal((await store.systemConfigs.get('race'))?.value, history.at(-1)!.newValue);
      });
    });

    describe('backup logs', () => {
      test('a backup goes from started through in progress to completed, with its file facts', async () => {
        const started = await store.backupLogs.start({ backupType: 'full' });
        assert.equal(started.status, 'started');
        const running = await store.backupLogs.markInProgress(started.id);
        assert.equal(running.status, 'in_progress');
        const completed = await store.backupLogs.complete({
          id: started.id,
          filePath: 'backups/full-1.tar.gz',
          fileSizeBytes: 12_345_678_901,
          checksum: 'sha256:abc',
        });
        assert.equal(completed.status, 'completed');
        assert.equal(completed.fileSizeBytes, 12_345_678_901);
        assert.equal(completed.checksum, 'sha256:abc');
        assert.ok(completed.completedAt && completed.completedAt >= completed.startedAt);
      });

      test('a failed backup keeps its error, and an ended backup cannot change again', async () => {
        const started = await store.backupLogs.start({ backupType: 'full' });
        const failed = await store.backupLogs.fail({ id: started.id, errorMessage: 'disk full' });
        assert.deepEqual([failed.status, failed.errorMessage], ['failed', 'disk full']);
        await assert.rejects(
          store.backupLogs.complete({ id: started.id, filePath: 'x', fileSizeBytes: 1, checksum: 'y' }),
          { code: 'conflict' },
        );
        await assert.rejects(store.backupLogs.markInProgress(started.id), { code: 'conflict' });
        await assert.rejects(store.backupLogs.markInProgress('00000000-0000-4000-8000-000000000000'), {
          code: 'not_found',
        });
      });

      test('logs list newest first; the latest completed backup is the newest completed one of its type', async () => {
        const facts = { filePath: 'f', fileSizeBytes: 1, checksum: 'c' };
        const olderFull = await store.backupLogs.start({ backupType: 'listing-full' });
        await store.backupLogs.complete({ id: olderFull.id, ...facts });
        await sleep(5);
        const newerFull = await store.backupLogs.start({ backupType: 'listing-full' });
        await store.backupLogs.complete({ id: newerFull.id, ...facts });
        await sleep(5);
        const newestFailed = await store.backupLogs.start({ backupType: 'listing-full' });
        await store.backupLogs.fail({ id: newestFailed.id, errorMessage: 'nope' });
        await sleep(5);
        const otherType = await store.backupLogs.start({ backupType: 'listing-schema' });
        await store.backupLogs.complete({ id: otherType.id, ...facts });

        const listed = await store.backupLogs.list({ backupType: 'listing-full' });
        assert.deepEqual(
          listed.map((log) => log.id),
          [newestFailed.id, newerFull.id, olderFull.id],
        );
        assert.equal((await store.backupLogs.list({ status: 'failed', backupType: 'listing-full' })).length, 1);
        assert.equal((await store.backupLogs.latestCompleted({ backupType: 'listing-full' }))?.id, newerFull.id);
        assert.equal((await store.backupLogs.latestCompleted())?.id, otherType.id);
        assert.equal(await store.backupLogs.latestCompleted({ backupType: 'never-ran' }), undefined);
      });
    });
  });
}
