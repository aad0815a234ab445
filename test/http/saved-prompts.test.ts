// Saved prompts over real HTTP: each person's own list, by name; names are one word (typed after `/`), unique per
// person; another person's prompt is not found, and never listed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

type Prompt = { id: string; name: string; text: string };

for (const kind of testBackends()) {
  describe(`saved prompts on ${kind}`, () => {
    let server: TestServer;
    let ann: Person;
    let bob: Person;

    before(async () => {
      server = await startTestServer(kind);
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
    });
    after(() => server?.close());

    const names = async (person: Person) => {
      const response = await person.client.get('/api/prompts');
      assert.equal(response.status, 200);
      return (response.body.items as Prompt[]).map((prompt) => prompt.name);
    };
    const patch = (person: Person, id: string, changes: object) =>
      person.client.request('PATCH', `/api/prompts/${id}`, JSON.stringify(changes));

    test('saved, listed by name, rewritten, renamed and deleted', async () => {
      const review = await ann.client.post('/api/prompts', { name: 'review', text: 'Review this code for bugs.' });
      assert.equal(review.status, 201, JSON.stringify(review.body));
      assert.equal(review.body.text, 'Review this code for bugs.');
      await ann.client.post('/api/prompts', { name: 'brief', text: 'Answer in one paragraph.' });
      assert.deepEqual(await names(ann), ['brief', 'review']);

      const rewritten = await patch(ann, review.body.id, { text: 'Review this code for bugs and style.' });
      assert.equal(rewritten.status, 200);
      assert.equal(rewritten.body.text, 'Review this code for bugs and style.');
      const renamed = await patch(ann, review.body.id, { name: 'critique' });
      assert.equal(renamed.body.name, 'critique');
      assert.deepEqual(await names(ann), ['brief', 'critique']);

      const deleted = await ann.client.request('DELETE', `/api/prompts/${review.body.id}`);
      assert.equal(deleted.status, 204);
      assert.deepEqual(await names(ann), ['brief']);
    });

    test('a name taken is a 409; a bad name or an empty text is a 400 naming the field', async () => {
      await ann.client.post('/api/prompts', { name: 'translate', text: 'Translate into French.' });
      const again = await ann.client.post('/api/prompts', { name: 'translate', text: 'Something else.' });
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /translate/);
      // Bob may use the same name: names are unique per person.
      assert.equal((await bob.client.post('/api/prompts', { name: 'translate', text: 'Into German.' })).status, 201);

      const spaced = await ann.client.post('/api/prompts', { name: 'two words', text: 'x' });
      assert.equal(spaced.status, 400);
      assert.match(JSON.stringify(spaced.body), /name/);
      const empty = await ann.client.post('/api/prompts', { name: 'empty', text: '' });
      assert.equal(empty.status, 400);
      assert.match(JSON.stringify(empty.body), /text/);
      const nothing = await patch(ann, crypto.randomUUID(), {});
      assert.equal(nothing.status, 400);
    });

    test("another person's prompt is not found and never listed", async () => {
      const secret = await ann.client.post('/api/prompts', { name: 'secret', text: 'My secret instructions.' });
      assert.ok(!(await names(bob)).includes('secret'));
      assert.equal((await patch(bob, secret.body.id, { text: 'stolen' })).status, 404);
      assert.equal((await bob.client.request('DELETE', `/api/prompts/${secret.body.id}`)).status, 404);
      const [kept] = (await ann.client.get('/api/prompts')).body.items.filter((p: Prompt) => p.name === 'secret');
      assert.equal(kept.text, 'My secret instructions.');
    });
  });
}
