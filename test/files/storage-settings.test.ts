// The S3_* settings are read and checked with the rest of the configuration: S3_BUCKET picks the bucket, and a
// setting that cannot work is refused at start-up with the variable named.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ConfigurationError, readEnvironment } from '../../src/config/env.ts';
import { configuredBackend } from '../../src/files/open-file-storage.ts';

const refusal = (env: Record<string, string>) => {
  try {
    readEnvironment(env);
  } catch (error) {
    assert.ok(error instanceof ConfigurationError);
    return error.message;
  }
  assert.fail('the settings were accepted');
};

describe('object storage settings', () => {
  test('S3_BUCKET chooses the bucket, with defaults for the rest; without it files stay in the folder', () => {
    const env = readEnvironment({ S3_BUCKET: 'chorus-files', S3_ENDPOINT: 'http://127.0.0.1:9000' });
    assert.equal(configuredBackend(env), 's3');
    assert.equal(env.S3_REGION, 'us-east-1');
    assert.equal(env.S3_FORCE_PATH_STYLE, false);
    assert.equal(readEnvironment({ S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: 'true' }).S3_FORCE_PATH_STYLE, true);
    assert.equal(configuredBackend(readEnvironment({})), 'local');
  });

  test('a setting that cannot work is refused, naming the variable', () => {
    assert.match(
      refusal({ S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'key' }),
      /S3_SECRET_ACCESS_KEY: must be set with S3_ACCESS_KEY_ID/,
    );
    assert.match(refusal({ S3_ENDPOINT: 'http://127.0.0.1:9000' }), /S3_ENDPOINT: is set but S3_BUCKET is not/);
    assert.match(
      refusal({ S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: 'yes' }),
      /S3_FORCE_PATH_STYLE: must be true or false/,
    );
    assert.match(refusal({ S3_BUCKET: 'b-1', S3_ENDPOINT: 'ftp://store' }), /S3_ENDPOINT: must be an http\(s\) URL/);
    assert.match(refusal({ S3_BUCKET: 'no spaces please' }), /S3_BUCKET: must be a bucket name/);
  });
});
