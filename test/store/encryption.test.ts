import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import {
  EncryptionError,
  Keyring,
  keyIdOf,
  keyringFromEnvironment,
  parseEncryptionKey,
} from '../../src/crypto/encryption.ts';
import { conversations, messages } from '../../src/db/schema/index.ts';
import { AppError } from '../../src/errors.ts';
import { ConversationStore } from '../../src/store/conversations.ts';
import { type Actor, actorOf, createStore, type Store } from '../../src/store/index.ts';
import type { MessageStore } from '../../src/store/messages.ts';
import { rotateTitleEncryption } from '../../src/store/title-encryption.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const newKey = () => randomBytes(32);

describe('keyring', () => {
  test('a key is 32 bytes as hex or base64, named by the first 16 hex characters of its SHA-256', () => {
    const key = newKey();
    const expectedId = createHash('sha256').update(key).digest('hex').slice(0, 16);
    assert.equal(keyIdOf(key), expectedId);
    for (const written of [
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      key.toString('base64'),
      key.toString('base64url'),
    ]) {
      assert.deepEqual(parseEncryptionKey(written), key);
      assert.equal(new Keyring(written).currentKeyId, expectedId);
    }
  });

  test('a key of the wrong length or alphabet is rejected with a message naming the setting, never the key', () => {
    const short = randomBytes(16).toString('base64');
    const cases = [short, randomBytes(31).toString('hex'), 'not a key at all!', randomBytes(48).toString('base64')];
    for (const written of cases) {
      assert.throws(
        () => parseEncryptionKey(written, 'CHORUS_ENCRYPTION_KEY'),
        (error: Error) =>
          error instanceof EncryptionError &&
          error.message.startsWith('CHORUS_ENCRYPTION_KEY must be 32 bytes') &&
          !error.message.includes(written),
      );
    }
  });

  test('what is encrypted decrypts to the same text, with a fresh iv every time', () => {
    const keyring = new Keyring(newKey());
    const first = keyring.encrypt('{"content":"héllo"}', 'row-1');
    const second = keyring.encrypt('{"content":"héllo"}', 'row-1');
    assert.equal(first.keyId, keyring.currentKeyId);
    assert.notDeepEqual(first.ciphertext, second.ciphertext);
    assert.equal(first.ciphertext.length, 12 + 16 + Buffer.byteLength('{"content":"héllo"}'));
    assert.equal(keyring.decrypt(first.ciphertext, first.keyId, 'row-1'), '{"content":"héllo"}');
  });

  test('a previous key still decrypts; new values use the current key', () => {
    const oldKey = newKey();
    const sealed = new Keyring(oldKey).encrypt('old secret');
    const rotated = new Keyring(newKey(), [oldKey]);
    assert.equal(rotated.decrypt(sealed.ciphertext, sealed.keyId), 'old secret');
    assert.notEqual(rotated.encrypt('new').keyId, sealed.keyId);
  });

  test('an unknown key id is an error naming the expected key id and saying the key is wrong or missing', () => {
    const sealed = new Keyring(newKey()).encrypt('secret');
    const other = new Keyring(newKey());
    assert.throws(
      () => other.decrypt(sealed.ciphertext, sealed.keyId),
      (error: Error) =>
        error instanceof EncryptionError &&
        error instanceof AppError &&
        error.code === 'internal' &&
        error.message.includes(sealed.keyId) &&
        /wrong or missing/.test(error.message),
    );
  });

  test('altered data or a different associated value fails authentication, never garbage', () => {
    const keyring = new Keyring(newKey());
    const sealed = keyring.encrypt('secret', 'row-1');
    const altered = Buffer.from(sealed.ciphertext);
    altered[altered.length - 1]! ^= 1;
    const failsAuthentication = (error: Error) =>
      error instanceof EncryptionError && error.message.includes(sealed.keyId) && /authentication/.test(error.message);
    assert.throws(() => keyring.decrypt(altered, sealed.keyId, 'row-1'), failsAuthentication);
    assert.throws(() => keyring.decrypt(sealed.ciphertext, sealed.keyId, 'row-2'), failsAuthentication);
    assert.throws(() => keyring.decrypt(sealed.ciphertext.subarray(0, 20), sealed.keyId, 'row-1'), /truncated/);
  });

  test('the environment gives no keyring without a key, and previous keys as a comma-separated list', () => {
    assert.equal(keyringFromEnvironment({}), null);
    const [current, first, second] = [newKey(), newKey(), newKey()];
    const keyring = keyringFromEnvironment({
      CHORUS_ENCRYPTION_KEY: current.toString('base64'),
      CHORUS_ENCRYPTION_PREVIOUS_KEYS: ` ${first.toString('hex')}, ${second.toString('base64')} ,`,
    })!;
    assert.deepEqual(keyring.keyIds, [keyIdOf(current), keyIdOf(first), keyIdOf(second)]);
    assert.throws(
      () =>
        keyringFromEnvironment({
          CHORUS_ENCRYPTION_KEY: current.toString('hex'),
          CHORUS_ENCRYPTION_PREVIOUS_KEYS: 'abc',
        }),
      /CHORUS_ENCRYPTION_PREVIOUS_KEYS entry #1 must be 32 bytes/,
    );
    assert.throws(
      () => keyringFromEnvironment({ CHORUS_ENCRYPTION_PREVIOUS_KEYS: first.toString('hex') }),
      /CHORUS_ENCRYPTION_KEY is not/,
    );
  });
});

