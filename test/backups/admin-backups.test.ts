// Backups over HTTP: an admin backs up now, follows the run in the log, and downloads the finished backup as a zip
// that holds the manifest and every table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import yauzl from 'yauzl';
import { testBackends } from '../support/database.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

/** The names of the entries of a zip. */
function zipEntries(bytes: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: { fileName: string }) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

for (const kind of testBackends()) {
  describe(`admin backups on ${kind}`, () => {
    let server: TestServer;
    let admin: TestClient;
    before(async () => {
      server = await startTestServer(kind);
      admin = new TestClient(server.baseUrl);
      const signUp = await admin.post('/api/auth/sign-up/email', {
        email: `admin-${kind}@example.test`,
        password: 'a long enough password',
        name: 'admin',
      });
      assert.equal(signUp.status, 200, JSON.stringify(signUp.body));
    });
    after(() => server?.close());

    test('back up now, see it complete in the log, and download it', async () => {
      const started = await admin.post('/api/admin/backups', {});
      assert.equal(started.status, 202, JSON.stringify(started.body));
      assert.equal(started.body.status, 'in_progress');

      let backup: { id: string; status: string; sizeBytes: number; durationMs: number; location: string } | undefined;
      for (let attempt = 0; attempt < 200; attempt++) {
        const list = await admin.get('/api/admin/backups');
        assert.equal(list.status, 200);
        backup = list.body.items.find((item: { id: string }) => item.id === started.body.id);
        if (backup?.status !== 'in_progress') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(backup?.status, 'completed');
      assert.ok(backup.sizeBytes > 0);
      assert.ok(backup.durationMs >= 0);

      const download = await admin.open('GET', `/api/admin/backups/${backup.id}/download`);
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/zip');
      const name = backup.location.split(/[\\/]/).at(-1);
      const entries = await zipEntries(Buffer.from(await download.arrayBuffer()));
      assert.ok(entries.includes(`${name}/manifest.json`), entries.join());
      assert.ok(entries.includes(`${name}/tables/messages.copy.gz`), entries.join());
    });
  });
}
