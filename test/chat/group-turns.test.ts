// Group conversations: reply modes (first responder, parallel, single), the character limit, and
// speakers attributed in what each model is sent — checked on what the fake provider actually received.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { readChat, textOf } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, type RecordedRequest, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signUp } from '../support/people.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const LEAD_REPLY = 'The lead thinks the answer is forty-two, for reasons of its own.';
const LONG_REPLY = Array.from({ length: 120 }, (_, index) => `word${index}`).join(' ');

for (const kind of testBackends()) {
  describe(`group turns on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let ann: Person;
    let bob: Person;

    before(async () => {
      fake = await startFakeProvider({
        models: {
          lead: { reply: LEAD_REPLY, chunkDelayMs: 3 },
          first: { reply: 'First follower adds a view on cost.', chunkDelayMs: 20 },
          second: { reply: 'Second follower adds a view on risk.', chunkDelayMs: 20 },
          verbose: { reply: LONG_REPLY, chunkSize: 7 },
        },
      });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'lead,first,second,verbose',
      });
      await registerDeclaredModels(server.runtime.database.db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      ann = await signUp(server, 'Ann');
      bob = await signUp(server, 'Bob');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const say = async (person: Person, conversationId: string, text: string, modelIds?: string[]) => {
      const response = await person.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] },
          ...(modelIds ? { modelIds } : {}),
        }),
      );
      assert.equal(response.status, 200, await response.clone().text());
      return readChat(response.body!);
    };

    /** A conversation of Ann's with these models, in this order, and these settings. */
    const groupOf = async (modelIds: string[], settings: Record<string, unknown>) => {
      const conversationId = crypto.randomUUID();
      await server.runtime.store.conversations.create({ actor: ann.actor, id: conversationId, modelIds });
      const patched = await ann.client.request(
        'PATCH',
        `/api/conversations/${conversationId}`,
        JSON.stringify({ settings }),
      );
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      return conversationId;
    };

    const requestWith = (model: string, text: string) =>
      fake.requestsFor(model).findLast((request) => JSON.stringify(request.messages).includes(text))!;
    const sent = (request: RecordedRequest) => JSON.stringify(request.messages);
    const overlap = (one: RecordedRequest, other: RecordedRequest) =>
      one.receivedAt < other.finishedAt! && other.receivedAt < one.finishedAt!;
    const replies = async (conversationId: string) => {
      const page = await server.runtime.store.messages.page({ actor: ann.actor, conversationId, limit: 50 });
      return page.items.filter((message) => message.role === 'assistant');
    };

    test('first responder: the lead answers first and is flagged; the followers see it, add a perspective, and run at once', async () => {
      const conversationId = await groupOf(['fake:first', 'fake:lead', 'fake:second'], {
        replyMode: 'first_responder',
        firstResponderModelId: 'fake:lead',
      });
      const question = 'What is the answer, all of you?';
      await say(ann, conversationId, question);

      const lead = requestWith('lead', question);
      const first = requestWith('first', question);
      const second = requestWith('second', question);
      assert.ok(
        lead.finishedAt! <= first.receivedAt && lead.finishedAt! <= second.receivedAt,
        'the lead finished first',
      );
      assert.ok(overlap(first, second), 'the followers answer concurrently');
      for (const follower of [first, second]) {
        assert.match(sent(follower), /forty-two/, "the follower was sent the lead's reply");
        assert.match(sent(follower), /\[.*replied:\]/, "attributed as another model's, not its own");
        assert.match(sent(follower), /Add a perspective it did not give/);
      }
      assert.doesNotMatch(sent(lead), /Add a perspective/);

      const stored = await replies(conversationId);
      assert.equal(stored.length, 3);
      assert.deepEqual(
        stored.filter((reply) => reply.isFirstResponder).map((reply) => reply.modelId),
        ['fake:lead'],
      );
      assert.ok(stored.every((reply) => reply.status === 'complete'));
      const page = await ann.client.get(`/api/conversations/${conversationId}/messages`);
      assert.deepEqual(
        page.body.items
          .filter((message: { isFirstResponder: boolean }) => message.isFirstResponder)
          .map((message: { modelId: string }) => message.modelId),
        ['fake:lead'],
        'the API marks the lead',
      );
    });

    test('parallel: every model answers the prompt at once, none flagged as lead', async () => {
      const conversationId = await groupOf(['fake:first', 'fake:second'], { replyMode: 'parallel' });
      const question = 'Both at once, please.';
      await say(ann, conversationId, question);
      assert.ok(overlap(requestWith('first', question), requestWith('second', question)));
      assert.ok((await replies(conversationId)).every((reply) => !reply.isFirstResponder));
    });

    test('single: only the first model answers, with no group instructions', async () => {
      const conversationId = await groupOf(['fake:second', 'fake:first'], { replyMode: 'single' });
      await say(ann, conversationId, 'Just one of you.');
      assert.deepEqual(
        (await replies(conversationId)).map((reply) => reply.modelId),
        ['fake:second'],
      );
      assert.doesNotMatch(sent(requestWith('second', 'Just one of you.')), /group conversation/);
    });

    test('the character limit is told to the model and kept: cut at a word boundary, marked truncated', async () => {
      const conversationId = await groupOf(['fake:verbose', 'fake:first'], { replyMode: 'parallel', charLimit: 100 });
      const { message } = await say(ann, conversationId, 'Say a lot.');
      assert.match(sent(requestWith('verbose', 'Say a lot.')), /within 100 characters/);
      const verbose = (await replies(conversationId)).find((reply) => reply.modelId === 'fake:verbose')!;
      assert.ok(verbose.content!.length <= 100, `${verbose.content!.length} characters`);
      assert.ok(LONG_REPLY.startsWith(`${verbose.content!} `), 'cut where a word ends');
      assert.equal(verbose.metadata.truncated, true);
      const streamed = message!.parts
        .filter(
          (part) =>
            part.type === 'text' && (part.providerMetadata!.chorus as { modelId: string }).modelId === 'fake:verbose',
        )
        .map((part) => (part.type === 'text' ? part.text : ''))
        .join('');
      assert.equal(streamed, verbose.content, 'the client saw exactly what was kept');
      const untouched = (await replies(conversationId)).find((reply) => reply.modelId === 'fake:first')!;
      assert.equal(untouched.metadata.truncated, undefined);
    });

    test('group modes default to 280 characters; a conversation of one model has no limit', async () => {
      const group = await groupOf(['fake:verbose', 'fake:first'], { replyMode: 'parallel' });
      await say(ann, group, 'Default limit?');
      const limited = (await replies(group)).find((reply) => reply.modelId === 'fake:verbose')!;
      assert.ok(limited.content!.length <= 280 && limited.metadata.truncated === true);

      const alone = crypto.randomUUID();
      const { message } = await say(ann, alone, 'No limit?', ['fake:verbose']);
      assert.equal(textOf(message!), LONG_REPLY);
    });

    test('with several people, each person message tells the models who wrote it', async () => {
      const conversationId = await groupOf(['fake:first'], {});
      await server.runtime.store.participants.add({ actor: ann.actor, conversationId, userId: bob.id });
      await say(ann, conversationId, 'Hello from Ann.');
      await say(bob, conversationId, 'And hello from Bob.');
      const request = sent(requestWith('first', 'And hello from Bob.'));
      assert.match(request, /\[Ann wrote:\]\\nHello from Ann\./);
      assert.match(request, /\[Bob wrote:\]\\nAnd hello from Bob\./);
    });
  });
}
