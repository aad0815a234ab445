// What an unexpected failure leaves in the log: the failed statement, its SQLSTATE code and where in the code it
// failed — never the values it was sent, which hold people's messages. drizzle writes them into its error's
// message and `params`, the embedded database's error keeps them too, PostgreSQL quotes them in `detail`/`where`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { handleError } from '../../src/http/errors.ts';
import { openTestDatabase, testBackends } from '../support/database.ts';
import { logsOf } from '../support/logs.ts';

const SECRET = 'words only the person who wrote them may read';

for (const kind of testBackends()) {
  describe(`the log of a failed statement on ${kind}`, () => {
    test('names the statement and its code, not the values it was sent', async () => {
      const database = await openTestDatabase(kind, { migrate: false });
      try {
        const app = new Hono();
        app.post('/fail', async (request) => {
          // A lone surrogate, which jsonb refuses: the statement fails with the text among its values.
          await database.db.execute(sql`select ${`{"text": "${SECRET} \\ud800"}`}::jsonb as value`);
          return request.text('unreachable');
        });
        app.onError(handleError);
        const { result: response, logs: log } = await logsOf(async () => app.request('/fail', { method: 'POST' }));
        assert.equal(response.status, 500);
        assert.deepEqual(await response.json(), { error: { code: 'internal', message: 'internal server error' } });

        assert.match(log, /"method":"POST","path":"\/fail"/);
        assert.match(log, /unhandled/);
        assert.match(log, /Failed query: select \$1::jsonb as value/);
        assert.match(log, /\[22P0\d\]/, 'the SQLSTATE code');
        assert.match(log, /at .*error-log\.test\.ts/, 'where it failed');
        assert.doesNotMatch(log, new RegExp(SECRET), log);
        assert.doesNotMatch(log, /params/);
      } finally {
        await database.close();
      }
    });
  });
}
