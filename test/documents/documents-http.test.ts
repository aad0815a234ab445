// The documents API over real HTTP: a document a model wrote is read with its versions, edited by a person into a
// new version, given suggestions by the model, one accepted (applied as version 3) and one rejected, and taken back
// to an earlier version; someone outside its conversation gets 404 for all of it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { testBackends } from '../support/database.ts';
import { TestClient } from '../support/server.ts';
import {
  documentIdOf,
  scriptCreateDocument,
  scriptToolTurn,
  startToolChat,
  type ToolChat,
} from '../support/tool-chat.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const DRAFT = 'The cat sat.\nThe dog ran.';

for (const kind of testBackends()) {
  describe(`the documents API on ${kind}`, () => {
    let chat: ToolChat;
    let outsider: TestClient;
    before(async () => {
      chat = await startToolChat(kind);
      outsider = new TestClient(chat.server.baseUrl);
      const signUp = await outsider.post('/api/auth/sign-up/email', {
        email: `outsider-${kind}@example.test`,
        password: 'a long enough password',
        name: 'Outsider',
      });
      assert.equal(signUp.status, 200);
    });
    after(() => chat?.close());

    const newDocument = async () => {
      chat.fake.reset();
      scriptCreateDocument(chat.fake, 'writer', DRAFT, 'Pets');
      return documentIdOf(await chat.ask('Write about pets'));
    };
    const suggest = async (documentId: string, suggestions: object[]) => {
      scriptToolTurn(chat.fake, { name: 'requestSuggestions', input: { documentId } }, JSON.stringify(suggestions));
      await chat.ask('Suggestions, please');
      const listed = await chat.browser.get(`/api/documents/${documentId}/suggestions`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      return listed.body.suggestions as { id: string; originalText: string; isResolved: boolean }[];
    };

    test('a document is read with its versions; a person’s edit is the next version; each version can be read', async () => {
      const id = await newDocument();
      const first = await chat.browser.get(`/api/documents/${id}`);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.document.content, DRAFT);
      assert.equal(first.body.document.title, 'Pets');
      assert.equal(first.body.versions.length, 1);

      const edited = await chat.browser.request(
        'PUT',
        `/api/documents/${id}`,
        JSON.stringify({ content: 'Mine now.' }),
      );
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.content, 'Mine now.');
      assert.equal(edited.body.title, 'Pets');

      const now = await chat.browser.get(`/api/documents/${id}`);
      assert.equal(now.body.document.content, 'Mine now.');
      const [v1, v2] = now.body.versions as { createdAt: string }[];
      assert.equal(v2!.createdAt, edited.body.createdAt);
      const old = await chat.browser.get(`/api/documents/${id}/versions/${encodeURIComponent(v1!.createdAt)}`);
      assert.equal(old.status, 200);
      assert.equal(old.body.content, DRAFT);
    });

    test('suggestions: one accepted is applied as version 3, one rejected leaves the document as it is', async () => {
      const id = await newDocument();
      await chat.browser.request('PUT', `/api/documents/${id}`, JSON.stringify({ content: DRAFT }));
      const [accepted, rejected] = await suggest(id, [
        { originalText: 'The cat sat.', suggestedText: 'The cat sat on the mat.', description: 'where' },
        { originalText: 'The dog ran.', suggestedText: 'The dog raced.', description: 'livelier' },
      ]);
      assert.equal(rejected!.isResolved, false);

      const accept = await chat.browser.post(`/api/suggestions/${accepted!.id}/accept`);
      assert.equal(accept.status, 200, JSON.stringify(accept.body));
      assert.equal(accept.body.suggestion.accepted, true);
      assert.equal(accept.body.document.content, 'The cat sat on the mat.\nThe dog ran.');

      const reject = await chat.browser.post(`/api/suggestions/${rejected!.id}/reject`);
      assert.equal(reject.status, 200, JSON.stringify(reject.body));
      assert.equal(reject.body.accepted, false);
      assert.equal((await chat.browser.post(`/api/suggestions/${rejected!.id}/accept`)).status, 409);

      const document = await chat.browser.get(`/api/documents/${id}`);
      assert.equal(document.body.versions.length, 3);
      assert.equal(document.body.document.content, 'The cat sat on the mat.\nThe dog ran.');
    });

    test('a suggestion whose text is gone cannot be accepted and stays open', async () => {
      const id = await newDocument();
      const [suggestion] = await suggest(id, [{ originalText: 'The dog ran.', suggestedText: 'x', description: 'y' }]);
      await chat.browser.request('PUT', `/api/documents/${id}`, JSON.stringify({ content: 'Nothing about dogs.' }));
      const accept = await chat.browser.post(`/api/suggestions/${suggestion!.id}/accept`);
      assert.equal(accept.status, 409);
      assert.match(accept.body.error.message, /no longer in the document/);
      const versions = await chat.server.runtime.store.documents.listVersions({ actor: await chat.actor(), id });
      assert.equal(versions.length, 2);
    });

    test('deleting the versions after one takes the document back to it', async () => {
      const id = await newDocument();
      for (const content of ['two', 'three'])
        await chat.browser.request('PUT', `/api/documents/${id}`, JSON.stringify({ content }));
      const before = await chat.browser.get(`/api/documents/${id}`);
      const first = before.body.versions[0].createdAt as string;
      const undone = await chat.browser.delete(`/api/documents/${id}?after=${encodeURIComponent(first)}`);
      assert.equal(undone.status, 200, JSON.stringify(undone.body));
      assert.equal(undone.body.deleted, 2);
      assert.equal(undone.body.document.document.content, DRAFT);
      assert.equal(undone.body.document.versions.length, 1);
    });

    test('someone outside the conversation gets 404 for the document, its versions and its suggestions', async () => {
      const id = await newDocument();
      const [suggestion] = await suggest(id, [{ originalText: 'The cat sat.', suggestedText: 'x', description: 'y' }]);
      const created = (await chat.browser.get(`/api/documents/${id}`)).body.versions[0].createdAt as string;
      const answers = [
        await outsider.get(`/api/documents/${id}`),
        await outsider.get(`/api/documents/${id}/versions/${encodeURIComponent(created)}`),
        await outsider.get(`/api/documents/${id}/suggestions`),
        await outsider.request('PUT', `/api/documents/${id}`, JSON.stringify({ content: 'graffiti' })),
        await outsider.delete(`/api/documents/${id}?after=${encodeURIComponent(created)}`),
        await outsider.post(`/api/suggestions/${suggestion!.id}/accept`),
        await outsider.post(`/api/suggestions/${suggestion!.id}/reject`),
      ];
      assert.deepEqual(
        answers.map((answer) => answer.status),
        [404, 404, 404, 404, 404, 404, 404],
      );
      assert.ok(answers.every((answer) => !JSON.stringify(answer.body).includes('cat')));
      assert.equal((await chat.browser.get(`/api/documents/${id}`)).body.versions.length, 1);
    });

    test('bad input is a 400 naming what is wrong', async () => {
      const id = await newDocument();
      const noContent = await chat.browser.request('PUT', `/api/documents/${id}`, JSON.stringify({ title: 'x' }));
      assert.equal(noContent.status, 400);
      assert.match(JSON.stringify(noContent.body), /content/);
      assert.equal((await chat.browser.get(`/api/documents/${id}/versions/yesterday`)).status, 400);
      assert.equal((await chat.browser.delete(`/api/documents/${id}`)).status, 400);
      assert.equal((await chat.browser.get('/api/documents/not-a-uuid')).status, 400);
    });
  });
}