/** Every byte the database holds about its data: pg_dump for Postgres, the raw data directory for PGlite. */
async function dumpDatabase(database: TestDatabase): Promise<Buffer> {
  if (database.kind === 'postgres') {
    const dump = spawnSync('pg_dump', ['--no-owner', database.url!], { maxBuffer: 256 * 1024 * 1024 });
    assert.equal(dump.status, 0, dump.stderr?.toString());
    return dump.stdout;
  }
  const client = database.pglite!;
  await client.query('checkpoint');
  // Uncompressed: table files and write-ahead log as they are, so any stored plaintext shows.
  return Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
}

/** Plaintext as text, and as the hex pg_dump writes bytea in (so text hidden in a bytea column shows too). */
const plaintextIn = (dump: Buffer, text: string) =>
  dump.includes(Buffer.from(text)) || dump.includes(Buffer.from(Buffer.from(text).toString('hex')));

const pgDumpAvailable = () => spawnSync('pg_dump', ['--version']).status === 0;

for (const kind of testBackends()) {
  describe(`messages encrypted at rest on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => {
      const user = await store.users.create({ displayName: 'Someone' });
      return actorOf(user);
    };
    const chatWith = async (messageStore: MessageStore, secret: string) => {
      const owner = await newUser();
      const conversation = await store.conversations.create({ actor: owner, title: 'Chat' });
      const [message] = await messageStore.save({
        actor: owner,
        conversationId: conversation.id,
        messages: [
          {
            role: 'user',
            content: `${secret} content`,
            parts: [{ type: 'text', text: `${secret} part` }],
            attachments: [{ key: 'files/x', name: `${secret} file.pdf`, mediaType: 'application/pdf', sizeBytes: 1 }],
          },
        ],
      });
      return { owner, conversation, message: message! };
    };
    const storedRow = async (id: string) => (await database.db.select().from(messages).where(eq(messages.id, id)))[0]!;
    const skipWithoutPgDump = kind === 'postgres' && !pgDumpAvailable() ? 'pg_dump is not installed' : false;

    test('without a key the text is in the dump: the check below can see plaintext', {
      skip: skipWithoutPgDump,
    }, async () => {
      const secret = `visible-${randomUUID()}`;
      await chatWith(createStore(database.db, { keyring: null }).messages, secret);
      const dump = await dumpDatabase(database);
      for (const field of ['content', 'part', 'file.pdf']) assert.ok(plaintextIn(dump, `${secret} ${field}`), field);
    });

    test('with a key no plaintext of a message is anywhere in a dump of the database', {
      skip: skipWithoutPgDump,
    }, async () => {
      const secret = `hidden-${randomUUID()}`;
      const keyring = new Keyring(newKey());
      const { messages: encrypted, replies } = createStore(database.db, { keyring });
      const { owner, message } = await chatWith(encrypted, secret);
      const [pending] = await replies.createPendingReplies(message.conversationId, [{}]);
      await replies.saveTexts([
        { id: pending!.id, text: { content: `${secret} stre`, parts: [{ type: 'text', text: `${secret} stre` }] } },
      ]);
      await replies.finish(pending!.id, {
        content: `${secret} streamed`,
        parts: [{ type: 'text', text: `${secret} streamed` }],
        status: 'complete',
        metadata: {},
      });
      const reply = await encrypted.getById({ actor: owner, id: pending!.id });
      assert.deepEqual(
        [reply.content, reply.status],
        [`${secret} streamed`, 'complete'],
        'sealed, and read back whole',
      );
      const dump = await dumpDatabase(database);
      assert.ok(!dump.includes(Buffer.from(secret)), 'the secret must not appear in the dump');
      assert.ok(!plaintextIn(dump, secret));
    });

    test('the row holds only ciphertext and the key id; reads decrypt content, parts and attachments', async () => {
      const keyring = new Keyring(newKey());
      const encrypted = createStore(database.db, { keyring: keyring }).messages;
      const { owner, conversation, message } = await chatWith(encrypted, 'read-back');
      const row = await storedRow(message.id);
      assert.equal(row.content, null);
      assert.deepEqual(row.parts, []);
      assert.deepEqual(row.attachments, []);
      assert.equal(row.encryptionKeyId, keyring.currentKeyId);
      assert.ok(row.encryptedContent && row.encryptedContent.length > 28);
      const read = await encrypted.getById({ actor: owner, id: message.id });
      assert.equal(read.content, 'read-back content');
      assert.deepEqual(read.parts, [{ type: 'text', text: 'read-back part' }]);
      assert.equal(read.attachments[0]!.name, 'read-back file.pdf');
      assert.equal(Object.hasOwn(read, 'encryptedContent'), false);
      const page = await encrypted.page({ actor: owner, conversationId: conversation.id });
      assert.equal(page.items[0]!.content, 'read-back content');
    });

    test('reading an encrypted message without a key, or with another key, is a clear error naming the key id', async () => {
      const keyring = new Keyring(newKey());
      const { owner, conversation, message } = await chatWith(
        createStore(database.db, { keyring: keyring }).messages,
        'locked',
      );
      const expectation = (pattern: RegExp) => (error: Error) =>
        error instanceof EncryptionError &&
        error.message.includes(keyring.currentKeyId) &&
        error.message.includes(message.id) &&
        pattern.test(error.message) &&
        !error.message.includes('locked');
      const withoutKey = createStore(database.db, { keyring: null }).messages;
      const withOtherKey = createStore(database.db, { keyring: new Keyring(newKey()) }).messages;
      await assert.rejects(
        withoutKey.getById({ actor: owner, id: message.id }),
        expectation(/no encryption key is configured/),
      );
      await assert.rejects(
        withoutKey.page({ actor: owner, conversationId: conversation.id }),
        expectation(/CHORUS_ENCRYPTION_KEY/),
      );
      await assert.rejects(withOtherKey.getById({ actor: owner, id: message.id }), expectation(/wrong or missing/));
    });

    test('ciphertext copied onto another message does not open there', async () => {
      const keyring = new Keyring(newKey());
      const encrypted = createStore(database.db, { keyring: keyring }).messages;
      const source = await chatWith(encrypted, 'original');
      const target = await chatWith(encrypted, 'victim');
      const stolen = await storedRow(source.message.id);
      await database.db
        .update(messages)
        .set({ encryptedContent: stolen.encryptedContent })
        .where(eq(messages.id, target.message.id));
      await assert.rejects(encrypted.getById({ actor: target.owner, id: target.message.id }), /failed authentication/);
    });
  });
}

for (const kind of testBackends()) {
  describe(`conversation titles encrypted at rest on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    const newUser = async (): Promise<Actor> => actorOf(await store.users.create({ displayName: 'Someone' }));
    const storedTitle = async (id: string) =>
      (await database.db.select().from(conversations).where(eq(conversations.id, id)))[0]!;
    const skipWithoutPgDump = kind === 'postgres' && !pgDumpAvailable() ? 'pg_dump is not installed' : false;

    test('with a key a title is stored only sealed, however it is written, and every read gives it in the clear', async () => {
      const keyring = new Keyring(newKey());
      const encrypted = createStore(database.db, { keyring });
      const owner = await newUser();
      const created = await encrypted.conversations.create({ actor: owner, title: 'Plans for the launch' });
      const firstMessage = await encrypted.messages.saveInNewConversation({
        actor: owner,
        conversation: { id: randomUUID(), title: 'From the first message' },
        messages: [{ role: 'user', content: 'hello', parts: [{ type: 'text', text: 'hello' }] }],
      });
      assert.equal(created.title, 'Plans for the launch');
      assert.equal(firstMessage.conversation.title, 'From the first message');
      for (const { id } of [created, firstMessage.conversation]) {
        const row = await storedTitle(id);
        assert.equal(row.title, null);
        assert.equal(row.titleKeyId, keyring.currentKeyId);
        assert.ok(row.encryptedTitle && row.encryptedTitle.length > 28);
        assert.equal(Object.hasOwn(await encrypted.conversations.get({ actor: owner, id }), 'encryptedTitle'), false);
      }
      const renamed = await encrypted.conversations.update({
        actor: owner,
        id: created.id,
        changes: { title: 'Renamed' },
      });
      assert.equal(renamed.title, 'Renamed');
      assert.equal((await storedTitle(created.id)).title, null);
      assert.equal((await encrypted.conversations.get({ actor: owner, id: created.id })).title, 'Renamed');
      const listed = await encrypted.conversations.listForUser({ actor: owner });
      assert.deepEqual(listed.items.map((item) => item.title).sort(), ['From the first message', 'Renamed']);
      const writable = await encrypted.conversations.findWritableWithMembers({ actor: owner, id: created.id });
      assert.equal(writable!.conversation.title, 'Renamed');
      assert.equal(encrypted.conversations.open(await storedTitle(created.id)).title, 'Renamed');
      const untitled = await encrypted.conversations.create({ actor: owner });
      assert.deepEqual([untitled.title, (await storedTitle(untitled.id)).encryptedTitle], [null, null]);
    });

    test('with a key no title is anywhere in a dump of the database', { skip: skipWithoutPgDump }, async () => {
      const secret = `title-${randomUUID()}`;
      const encrypted = createStore(database.db, { keyring: new Keyring(newKey()) });
      const owner = await newUser();
      const conversation = await encrypted.conversations.create({ actor: owner, title: `${secret} one` });
      await encrypted.conversations.update({ actor: owner, id: conversation.id, changes: { title: `${secret} two` } });
      const dump = await dumpDatabase(database);
      assert.ok(!plaintextIn(dump, secret));
    });

    test('reading an encrypted title without a key, or with another key, is a clear error naming the key id', async () => {
      const keyring = new Keyring(newKey());
      const owner = await newUser();
      const conversation = await new ConversationStore(database.db, keyring).create({
        actor: owner,
        title: 'locked title',
      });
      const expectation = (pattern: RegExp) => (error: Error) =>
        error instanceof EncryptionError &&
        error.message.includes(keyring.currentKeyId) &&
        error.message.includes(conversation.id) &&
        pattern.test(error.message) &&
        !error.message.includes('locked title');
      await assert.rejects(
        new ConversationStore(database.db, null).get({ actor: owner, id: conversation.id }),
        expectation(/no encryption key is configured/),
      );
      await assert.rejects(
        new ConversationStore(database.db, new Keyring(newKey())).listForUser({ actor: owner }),
        expectation(/wrong or missing/),
      );
    });

    test('a sealed title copied onto another conversation does not open there', async () => {
      const keyring = new Keyring(newKey());
      const titles = new ConversationStore(database.db, keyring);
      const owner = await newUser();
      const source = await titles.create({ actor: owner, title: 'original' });
      const target = await titles.create({ actor: owner, title: 'victim' });
      const stolen = await storedTitle(source.id);
      await database.db
        .update(conversations)
        .set({ encryptedTitle: stolen.encryptedTitle })
        .where(eq(conversations.id, target.id));
      await assert.rejects(titles.get({ actor: owner, id: target.id }), /failed authentication/);
    });
  });
}

