// Who may call what: every route of the API (every operation of /api/openapi.json) against five callers — nobody
// (no credentials), a guest, another user, the owner of the resource, and a site admin — each with the exact status
// it must get. Site admins have no say over other people's conversations (src/store/conversation-access.ts): to
// them a private conversation does not exist, like to anyone else outside it; only /api/admin/* is theirs alone.
// The routes of a conversation are run again on a public one, which everyone signed in may read but not change:
// readers are told 403 for writes (src/conversations/access.ts), outsiders 404.
// A refusal never carries the resource's private data, and a new route cannot be added without its row here.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../../src/auth/api-keys.ts';
import { models } from '../../src/db/schema/index.ts';
import { seedModels } from '../../src/models/seed.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signInAsGuest, signUp } from '../support/people.ts';
import { assertErrorBody, type RawAnswer, type RawRequest, sendRaw } from '../support/raw-request.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const ACTORS = ['anonymous', 'guest', 'other', 'owner', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
/** The status each caller gets, in the order of ACTORS. */
type Statuses = readonly [anonymous: number, guest: number, other: number, owner: number, admin: number];
type Visibility = 'private' | 'public';

/** A conversation of the owner, with another person in it (a member) and an invitation link. */
type ConversationFixture = {
  id: string;
  visibility: Visibility;
  title: string;
  /** Words only the conversation holds: in its title and in its first message. */
  marker: string;
  inviteId: string;
  inviteToken: string;
  /** With a chat turn: the model's reply, and the image the owner sent with the question. */
  replyId?: string;
  fileId?: string;
  /** With a chat turn: a document written in the conversation, and when its first version was saved. */
  documentId?: string;
  documentCreatedAt?: string;
};

type Probe = RawRequest & { path: string };
type Setting = { actor: ActorName; conversation: ConversationFixture };

type Row = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As /api/openapi.json names it. */
  route: string;
  /** On the owner's private conversation (or the owner's key, file...; for routes of no one's resource, as is). */
  expect: Statuses;
  /** On the owner's public conversation; only for the routes of a conversation. */
  whenPublic?: Statuses;
  /** A new conversation for each caller, since the request changes or ends it; 'without models': none added. */
  fresh?: true | 'without models';
  probe: (setting: Setting) => Probe | Promise<Probe>;
};

// Just enough of a PNG for its signature: files are told apart by their first bytes.
const PNG = Uint8Array.from(
  { length: 64 },
  (_, index) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][index] ?? 0x2a,
);

const userMessage = (text: string, ...extraParts: object[]) => ({
  id: crypto.randomUUID(),
  role: 'user',
  parts: [{ type: 'text', text }, ...extraParts],
});

