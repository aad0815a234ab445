// An MCP server's secrets at rest: in plain JSON without a key; with encryption at rest only sealed, bound to the
// server's row, opened for the connection; a rotation moves them onto the current key and seals plaintext ones.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { eq, sql } from 'drizzle-orm';
import { Keyring } from '../../src/crypto/encryption.ts';
import { queryOne } from '../../src/db/rows.ts';
import { mcpServers } from '../../src/db/schema/index.ts';
import { createStore } from '../../src/store/index.ts';
import { openTestDatabase, type TestDatabase, testBackends } from '../support/database.ts';

const SECRETS = { headers: { Authorization: 'Bearer s3cret' }, env: {} };

for (const kind of testBackends()) {
  describe(`MCP server secrets on ${kind}`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await openTestDatabase(kind);
    });
    after(() => database?.close());

    const stored = (id: string) =>
      queryOne<{ secrets: unknown; sealed: boolean; key_id: string | null }>(
        database.db,
        sql`select secrets, encrypted_secrets is not null as sealed, secrets_key_id as key_id from mcp_servers where id = ${id}`,
      );

    test('sealed with the current key, opened for use, and moved to a new key by a rotation', async () => {
      const plain = createStore(database.db);
      const older = await plain.mcpServers.create({
        name: 'older',
        transport: 'http',
        url: 'http://127.0.0.1:9/mcp',
        ...SECRETS,
        createdBy: null,
      });
      assert.deepEqual(await stored(older.id), { secrets: SECRETS, sealed: false, key_id: null });

      const firstKey = randomBytes(32);
      const first = new Keyring(firstKey);
      const sealedStore = createStore(database.db, { keyring: first });
      const sealed = await sealedStore.mcpServers.create({
        name: 'sealed',
        transport: 'stdio',
        command: 'node',
        env: { TOKEN: 'abc' },
        createdBy: null,
      });
      assert.deepEqual(await stored(sealed.id), { secrets: null, sealed: true, key_id: first.currentKeyId });
      assert.deepEqual((await sealedStore.mcpServers.get(sealed.id)).env, { TOKEN: 'abc' });
      // Plaintext rows stay readable with a keyring.
      assert.deepEqual((await sealedStore.mcpServers.get(older.id)).headers, SECRETS.headers);

      // Copied onto another row, the sealed secrets do not open.
      const [row] = await database.db.select().from(mcpServers).where(eq(mcpServers.id, sealed.id));
      await database.db
        .update(mcpServers)
        .set({ encryptedSecrets: row!.encryptedSecrets, secretsKeyId: row!.secretsKeyId, secrets: null })
        .where(eq(mcpServers.id, older.id));
      await assert.rejects(sealedStore.mcpServers.get(older.id), /failed authentication/);
      await database.db
        .update(mcpServers)
        .set({ secrets: SECRETS, encryptedSecrets: null, secretsKeyId: null })
        .where(eq(mcpServers.id, older.id));

      const secondKey = randomBytes(32);
      const second = new Keyring(secondKey, [firstKey]);
      const rotated = await createStore(database.db, { keyring: second }).mcpServers.rotateEncryption(second);
      assert.equal(rotated, 2);
      assert.equal((await stored(older.id))?.key_id, second.currentKeyId);
      assert.equal((await stored(sealed.id))?.key_id, second.currentKeyId);
      const onlySecond = createStore(database.db, { keyring: new Keyring(secondKey) });
      assert.deepEqual((await onlySecond.mcpServers.get(sealed.id)).env, { TOKEN: 'abc' });
      assert.deepEqual((await onlySecond.mcpServers.get(older.id)).headers, SECRETS.headers);
    });
  });
}
