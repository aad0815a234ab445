// The MCP servers admins register (db/schema/tools.ts). Their secrets — HTTP headers such as a token, a command's
// environment — are sealed with the keyring when encryption at rest is on, bound to the server's id; reads open
// them for the connection alone, and the API shows only their names.
import { asc, eq, inArray } from 'drizzle-orm';
import { EncryptionError, type Keyring, missingKeyError } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { type McpServerSecrets, mcpServers } from '../db/schema/index.ts';
import { AppError, notFound } from '../errors.ts';
import { isUniqueViolation } from './postgres-errors.ts';

type McpServerRow = typeof mcpServers.$inferSelect;

/** A server with its secrets open, as the connection needs it. */
export type McpServer = Omit<McpServerRow, 'secrets' | 'encryptedSecrets' | 'secretsKeyId'> & McpServerSecrets;

/** What an admin sets; left out on an update: unchanged. Headers and env, when given, replace the old ones. */
export type McpServerInput = {
  name: string;
  description?: string | null;
  transport: McpServerRow['transport'];
  url?: string | null;
  command?: string | null;
  args?: string[];
  headers?: Record<string, string>;
  env?: Record<string, string>;
};

type StoredSecrets = Pick<McpServerRow, 'secrets' | 'encryptedSecrets' | 'secretsKeyId'>;

function sealSecrets(keyring: Keyring | null, id: string, secrets: McpServerSecrets): StoredSecrets {
  if (!keyring) return { secrets, encryptedSecrets: null, secretsKeyId: null };
  const { ciphertext, keyId } = keyring.encrypt(JSON.stringify(secrets), id);
  return { secrets: null, encryptedSecrets: ciphertext, secretsKeyId: keyId };
}

function openSecrets(keyring: Keyring | null, row: McpServerRow): McpServerSecrets {
  if (row.encryptedSecrets === null) return row.secrets ?? { headers: {}, env: {} };
  if (!row.secretsKeyId) throw new EncryptionError(`MCP server ${row.name} has sealed secrets but no key id`);
  if (!keyring) throw missingKeyError(row.secretsKeyId);
  return JSON.parse(keyring.decrypt(row.encryptedSecrets, row.secretsKeyId, row.id)) as McpServerSecrets;
}

function toServer(keyring: Keyring | null, row: McpServerRow): McpServer {
  const { secrets: _plain, encryptedSecrets: _sealed, secretsKeyId: _keyId, ...fields } = row;
  return { ...fields, ...openSecrets(keyring, row) };
}

const nameTaken = (name: string, cause: unknown) =>
  new AppError('conflict', `an MCP server named ${name} exists`, { details: { field: 'name' }, cause });

export class McpServerStore {
  constructor(
    private readonly db: Database,
    private readonly keyring: Keyring | null,
  ) {}

  async list(): Promise<McpServer[]> {
    const rows = await this.db.select().from(mcpServers).orderBy(asc(mcpServers.name));
    return rows.map((row) => toServer(this.keyring, row));
  }

  /** The servers among `ids` that still exist (a conversation may name one since deleted). */
  async listByIds(ids: readonly string[]): Promise<McpServer[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(mcpServers)
      .where(inArray(mcpServers.id, [...ids]))
      .orderBy(asc(mcpServers.name));
    return rows.map((row) => toServer(this.keyring, row));
  }

  async get(id: string): Promise<McpServer> {
    const [row] = await this.db.select().from(mcpServers).where(eq(mcpServers.id, id));
    if (!row) throw notFound('MCP server', id);
    return toServer(this.keyring, row);
  }

  async create(input: McpServerInput & { createdBy: string | null }): Promise<McpServer> {
    const id = crypto.randomUUID();
    const { headers = {}, env = {}, ...fields } = input;
    try {
      const [row] = await this.db
        .insert(mcpServers)
        .values({ ...fields, id, ...sealSecrets(this.keyring, id, { headers, env }) })
        .returning();
      return toServer(this.keyring, row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(input.name, error);
      throw error;
    }
  }

  /** Applies the changes to the stored server; the whole result is the caller's to have validated. */
  async update(id: string, changes: Partial<McpServerInput>): Promise<McpServer> {
    const { headers, env, ...fields } = changes;
    try {
      return await this.db.transaction(async (tx) => {
        const [current] = await tx.select().from(mcpServers).where(eq(mcpServers.id, id)).for('update');
        if (!current) throw notFound('MCP server', id);
        const secrets = openSecrets(this.keyring, current);
        const [row] = await tx
          .update(mcpServers)
          .set({
            ...fields,
            ...sealSecrets(this.keyring, id, { headers: headers ?? secrets.headers, env: env ?? secrets.env }),
          })
          .where(eq(mcpServers.id, id))
          .returning();
        return toServer(this.keyring, row!);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(changes.name ?? '', error);
      throw error;
    }
  }

  /**
   * Seals every server's secrets with the keyring's current key (the few rows of this table fit one transaction);
   * how many were not on it yet.
   */
  async rotateEncryption(keyring: Keyring): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.select().from(mcpServers).for('update');
      const stale = rows.filter((row) => row.secretsKeyId !== keyring.currentKeyId);
      for (const row of stale) {
        await tx
          .update(mcpServers)
          .set({ ...sealSecrets(keyring, row.id, openSecrets(keyring, row)), updatedAt: row.updatedAt })
          .where(eq(mcpServers.id, row.id));
      }
      return stale.length;
    });
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.db.delete(mcpServers).where(eq(mcpServers.id, id)).returning({ id: mcpServers.id });
    if (deleted.length === 0) throw notFound('MCP server', id);
  }
}
