// Encryption at rest: AES-256-GCM under a keyring of one current key (used to write) and earlier keys (still
// accepted to read until a rotation has re-encrypted everything). Pure: no database, no environment access.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Environment } from '../config/env.ts';
import { AppError } from '../errors.ts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key that is missing, malformed or wrong, or data that fails authentication. Never garbage output. */
export class EncryptionError extends AppError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super('internal', message, options);
    this.name = 'EncryptionError';
  }
}

/** `ciphertext` is iv | tag | data; `keyId` names the key that sealed it. */
export type EncryptedValue = { ciphertext: Uint8Array; keyId: string };

/** Names a key without revealing it: the first 16 hex characters of its SHA-256. */
export const keyIdOf = (key: Uint8Array) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/**
 * A 32-byte key written as 64 hex characters or as base64 (standard or URL-safe, padding optional). `source`
 * names where the text came from, so the error says which setting to fix; the key itself is never echoed.
 */
export function parseEncryptionKey(text: string, source = 'encryption key'): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-f]{64}$/i.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const expected = `${source} must be ${KEY_BYTES} bytes written as 64 hex characters or 44 base64 characters (for example the output of \`openssl rand -base64 32\`)`;
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new EncryptionError(`${expected}; it is ${trimmed.length} characters and neither hex nor base64`);
  }
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== KEY_BYTES) {
    throw new EncryptionError(`${expected}; it decodes to ${key.length} bytes`);
  }
  return key;
}

export type KeyInput = string | Uint8Array;

export class Keyring {
  /** The key every new value is sealed with. */
  readonly currentKeyId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: KeyInput, previous: KeyInput[] = []) {
    this.currentKeyId = this.add(current, 'current encryption key');
    for (const [index, key] of previous.entries()) this.add(key, `previous encryption key #${index + 1}`);
  }

  /** Every key id this keyring can read, the current one first. */
  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  /**
   * Seals text with the current key. `associatedData` (e.g. the row id) is authenticated but not stored: the
   * ciphertext then only opens for the same value, so it cannot be copied onto another row unnoticed.
   */
  encrypt(plaintext: string, associatedData?: string): EncryptedValue {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), data]), keyId: this.currentKeyId };
  }

  decrypt(ciphertext: Uint8Array, keyId: string, associatedData?: string): string {
    const key = this.keys.get(keyId);
    if (!key) {
      throw new EncryptionError(
        `data is encrypted with key ${keyId}, which is not configured (configured: ${this.keyIds.join(', ')}); ` +
          'the encryption key is wrong or missing: set CHORUS_ENCRYPTION_KEY to that key, or add it to CHORUS_ENCRYPTION_PREVIOUS_KEYS',
        { details: { keyId, configuredKeyIds: this.keyIds } },
      );
    }
    const bytes = Buffer.from(ciphertext.buffer, ciphertext.byteOffset, ciphertext.byteLength);
    if (bytes.length < IV_BYTES + TAG_BYTES) {
      throw new EncryptionError(`data encrypted with key ${keyId} is truncated (${bytes.length} bytes)`, {
        details: { keyId },
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new EncryptionError(
        `data encrypted with key ${keyId} failed authentication: the configured key with that id does not open it, ` +
          'so the data was altered or copied from another row',
        { details: { keyId }, cause: error },
      );
    }
  }

  private add(input: KeyInput, source: string): string {
    const key = typeof input === 'string' ? parseEncryptionKey(input, source) : Buffer.from(input);
    if (key.length !== KEY_BYTES) throw new EncryptionError(`${source} must be ${KEY_BYTES} bytes, got ${key.length}`);
    const keyId = keyIdOf(key);
    // The same key listed twice (say, current also among previous) is harmless; keep the first.
    if (!this.keys.has(keyId)) this.keys.set(keyId, key);
    return keyId;
  }
}

/** Reading encrypted data when no key is configured at all. */
export const missingKeyError = (keyId: string) =>
  new EncryptionError(
    `data is encrypted with key ${keyId}, but no encryption key is configured: set CHORUS_ENCRYPTION_KEY to that key`,
    { details: { keyId } },
  );

type EncryptionSettings = Pick<Environment, 'CHORUS_ENCRYPTION_KEY' | 'CHORUS_ENCRYPTION_PREVIOUS_KEYS'>;

/** The keyring the settings describe, or null when encryption at rest is off (no current key). */
export function keyringFromEnvironment(settings: EncryptionSettings): Keyring | null {
  const current = settings.CHORUS_ENCRYPTION_KEY?.trim();
  const previous = (settings.CHORUS_ENCRYPTION_PREVIOUS_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  if (!current) {
    if (previous.length > 0) {
      throw new EncryptionError(
        'CHORUS_ENCRYPTION_PREVIOUS_KEYS is set but CHORUS_ENCRYPTION_KEY is not: set the current key too',
      );
    }
    return null;
  }
  const currentKey = parseEncryptionKey(current, 'CHORUS_ENCRYPTION_KEY');
  const previousKeys = previous.map((key, index) =>
    parseEncryptionKey(key, `CHORUS_ENCRYPTION_PREVIOUS_KEYS entry #${index + 1}`),
  );
  return new Keyring(currentKey, previousKeys);
}
