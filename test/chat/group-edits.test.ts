// Editing and regenerating in a group: they replace what follows a message, so they may never take other people's
// words with them. A member is refused (409, saying why) once someone else has written since; the owner and admins
// may. Everything over HTTP, with people who joined by invitation, as a group is used.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { seedModels } from '../../src/models/seed.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

for (const kind of testBackends()) {
  describe(`editing and regenerating in a group on ${kind}`, () => {
    let server: TestServer;
    let owner: Person;
    let x: Person;
    let y: Person;
    let admin: Person;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      owner = await signUp(server, 'Owner');
      x = await signUp(server, 'Xavier');
      y = await signUp(server, 'Yvonne');
      admin = await signUp(server, 'Adele');
    });
    after(() => server?.close());

    const userMessage = (text: string) => ({ id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] });

    /** Sends a chat request; a refusal comes back as JSON, a turn as the UI message stream (read to its end). */
    const chat = async (person: Person, body: Record<string, unknown>) => {
      const response = await person.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({ modelIds: ['local:echo'], ...body }),
      );
      if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
        const { message } = await readChat(response.body!);
        return { status: response.status, replyId: message?.id, error: undefined };
      }
      return {
        status: response.status,
        replyId: undefined,
        error: ((await response.json()) as { error: { code: string; message: string } }).error,
      };
    };

    /** Says something; returns the person's message id and the id of the reply to it. */
    const say = async (person: Person, conversationId: string, text: string) => {
      const message = userMessage(text);
      const result = await chat(person, { id: conversationId, message });
      assert.equal(result.status, 200, JSON.stringify(result.error));
      return { messageId: message.id, replyId: result.replyId! };
    };

    const join = async (person: Person, conversationId: string, role: 'member' | 'admin' = 'member') => {
      const invite = await owner.client.post(`/api/conversations/${conversationId}/invites`, { role });
      assert.equal(invite.status, 201, JSON.stringify(invite.body));
      const accepted = await person.client.post(`/api/invites/${invite.body.token}/accept`);
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    };

    const contents = async (conversationId: string) => {
      const page = await owner.client.get(`/api/conversations/${conversationId}/messages?limit=100`);
      assert.equal(page.status, 200);
      return (page.body.items as { role: string; content: string }[])
        .reverse()
        .filter((message) => message.role === 'user')
        .map((message) => message.content);
    };

    /** The probe's group: the owner writes A; X, Y and an admin join by invitation; Y writes B; the owner writes C. */
    const groupWithOthersSince = async () => {
      const id = crypto.randomUUID();
      const a = await say(owner, id, 'A from the owner');
      await join(x, id);
      await join(y, id);
      await join(admin, id, 'admin');
      await say(y, id, 'B from Yvonne');
      await say(owner, id, 'C from the owner');
      return { id, a };
    };

    test("a member's regenerate that would delete others' messages is refused with 409 saying why; nothing is deleted", async () => {
      const { id, a } = await groupWithOthersSince();
      const refused = await chat(x, { id, trigger: 'regenerate-message', messageId: a.replyId });
      assert.equal(refused.status, 409);
      assert.equal(refused.error!.code, 'conflict');
      assert.match(refused.error!.message, /other people have written since/);
      assert.match(refused.error!.message, /owner and admins/);
      assert.deepEqual(await contents(id), ['A from the owner', 'B from Yvonne', 'C from the owner']);
    });

    test("a member's edit of their own earlier message is refused once someone else wrote after it", async () => {
      const id = crypto.randomUUID();
      await say(owner, id, 'opening');
      await join(x, id);
      await join(y, id);
      const mine = await say(x, id, 'X asks something');
      await say(y, id, 'Y answers X');
      const refused = await chat(x, { id, message: userMessage('X asks something else'), messageId: mine.messageId });
      assert.equal(refused.status, 409);
      assert.match(refused.error!.message, /other people have written since/);
      assert.deepEqual(await contents(id), ['opening', 'X asks something', 'Y answers X']);
    });

    test('a member may still edit and regenerate when only their own messages and their replies follow', async () => {
      const id = crypto.randomUUID();
      await say(owner, id, 'opening');
      await join(x, id);
      const first = await say(x, id, 'X first');
      const second = await say(x, id, 'X second');
      const regenerated = await chat(x, { id, trigger: 'regenerate-message', messageId: second.replyId });
      assert.equal(regenerated.status, 200, JSON.stringify(regenerated.error));
      const edited = await chat(x, { id, message: userMessage('X first, edited'), messageId: first.messageId });
      assert.equal(edited.status, 200, JSON.stringify(edited.error));
      assert.deepEqual(await contents(id), ['opening', 'X first, edited']);
    });

    test('a member may regenerate the replies to the newest message, whoever wrote it', async () => {
      const id = crypto.randomUUID();
      const question = await say(owner, id, 'the owner asks');
      await join(x, id);
      const regenerated = await chat(x, { id, trigger: 'regenerate-message', messageId: question.replyId });
      assert.equal(regenerated.status, 200, JSON.stringify(regenerated.error));
      assert.notEqual(regenerated.replyId, question.replyId);
      assert.deepEqual(await contents(id), ['the owner asks']);
    });

    test("the owner and an admin may edit or regenerate over others' messages", async () => {
      const { id, a } = await groupWithOthersSince();
      const byAdmin = await chat(admin, { id, trigger: 'regenerate-message', messageId: a.replyId });
      assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.error));
      assert.deepEqual(await contents(id), ['A from the owner']);

      await say(y, id, 'B again from Yvonne');
      const page = await owner.client.get(`/api/conversations/${id}/messages?limit=100`);
      const ownA = (page.body.items as { id: string; content: string }[]).find(
        (message) => message.content === 'A from the owner',
      )!;
      const byOwner = await chat(owner, { id, message: userMessage('A, edited by the owner'), messageId: ownA.id });
      assert.equal(byOwner.status, 200, JSON.stringify(byOwner.error));
      assert.deepEqual(await contents(id), ['A, edited by the owner']);
    });
  });
}