for (const kind of testBackends()) {
  // A database of its own: rotation walks every message, and the suite above leaves rows under forgotten keys.
  describe(`rotating the encryption key on ${kind}`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await openTestDatabase(kind);
      store = createStore(database.db);
    });
    after(() => database.close());

    test('rotation moves every message to the new key and encrypts plaintext ones; then only the new key is needed', async () => {
      const user = await store.users.create({ displayName: 'Someone' });
      const owner: Actor = actorOf(user);
      const conversation = await store.conversations.create({ actor: owner, title: 'Chat' });
      const [oldKey, nextKey] = [newKey(), newKey()];
      const say = (content: string) => ({ role: 'user' as const, content, parts: [{ type: 'text', text: content }] });
      const save = (keyring: Keyring | null, contents: string[]) =>
        createStore(database.db, { keyring: keyring }).messages.save({
          actor: owner,
          conversationId: conversation.id,
          messages: contents.map(say),
        });
      await save(null, ['plain 1', 'plain 2', 'plain 3', 'plain 4', 'plain 5']);
      await save(new Keyring(oldKey), ['old 1', 'old 2', 'old 3', 'old 4']);

      await assert.rejects(
        createStore(database.db, { keyring: new Keyring(nextKey) }).messages.rotateEncryption({
          keyring: new Keyring(nextKey),
        }),
        (error: Error) => error instanceof EncryptionError && error.message.includes(keyIdOf(oldKey)),
        'rotating without the old key stops with a clear error',
      );

      const rotating = new Keyring(nextKey, [oldKey]);
      const progress: number[] = [];
      const counts = await createStore(database.db, { keyring: rotating }).messages.rotateEncryption({
        keyring: rotating,
        batchSize: 2,
        onProgress: (current) => progress.push(current.scanned),
      });
      assert.deepEqual(counts, { scanned: 9, encrypted: 5, reencrypted: 4 });
      assert.deepEqual(progress, [2, 4, 6, 8, 9]);
      const rows = await database.db.select().from(messages).where(eq(messages.conversationId, conversation.id));
      assert.ok(rows.every((row) => row.encryptionKeyId === keyIdOf(nextKey) && row.content === null));

      const afterRotation = createStore(database.db, { keyring: new Keyring(nextKey) }).messages;
      const page = await afterRotation.page({ actor: owner, conversationId: conversation.id });
      assert.deepEqual(
        page.items.map((message) => message.content),
        ['old 4', 'old 3', 'old 2', 'old 1', 'plain 5', 'plain 4', 'plain 3', 'plain 2', 'plain 1'],
      );
      assert.deepEqual(page.items[0]!.parts, [{ type: 'text', text: 'old 4' }]);
      assert.deepEqual(await afterRotation.rotateEncryption({ keyring: new Keyring(nextKey) }), {
        scanned: 0,
        encrypted: 0,
        reencrypted: 0,
      });
    });

    test('rotation moves every title to the new key and encrypts plaintext ones; untitled conversations stay as they are', async () => {
      const user = await store.users.create({ displayName: 'Someone' });
      const owner: Actor = actorOf(user);
      const [oldKey, nextKey] = [newKey(), newKey()];
      const plain = await Promise.all(
        ['plain 1', 'plain 2', 'plain 3'].map((title) => store.conversations.create({ actor: owner, title })),
      );
      const sealed = new ConversationStore(database.db, new Keyring(oldKey));
      const old = await Promise.all(['old 1', 'old 2'].map((title) => sealed.create({ actor: owner, title })));
      await store.conversations.create({ actor: owner });

      await assert.rejects(
        rotateTitleEncryption(database.db, { keyring: new Keyring(nextKey) }),
        (error: Error) => error instanceof EncryptionError && error.message.includes(keyIdOf(oldKey)),
        'rotating without the old key stops with a clear error',
      );
      const counts = await rotateTitleEncryption(database.db, {
        keyring: new Keyring(nextKey, [oldKey]),
        batchSize: 2,
      });
      // The conversation of the test above ('Chat', in the clear) is one of the database's titles too.
      assert.deepEqual(counts, { scanned: 6, encrypted: 4, reencrypted: 2 });
      const rows = await database.db.select().from(conversations).where(eq(conversations.ownerId, owner.id));
      assert.ok(
        rows
          .filter((row) => row.encryptedTitle)
          .every((row) => row.titleKeyId === keyIdOf(nextKey) && row.title === null),
      );
      assert.equal(rows.filter((row) => !row.encryptedTitle && row.title === null).length, 1, 'the untitled one');
      const afterRotation = new ConversationStore(database.db, new Keyring(nextKey));
      for (const conversation of [...plain, ...old]) {
        assert.equal((await afterRotation.get({ actor: owner, id: conversation.id })).title, conversation.title);
      }
      assert.equal((await rotateTitleEncryption(database.db, { keyring: new Keyring(nextKey) })).scanned, 0);
    });
  });
}