for (const kind of testBackends()) {
  describe(`the access matrix on ${kind}`, () => {
    let server: TestServer;
    let dataDir: string;
    let people: Record<Exclude<ActorName, 'anonymous'> | 'member', Person>;
    let shared: Record<Visibility, ConversationFixture>;
    let ownerKeyId: string;
    let modelCount = 0;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'chorus-access-'));
      server = await startTestServer(kind, { DATA_DIR: dataDir });
      const db = server.runtime.database.db;
      await seedModels(db);
      // The offline model may be sent an image, so a conversation can hold a file its readers may fetch.
      await db
        .update(models)
        .set({ capabilities: ['vision'] })
        .where(eq(models.id, 'local:echo'));
      await server.runtime.modelCache.refresh();
      // The first to sign up is the site admin.
      const admin = await signUp(server, 'Site Admin');
      const owner = await signUp(server, 'Owner Olga');
      const other = await signUp(server, 'Other Otto');
      people = { admin, owner, other, member: await signUp(server, 'Member Mia'), guest: await signInAsGuest(server) };
      assert.equal(admin.actor.role, 'admin');
      assert.equal(owner.actor.role, 'user');
      ownerKeyId = (await createApiKey(server.runtime.store, { actor: owner.actor, name: 'owner key' })).id;
      shared = {
        private: await newConversation('private', { turn: true }),
        public: await newConversation('public', { turn: true }),
      };
    });
    after(async () => {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const clientOf = (actor: ActorName) => (actor === 'anonymous' ? null : people[actor].client);

    async function upload(person: Person) {
      const form = new FormData();
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'plan.png');
      const answer = await sendRaw(server.baseUrl, person.client, 'POST', '/api/files', { form });
      assert.equal(answer.status, 201, answer.text);
      return answer.json as { id: string; url: string };
    }

    async function newConversation(
      visibility: Visibility,
      options: { turn?: boolean; models?: boolean } = {},
    ): Promise<ConversationFixture> {
      const { store } = server.runtime;
      const owner = people.owner.actor;
      const marker = `secret-${crypto.randomUUID().slice(0, 8)}`;
      const title = `Plans ${marker}`;
      const modelIds = options.models === false ? [] : ['local:echo'];
      const { id } = await store.conversations.create({ actor: owner, title, visibility, modelIds });
      await store.participants.add({ actor: owner, conversationId: id, userId: people.member.id, role: 'member' });
      const invite = await store.invites.create({ actor: owner, conversationId: id });
      const fixture: ConversationFixture = {
        id,
        visibility,
        title,
        marker,
        inviteId: invite.id,
        inviteToken: invite.token,
      };
      if (!options.turn) return fixture;

      const file = await upload(people.owner);
      const chat = await sendRaw(server.baseUrl, people.owner.client, 'POST', '/api/chat', {
        body: {
          id,
          messages: [
            userMessage(`words of ${marker}`, {
              type: 'file',
              url: file.url,
              mediaType: 'image/png',
              filename: 'plan.png',
            }),
          ],
          modelIds: ['local:echo'],
        },
      });
      assert.equal(chat.status, 200, chat.text);
      const page = await store.messages.page({ actor: owner, conversationId: id });
      const reply = page.items.find((message) => message.role === 'assistant');
      assert.ok(reply, 'the offline model answered');
      const document = await store.documents.create({
        actor: owner,
        conversationId: id,
        title: `Notes ${marker}`,
        content: `a draft of ${marker}`,
      });
      return {
        ...fixture,
        replyId: reply.id,
        fileId: file.id,
        documentId: document.id,
        documentCreatedAt: document.createdAt.toISOString(),
      };
    }

    // ---- the admin API's own resources ----

    const sampleModel = (id: string) => ({
      id: `acme:${id}`,
      provider: 'acme',
      providerModelId: id,
      name: `Acme ${id}`,
      contextWindow: 32_000,
      pricing: { input: 1, output: 4 },
    });
    /** A group for an admin to change or delete. */
    /** An MCP server nothing answers at, for an admin to change, test or delete. */
    const newMcpServer = async () =>
      (
        await server.runtime.mcpServers.create({
          name: `s-${crypto.randomUUID().slice(0, 8)}`,
          transport: 'http',
          url: 'http://127.0.0.1:9/mcp',
          createdBy: people.admin.id,
        })
      ).id;
    const newGroup = async () =>
      (await server.runtime.store.modelAccess.createGroup({ name: `Group ${crypto.randomUUID()}` })).id;
    /** Someone for an admin to change or delete. */
    const newUser = async () => (await server.runtime.store.users.create({ displayName: 'Target' })).id;
    const adminPath = (id: string, rest = '') => `/api/admin/models/${encodeURIComponent(id)}${rest}`;
    const asAdmin = async (method: string, target: string, body: unknown, status: number) => {
      const answer = await sendRaw(server.baseUrl, people.admin.client, method, target, { body });
      assert.equal(answer.status, status, `${method} ${target}: ${answer.text}`);
      return answer.json;
    };
    /** A model of its own for one request: just created, deprecated, or edited once (so it has a version 1 to go back to). */
    const newModel = async (setup: 'created' | 'deprecated' | 'edited' = 'created') => {
      const model = sampleModel(`matrix-${++modelCount}`);
      await asAdmin('POST', '/api/admin/models', model, 201);
      if (setup === 'deprecated') await asAdmin('POST', adminPath(model.id, '/deprecate'), {}, 200);
      if (setup === 'edited') await asAdmin('PATCH', adminPath(model.id), { updates: { name: 'Edited' } }, 200);
      return model.id;
    };
    const uniqueModelId = () => `acme:matrix-${++modelCount}`;
    const ownerFolder = async () =>
      (await server.runtime.store.folders.create({ actor: people.owner.actor, name: `owner's ${++modelCount}` })).id;

    const ownerPrompt = async () =>
      (
        await server.runtime.store.savedPrompts.create({
          actor: people.owner.actor,
          prompt: { name: `owners-${++modelCount}`, text: 'Answer in French.' },
        })
      ).id;

    const documentPath = (conversation: ConversationFixture, rest = '') =>
      `/api/documents/${conversation.documentId}${rest}`;
    /** An open suggestion on the document's latest version (each caller resolves one of its own). */
    const newSuggestion = async (conversation: ConversationFixture) => {
      const actor = people.owner.actor;
      const documentId = conversation.documentId!;
      const latest = await server.runtime.store.documents.getLatest({ actor, id: documentId });
      const [suggestion] = await server.runtime.store.documents.saveSuggestions({
        actor,
        documentId,
        documentCreatedAt: latest.createdAt,
        suggestions: [{ originalText: 'draft', suggestedText: 'sketch', description: 'plainer' }],
      });
      return suggestion!.id;
    };
    const conversationPath = (conversation: ConversationFixture, rest = '') =>
      `/api/conversations/${conversation.id}${rest}`;
    const ECHO = encodeURIComponent('local:echo');

    //                                       anonymous guest other owner admin
    const ADMIN_ONLY = (ok: number): Statuses => [401, 403, 403, 403, ok];
    const SIGNED_IN = (ok: number): Statuses => [401, ok, ok, ok, ok];
    const OWNER_ONLY = (ok: number): Statuses => [401, 404, 404, ok, 404];
    /** On a public conversation: everyone signed in reads it... */
    const READERS = (ok: number): Statuses => [401, ok, ok, ok, ok];
    /** ...and is told 403 when they try to change it. */
    const OWNER_WRITES = (ok: number): Statuses => [401, 403, 403, ok, 403];

    const rows: Row[] = [
      // ---- the server, accounts and keys ----
      {
        method: 'GET',
        route: '/api/health',
        expect: [200, 200, 200, 200, 200],
        probe: () => ({ path: '/api/health' }),
      },
      {
        method: 'GET',
        route: '/api/health/ready',
        expect: [200, 200, 200, 200, 200],
        probe: () => ({ path: '/api/health/ready' }),
      },
      { method: 'GET', route: '/api/me', expect: SIGNED_IN(200), probe: () => ({ path: '/api/me' }) },
      // Guests have no settings to keep.
      {
        method: 'PATCH',
        route: '/api/me',
        expect: [401, 403, 200, 200, 200],
        probe: () => ({ path: '/api/me', body: { preferences: { theme: 'system' } } }),
      },
      // Each signed-in person links a Discord user of their own; a guest cannot link one.
      {
        method: 'POST',
        route: '/api/me/discord-link',
        expect: [401, 400, 204, 204, 204],
        probe: async () => {
          const discordUser = await server.runtime.discord.actorFor({
            discordId: String(Date.now() * 1000 + ++modelCount),
            name: 'Discord person',
            avatarUrl: null,
          });
          const { code } = await server.runtime.discord.createLinkCode(discordUser);
          return { path: '/api/me/discord-link', body: { code } };
        },
      },
      // Guests are refused keys: a key would outlive their throwaway session.
      {
        method: 'POST',
        route: '/api/keys',
        expect: [401, 403, 201, 201, 201],
        probe: () => ({ path: '/api/keys', body: { name: 'matrix' } }),
      },
      { method: 'GET', route: '/api/keys', expect: SIGNED_IN(200), probe: () => ({ path: '/api/keys' }) },
      {
        method: 'DELETE',
        route: '/api/keys/{id}',
        expect: OWNER_ONLY(204),
        probe: async () => {
          const key = await createApiKey(server.runtime.store, { actor: people.owner.actor, name: 'to revoke' });
          return { path: `/api/keys/${key.id}` };
        },
      },

      // ---- models and chat ----
      // How one may sign in is for anyone, signed in or not: the sign-in screen asks before anyone is.
      {
        method: 'GET',
        route: '/api/auth-options',
        expect: [200, 200, 200, 200, 200],
        probe: () => ({ path: '/api/auth-options' }),
      },
      {
        method: 'GET',
        route: '/api/models',
        expect: [200, 200, 200, 200, 200],
        probe: () => ({ path: '/api/models' }),
      },
      {
        method: 'POST',
        route: '/api/chat',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({
          path: '/api/chat',
          body: { id: conversation.id, messages: [userMessage('one more thing')], modelIds: ['local:echo'] },
        }),
      },
      {
        method: 'GET',
        route: '/api/chat/{id}/stream',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: `/api/chat/${conversation.id}/stream` }),
      },
      {
        method: 'POST',
        route: '/api/chat/{id}/replies',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        fresh: true,
        probe: async ({ conversation }) => {
          const [question] = await server.runtime.store.messages.save({
            actor: people.owner.actor,
            conversationId: conversation.id,
            messages: [{ role: 'user', content: 'ask again', parts: [{ type: 'text', text: 'ask again' }] }],
          });
          return {
            path: `/api/chat/${conversation.id}/replies`,
            body: { messageId: question!.id, modelId: 'local:echo' },
          };
        },
      },
      {
        method: 'POST',
        route: '/api/chat/{id}/stop',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({ path: `/api/chat/${conversation.id}/stop` }),
      },

      // ---- documents: written in the conversation, reached as it is ----
      {
        method: 'GET',
        route: '/api/documents/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: documentPath(conversation) }),
      },
      {
        method: 'GET',
        route: '/api/documents/{id}/versions/{createdAt}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({
          path: documentPath(conversation, `/versions/${encodeURIComponent(conversation.documentCreatedAt!)}`),
        }),
      },
      {
        method: 'GET',
        route: '/api/documents/{id}/suggestions',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: documentPath(conversation, '/suggestions') }),
      },
      {
        method: 'PUT',
        route: '/api/documents/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({ path: documentPath(conversation), body: { content: 'another draft' } }),
      },
      // Back to the latest version: nothing to drop, but only a writer may ask.
      {
        method: 'DELETE',
        route: '/api/documents/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: async ({ conversation }) => {
          const latest = await server.runtime.store.documents.getLatest({
            actor: people.owner.actor,
            id: conversation.documentId!,
          });
          return { path: documentPath(conversation, `?after=${encodeURIComponent(latest.createdAt.toISOString())}`) };
        },
      },
      {
        method: 'POST',
        route: '/api/suggestions/{id}/accept',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: async ({ conversation }) => ({ path: `/api/suggestions/${await newSuggestion(conversation)}/accept` }),
      },
      {
        method: 'POST',
        route: '/api/suggestions/{id}/reject',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: async ({ conversation }) => ({ path: `/api/suggestions/${await newSuggestion(conversation)}/reject` }),
      },

      // ---- files: the owner's upload, sent in the conversation ----
      {
        method: 'POST',
        route: '/api/files',
        expect: SIGNED_IN(201),
        probe: () => {
          const form = new FormData();
          form.append('file', new Blob([PNG], { type: 'image/png' }), 'mine.png');
          return { path: '/api/files', form };
        },
      },
      {
        method: 'GET',
        route: '/api/files/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: `/api/files/${conversation.fileId}` }),
      },
      // Deleting: only the uploader; readers of the conversation a file was sent in are told 403.
      {
        method: 'DELETE',
        route: '/api/files/{id}',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        fresh: true,
        probe: async ({ conversation }) => {
          const file = await upload(people.owner);
          const chat = await sendRaw(server.baseUrl, people.owner.client, 'POST', '/api/chat', {
            body: {
              id: conversation.id,
              messages: [
                userMessage('a file', { type: 'file', url: file.url, mediaType: 'image/png', filename: 'plan.png' }),
              ],
              modelIds: ['local:echo'],
            },
          });
          assert.equal(chat.status, 200, chat.text);
          return { path: `/api/files/${file.id}` };
        },
      },

      // ---- the OpenAI-compatible API ----
      { method: 'GET', route: '/v1/models', expect: SIGNED_IN(200), probe: () => ({ path: '/v1/models' }) },
      {
        method: 'GET',
        route: '/v1/models/{id}',
        expect: SIGNED_IN(200),
        probe: () => ({ path: `/v1/models/${ECHO}` }),
      },
      {
        method: 'POST',
        route: '/v1/chat/completions',
        expect: SIGNED_IN(200),
        probe: () => ({
          path: '/v1/chat/completions',
          body: { model: 'local:echo', messages: [{ role: 'user', content: 'hello' }] },
        }),
      },

      // ---- conversations ----
      {
        method: 'GET',
        route: '/api/conversations',
        expect: SIGNED_IN(200),
        probe: () => ({ path: '/api/conversations' }),
      },
      // Folders and how one keeps a conversation are each person's own: another's folder is not found, and only
      // the people of a conversation (not its public readers) keep it.
      { method: 'GET', route: '/api/folders', expect: SIGNED_IN(200), probe: () => ({ path: '/api/folders' }) },
      {
        method: 'POST',
        route: '/api/folders',
        expect: SIGNED_IN(201),
        probe: () => ({ path: '/api/folders', body: { name: `folder ${++modelCount}` } }),
      },
      {
        method: 'PATCH',
        route: '/api/folders/{id}',
        expect: OWNER_ONLY(200),
        probe: async () => ({ path: `/api/folders/${await ownerFolder()}`, body: { name: `renamed ${++modelCount}` } }),
      },
      {
        method: 'DELETE',
        route: '/api/folders/{id}',
        expect: OWNER_ONLY(204),
        probe: async () => ({ path: `/api/folders/${await ownerFolder()}` }),
      },
      // Saved prompts are each person's own, like folders.
      { method: 'GET', route: '/api/prompts', expect: SIGNED_IN(200), probe: () => ({ path: '/api/prompts' }) },
      {
        method: 'POST',
        route: '/api/prompts',
        expect: SIGNED_IN(201),
        probe: () => ({ path: '/api/prompts', body: { name: `prompt-${++modelCount}`, text: 'Be brief.' } }),
      },
      {
        method: 'PATCH',
        route: '/api/prompts/{id}',
        expect: OWNER_ONLY(200),
        probe: async () => ({ path: `/api/prompts/${await ownerPrompt()}`, body: { text: 'Be briefer.' } }),
      },
      {
        method: 'DELETE',
        route: '/api/prompts/{id}',
        expect: OWNER_ONLY(204),
        probe: async () => ({ path: `/api/prompts/${await ownerPrompt()}` }),
      },
      {
        method: 'PATCH',
        route: '/api/conversations/{id}/placement',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_ONLY(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/placement'), body: { pinned: false } }),
      },
      // Everyone searches only their own conversations: the private one's words find nothing for anyone else.
      {
        method: 'GET',
        route: '/api/search',
        expect: SIGNED_IN(200),
        probe: ({ conversation }) => ({ path: `/api/search?q=${conversation.marker}` }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation) }),
      },
      {
        method: 'PATCH',
        route: '/api/conversations/{id}',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation), body: { title: conversation.title } }),
      },
      {
        method: 'DELETE',
        route: '/api/conversations/{id}',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        fresh: true,
        probe: ({ conversation }) => ({ path: conversationPath(conversation) }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/messages',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/messages') }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/events',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/events'), endless: true }),
      },

      // ---- transcripts, exports and imports ----
      {
        method: 'GET',
        route: '/api/conversations/{id}/export',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/export?format=md') }),
      },
      {
        method: 'POST',
        route: '/api/conversations/{id}/transcripts',
        expect: OWNER_ONLY(201),
        whenPublic: READERS(201),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, '/transcripts'),
          body: { format: 'csv' },
        }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/transcripts',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/transcripts') }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/transcripts/{transcriptId}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: async ({ conversation }) => {
          const transcript = await server.runtime.transcripts.save({
            actor: people.owner.actor,
            conversationId: conversation.id,
            format: 'md',
          });
          return { path: conversationPath(conversation, `/transcripts/${transcript.id}`) };
        },
      },
      {
        method: 'POST',
        route: '/api/conversations/import',
        expect: SIGNED_IN(201),
        probe: () => ({
          path: '/api/conversations/import',
          body: {
            title: 'Imported',
            mapping: {
              root: { id: 'root', parent: null, children: ['hi'], message: null },
              hi: {
                id: 'hi',
                parent: 'root',
                children: [],
                message: { id: 'hi', author: { role: 'user' }, content: { content_type: 'text', parts: ['Hello'] } },
              },
            },
            current_node: 'hi',
          },
        }),
      },
      { method: 'GET', route: '/api/me/export', expect: SIGNED_IN(200), probe: () => ({ path: '/api/me/export' }) },

      // ---- votes on the model's reply ----
      {
        method: 'PUT',
        route: '/api/conversations/{id}/messages/{messageId}/vote',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, `/messages/${conversation.replyId}/vote`),
          body: { value: 'up' },
        }),
      },
      {
        method: 'DELETE',
        route: '/api/conversations/{id}/messages/{messageId}/vote',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, `/messages/${conversation.replyId}/vote`),
        }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/votes',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/votes') }),
      },

      // ---- threads ----
      {
        method: 'GET',
        route: '/api/conversations/{id}/threads/{messageId}',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, `/threads/${conversation.replyId}`) }),
      },

      // ---- the models of a conversation ----
      {
        method: 'GET',
        route: '/api/conversations/{id}/models',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/models') }),
      },
      {
        method: 'POST',
        route: '/api/conversations/{id}/models',
        expect: OWNER_ONLY(201),
        whenPublic: OWNER_WRITES(201),
        fresh: 'without models',
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, '/models'),
          body: { modelId: 'local:echo' },
        }),
      },
      {
        method: 'PATCH',
        route: '/api/conversations/{id}/models/{modelId}',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, `/models/${ECHO}`),
          body: { isActive: true },
        }),
      },
      {
        method: 'DELETE',
        route: '/api/conversations/{id}/models/{modelId}',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        fresh: true,
        probe: ({ conversation }) => ({ path: conversationPath(conversation, `/models/${ECHO}`) }),
      },
      {
        method: 'PUT',
        route: '/api/conversations/{id}/models/order',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, '/models/order'),
          body: { modelIds: ['local:echo'] },
        }),
      },

      // ---- the people of a conversation ----
      {
        method: 'GET',
        route: '/api/conversations/{id}/participants',
        expect: OWNER_ONLY(200),
        whenPublic: READERS(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/participants') }),
      },
      {
        method: 'PATCH',
        route: '/api/conversations/{id}/participants/{userId}',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, `/participants/${people.member.id}`),
          body: { role: 'member' },
        }),
      },
      {
        method: 'DELETE',
        route: '/api/conversations/{id}/participants/{userId}',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        fresh: true,
        probe: ({ conversation }) => ({ path: conversationPath(conversation, `/participants/${people.member.id}`) }),
      },
      // The owner cannot leave (409) before handing ownership on.
      {
        method: 'POST',
        route: '/api/conversations/{id}/leave',
        expect: OWNER_ONLY(409),
        whenPublic: OWNER_WRITES(409),
        fresh: true,
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/leave') }),
      },
      {
        method: 'POST',
        route: '/api/conversations/{id}/transfer',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        fresh: true,
        probe: ({ conversation }) => ({
          path: conversationPath(conversation, '/transfer'),
          body: { userId: people.member.id },
        }),
      },

      // ---- invitations ----
      {
        method: 'POST',
        route: '/api/conversations/{id}/invites',
        expect: OWNER_ONLY(201),
        whenPublic: OWNER_WRITES(201),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/invites'), body: { maxUses: 1 } }),
      },
      {
        method: 'GET',
        route: '/api/conversations/{id}/invites',
        expect: OWNER_ONLY(200),
        whenPublic: OWNER_WRITES(200),
        probe: ({ conversation }) => ({ path: conversationPath(conversation, '/invites') }),
      },
      {
        method: 'DELETE',
        route: '/api/conversations/{id}/invites/{inviteId}',
        expect: OWNER_ONLY(204),
        whenPublic: OWNER_WRITES(204),
        fresh: true,
        probe: ({ conversation }) => ({ path: conversationPath(conversation, `/invites/${conversation.inviteId}`) }),
      },
      // Whoever holds the link may join; the owner, already in, is told so (joined: false).
      {
        method: 'POST',
        route: '/api/invites/{token}/accept',
        expect: SIGNED_IN(200),
        whenPublic: SIGNED_IN(200),
        fresh: true,
        probe: ({ conversation }) => ({ path: `/api/invites/${conversation.inviteToken}/accept` }),
      },

      // ---- the admin API ----
      {
        method: 'GET',
        route: '/api/admin/models',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/models' }),
      },
      {
        method: 'POST',
        route: '/api/admin/models',
        expect: ADMIN_ONLY(201),
        probe: () => ({ path: '/api/admin/models', body: sampleModel(uniqueModelId().slice('acme:'.length)) }),
      },
      {
        method: 'GET',
        route: '/api/admin/models/export',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/models/export' }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/import',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/models/import?dryRun=1', body: [sampleModel('imported')] }),
      },
      {
        method: 'GET',
        route: '/api/admin/models/{id}',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: adminPath('local:echo') }),
      },
      {
        method: 'PATCH',
        route: '/api/admin/models/{id}',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: adminPath(await newModel()), body: { updates: { description: 'changed' } } }),
      },
      {
        method: 'DELETE',
        route: '/api/admin/models/{id}',
        expect: ADMIN_ONLY(204),
        probe: async () => ({ path: adminPath(await newModel()) }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/{id}/duplicate',
        expect: ADMIN_ONLY(201),
        probe: () => ({ path: adminPath('local:echo', '/duplicate'), body: { newId: uniqueModelId() } }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/{id}/deprecate',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: adminPath(await newModel(), '/deprecate'), body: {} }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/{id}/disable',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: adminPath(await newModel(), '/disable'), body: {} }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/{id}/restore',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: adminPath(await newModel('deprecated'), '/restore'), body: {} }),
      },
      {
        method: 'GET',
        route: '/api/admin/models/{id}/history',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: adminPath('local:echo', '/history') }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/{id}/revert',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: adminPath(await newModel('edited'), '/revert'), body: { toVersion: 1 } }),
      },
      {
        method: 'POST',
        route: '/api/admin/models/reprice',
        expect: ADMIN_ONLY(200),
        probe: () => ({
          path: '/api/admin/models/reprice',
          body: { since: new Date(Date.now() - 3_600_000).toISOString() },
        }),
      },
      {
        method: 'GET',
        route: '/api/admin/usage',
        expect: ADMIN_ONLY(200),
        probe: () => ({
          path: `/api/admin/usage?from=${new Date(Date.now() - 3_600_000).toISOString().slice(0, 10)}&groupBy=user`,
        }),
      },
      {
        method: 'GET',
        route: '/api/admin/users',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/users?q=otto' }),
      },
      {
        method: 'GET',
        route: '/api/admin/users/{id}',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: `/api/admin/users/${people.other.id}` }),
      },
      {
        method: 'PATCH',
        route: '/api/admin/users/{id}',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: `/api/admin/users/${await newUser()}`, body: { messagesPerDay: 5 } }),
      },
      {
        method: 'DELETE',
        route: '/api/admin/users/{id}',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: `/api/admin/users/${await newUser()}` }),
      },
      {
        method: 'GET',
        route: '/api/admin/groups',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/groups' }),
      },
      {
        method: 'POST',
        route: '/api/admin/groups',
        expect: ADMIN_ONLY(201),
        probe: () => ({ path: '/api/admin/groups', body: { name: `Group ${crypto.randomUUID()}` } }),
      },
      {
        method: 'PATCH',
        route: '/api/admin/groups/{id}',
        expect: ADMIN_ONLY(204),
        probe: async () => ({ path: `/api/admin/groups/${await newGroup()}`, body: { description: 'changed' } }),
      },
      {
        method: 'DELETE',
        route: '/api/admin/groups/{id}',
        expect: ADMIN_ONLY(204),
        probe: async () => ({ path: `/api/admin/groups/${await newGroup()}` }),
      },
      {
        method: 'PUT',
        route: '/api/admin/groups/{id}/members',
        expect: ADMIN_ONLY(204),
        probe: async () => ({
          path: `/api/admin/groups/${await newGroup()}/members`,
          body: { userIds: [people.other.id] },
        }),
      },
      {
        method: 'GET',
        route: '/api/admin/model-access',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/model-access' }),
      },
      {
        method: 'PUT',
        route: '/api/admin/model-access/{modelId}',
        expect: ADMIN_ONLY(204),
        probe: () => ({
          path: `/api/admin/model-access/${encodeURIComponent('local:echo')}`,
          body: { everyone: true },
        }),
      },
      {
        method: 'GET',
        route: '/api/admin/tools',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/tools' }),
      },
      {
        method: 'POST',
        route: '/api/admin/tools',
        expect: ADMIN_ONLY(201),
        probe: () => ({
          path: '/api/admin/tools',
          body: { name: `s-${crypto.randomUUID().slice(0, 8)}`, transport: 'stdio', command: 'true' },
        }),
      },
      {
        method: 'PATCH',
        route: '/api/admin/tools/{id}',
        expect: ADMIN_ONLY(200),
        probe: async () => ({ path: `/api/admin/tools/${await newMcpServer()}`, body: { description: 'changed' } }),
      },
      {
        method: 'DELETE',
        route: '/api/admin/tools/{id}',
        expect: ADMIN_ONLY(204),
        probe: async () => ({ path: `/api/admin/tools/${await newMcpServer()}` }),
      },
      {
        method: 'POST',
        route: '/api/admin/tools/{id}/test',
        // Nothing answers at the server's address: the admin is told why.
        expect: ADMIN_ONLY(502),
        probe: async () => ({ path: `/api/admin/tools/${await newMcpServer()}/test` }),
      },
      {
        method: 'GET',
        route: '/api/admin/tools/calls',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/tools/calls' }),
      },
      {
        method: 'GET',
        route: '/api/tools/servers',
        expect: SIGNED_IN(200),
        probe: () => ({ path: '/api/tools/servers' }),
      },
      {
        method: 'GET',
        route: '/api/admin/config',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/config' }),
      },
      {
        method: 'PUT',
        route: '/api/admin/config/{key}',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/config/matrix.note', body: { value: { checked: true } } }),
      },
      {
        method: 'GET',
        route: '/api/admin/config/{key}/history',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/config/matrix.note/history' }),
      },
      {
        method: 'GET',
        route: '/api/admin/config/keys',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/config/keys' }),
      },
      {
        method: 'GET',
        route: '/api/admin/metrics',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/metrics?hours=1' }),
      },
      {
        method: 'GET',
        route: '/api/admin/discord',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/discord' }),
      },
      {
        method: 'PUT',
        route: '/api/admin/discord/access',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/discord/access', body: {} }),
      },
      {
        method: 'PUT',
        route: '/api/admin/discord/channel-models',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/discord/channel-models', body: {} }),
      },
      {
        method: 'GET',
        route: '/api/admin/backups',
        expect: ADMIN_ONLY(200),
        probe: () => ({ path: '/api/admin/backups' }),
      },
      {
        method: 'POST',
        route: '/api/admin/backups',
        expect: ADMIN_ONLY(202),
        probe: () => ({ path: '/api/admin/backups' }),
      },
      {
        method: 'GET',
        route: '/api/admin/backups/{id}/download',
        // No such backup: what an admin is told; everyone else is refused before anything is looked up.
        expect: ADMIN_ONLY(404),
        probe: () => ({ path: '/api/admin/backups/00000000-0000-4000-8000-00000000b0b0/download' }),
      },
    ];

    /** What nobody but the owner (and the members) may ever be shown of the private conversation and the owner. */
    const privateData = () => [
      shared.private.title,
      shared.private.marker,
      shared.private.inviteToken,
      ownerKeyId,
      people.owner.email!,
    ];

    async function runRow(row: Row, visibility: Visibility) {
      const expected = visibility === 'private' ? row.expect : row.whenPublic!;
      const problems: string[] = [];
      for (const [index, actor] of ACTORS.entries()) {
        const conversation = row.fresh
          ? await newConversation(visibility, { models: row.fresh !== 'without models' })
          : shared[visibility];
        const probe = await row.probe({ actor, conversation });
        const answer = await sendRaw(server.baseUrl, clientOf(actor), row.method, probe.path, probe);
        const problem = problemOf(answer, expected[index]!, { actor, visibility, conversation });
        if (problem) problems.push(`${actor}: ${problem}`);
      }
      assert.deepEqual(
        problems,
        [],
        `${row.method} ${row.route} on a ${visibility} conversation:\n  ${problems.join('\n  ')}`,
      );
    }

    function problemOf(
      answer: RawAnswer,
      expected: number,
      {
        actor,
        visibility,
        conversation,
      }: { actor: ActorName; visibility: Visibility; conversation: ConversationFixture },
    ): string | undefined {
      const shown = `${answer.status} ${answer.text.slice(0, 300)}`;
      if (answer.status !== expected) return `expected ${expected}, got ${shown}`;
      if (answer.status >= 400) {
        try {
          assertErrorBody(answer, 'refusal');
        } catch (error) {
          return (error as Error).message;
        }
        const leaked = [conversation.title, conversation.marker, ...privateData()].find((text) =>
          answer.text.includes(text),
        );
        if (leaked) return `the refusal shows ${leaked}: ${shown}`;
      }
      if (visibility === 'private' && actor !== 'owner') {
        const leaked = privateData().find((text) => answer.text.includes(text));
        if (leaked) return `shown private data (${leaked}): ${shown}`;
      }
      return undefined;
    }

    const describeStatuses = (statuses: Statuses) =>
      ACTORS.map((actor, index) => `${actor} ${statuses[index]}`).join(', ');

    test('every operation of /api/openapi.json has a row here, and every row is a documented operation', async () => {
      const document = await sendRaw(server.baseUrl, null, 'GET', '/api/openapi.json');
      assert.equal(document.status, 200);
      const documented = Object.entries(document.json.paths as Record<string, Record<string, unknown>>)
        .flatMap(([route, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${route}`))
        .filter((operation) => !operation.includes(' /api/auth/'))
        .sort();
      const covered = rows.map((row) => `${row.method} ${row.route}`);
      const withoutRow = documented.filter((operation) => !covered.includes(operation));
      const notDocumented = covered.filter((operation) => !documented.includes(operation));
      assert.deepEqual({ withoutRow, notDocumented }, { withoutRow: [], notDocumented: [] });
    });

    for (const row of rows) {
      test(`${row.method} ${row.route}: ${describeStatuses(row.expect)}`, () => runRow(row, 'private'));
    }

    describe('on a public conversation, which everyone signed in reads but only its people change', () => {
      for (const row of rows.filter((candidate) => candidate.whenPublic)) {
        test(`${row.method} ${row.route}: ${describeStatuses(row.whenPublic!)}`, () => runRow(row, 'public'));
      }
    });

    // A page of a sibling subdomain is the same site: the browser sends the session cookie along with its requests.
    describe('from a page of another site, the session of the one who may do it is refused every change: 403', () => {
      for (const row of rows.filter((candidate) => candidate.method !== 'GET')) {
        const actor: ActorName = row.route.startsWith('/api/admin/') ? 'admin' : 'owner';
        test(`${row.method} ${row.route}, as the ${actor}`, async () => {
          const conversation = row.fresh
            ? await newConversation('private', { models: row.fresh !== 'without models' })
            : shared.private;
          const probe = await row.probe({ actor, conversation });
          const answer = await sendRaw(server.baseUrl, clientOf(actor), row.method, probe.path, {
            ...probe,
            headers: { ...probe.headers, origin: 'http://elsewhere.chorus.test' },
          });
          assert.equal(answer.status, 403, answer.text);
          assertErrorBody(answer, 'cross-site refusal');
          assert.match(
            answer.json.error.message,
            /must come from this app's own pages, not from http:\/\/elsewhere\.chorus\.test/,
          );
        });
      }
    });
  });
}
