import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { dataDirectories, servingPort, startChorus } from '../support/cli.ts';
import { TEST_POOL_SIZE, testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

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

for (const kind of testBackends()) {
  describe(`GET /api/health on ${kind}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer(kind);
    });
    after(() => server?.close());

    /** Keeps the database from answering anything else until `release` is called. */
    function occupyDatabase(): { release: () => Promise<void> } {
      const database = server.runtime.database;
      if (database.pglite) {
        // The embedded database runs one transaction at a time: every other statement waits for this one.
        let release!: () => void;
        const held = new Promise<void>((resolve) => (release = resolve));
        const transaction = database.pglite.transaction(() => held);
        return {
          release: async () => {
            release();
            await transaction;
          },
        };
      }
      // Every connection of the server's pool busy: a statement waits for one to come free.
      const sleeping = Promise.all(
        Array.from({ length: TEST_POOL_SIZE }, () => database.db.execute(sql`select pg_sleep(3)`)),
      );
      return { release: async () => void (await sleeping) };
    }

    test('a database that does not answer makes it 503, naming the problem, until it answers again', async () => {
      const client = new TestClient(server.baseUrl);
      assert.deepEqual((await client.get('/api/health')).body, { status: 'ok', database: kind });

      const occupied = occupyDatabase();
      const stuck = await client.get('/api/health');
      assert.equal(stuck.status, 503);
      assert.equal(stuck.body.error.code, 'unavailable');
      assert.match(stuck.body.error.message, new RegExp(`^the database \\(${kind}\\) did not answer within 2 s$`));

      await occupied.release();
      const recovered = await client.get('/api/health');
      assert.equal(recovered.status, 200);
    });
  });
}
