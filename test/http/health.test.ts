import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { dataDirectories, servingPort, startChorus } from '../support/cli.ts';

describe('chorus serve', () => {
  const directories = dataDirectories();
  let server: ChildProcess;
  let baseUrl: string;

  before(
    async () => {
      // PORT=0: the system picks a free port, and the server prints the one it got.
      server = startChorus(['serve'], { DATA_DIR: await directories.initialised(), PORT: '0' });
      baseUrl = `http://127.0.0.1:${await servingPort(server)}`;
    },
    { timeout: 120_000 },
  );

  after(async () => {
    if (server && server.exitCode === null) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, 'the server stops cleanly on SIGTERM');
    }
    directories.removeAll();
  });

  test('GET /api/health answers ok with the embedded database', async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok', database: 'pglite' });
  });

  test('an unknown route is a 404 with a JSON error', async () => {
    const response = await fetch(`${baseUrl}/api/no-such-route`);
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'not_found');
    assert.match(body.error.message, /GET \/api\/no-such-route/);
  });
});
