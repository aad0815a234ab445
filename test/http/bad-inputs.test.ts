// Bad requests, one per row: each gets its own 4xx — never a 5xx — as the one JSON error shape
// `{ error: { code, message } }`, and a message that names what is wrong. Paths and bodies name the test's own
// resources by placeholders: {conversation} (the owner's, with one answered question), {question} and {reply}
// (its two messages), {member} (someone in it), {invite} (an invitation to it), {new} (a fresh UUID).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { readEnvironment } from '../../src/config/env.ts';
import { MAX_JSON_DEPTH } from '../../src/http/request-body.ts';
import { seedModels } from '../../src/models/seed.ts';
import { testBackends } from '../support/database.ts';
import { type Person, signUp } from '../support/people.ts';
import { assertErrorBody, type RawRequest, sendRaw } from '../support/raw-request.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

type BadInput = {
  name: string;
  /** Who sends it: the owner of {conversation} unless said otherwise. */
  as?: 'owner' | 'admin' | 'nobody';
  method: string;
  path: string;
  request?: RawRequest;
  status: number;
  /** What the message must say. */
  message: RegExp;
  /** More about the error, when its details matter (which entry, which field). */
  details?: (details: any) => void;
};

const bad = (
  name: string,
  method: string,
  path: string,
  request: RawRequest | undefined,
  status: number,
  message: RegExp,
  extra: Pick<BadInput, 'as' | 'details'> = {},
): BadInput => ({ name, method, path, request, status, message, ...extra });

const asAdmin = { as: 'admin' } as const;

/** The one error code each status goes with (src/errors.ts). */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'invalid_input',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

const say = (text: string, id = '{new}', ...moreParts: object[]) => ({
  id,
  role: 'user',
  parts: [{ type: 'text', text }, ...moreParts],
});
const chat = (overrides: Record<string, unknown>) => ({
  body: { id: '{new}', messages: [say('hello')], modelIds: ['local:echo'], ...overrides },
});
const completion = (overrides: Record<string, unknown>) => ({
  body: { model: 'local:echo', messages: [{ role: 'user', content: 'hello' }], ...overrides },
});
const model = (overrides: Record<string, unknown> = {}) => ({
  id: 'acme:fresh',
  provider: 'acme',
  providerModelId: 'fresh',
  name: 'Acme fresh',
  contextWindow: 8000,
  pricing: { input: 1, output: 2 },
  ...overrides,
});
/** A cursor in the server's own encoding (base64url of `<ISO time>|<id>`), holding what a client chose to put in it. */
const forgedCursor = (time: string, id: string) => Buffer.from(`${time}|${id}`).toString('base64url');
// Just enough of a PNG for its signature: files are told apart by their first bytes.
const PNG_BYTES = Uint8Array.from(
  { length: 64 },
  (_, index) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a][index] ?? 0x2a,
);

const ECHO = encodeURIComponent('local:echo');

/** The limits the test server runs with: the defaults. */
const { CHORUS_MAX_BODY_BYTES: MAX_BODY_BYTES, CHORUS_MAX_MESSAGE_CHARS: MAX_MESSAGE_CHARS } = readEnvironment({});
/** JSON arrays inside each other, `depth` deep, as text (JSON.stringify itself recurses, and would overflow). */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
/** A chat request whose text part carries `extra` (JSON text) in a field of its own, which parts may have. */
const chatWithPartField = (extra: string) =>
  `{"id":"{new}","modelIds":["local:echo"],"messages":[{"id":"m1","role":"user","parts":[{"type":"text","text":"hi","extra":${extra}}]}]}`;
const TOO_DEEP = new RegExp(`nests objects and arrays more than ${MAX_JSON_DEPTH} deep`);
/** A JSON string of `bytes` characters, the body itself past the limit by a little. */
const padding = (bytes: number) => 'x'.repeat(bytes);
const EDITABLE = encodeURIComponent('acme:editable');

const CASES: BadInput[] = [
  // ---- bodies that are not what the route reads ----
  bad('malformed JSON', 'POST', '/api/keys', { rawBody: '{"name":' }, 400, /json/i),
  bad('malformed JSON to the chat', 'POST', '/api/chat', { rawBody: '{"id": ' }, 400, /json/i),
  bad(
    'malformed JSON to a conversation change',
    'PATCH',
    '/api/conversations/{conversation}',
    { rawBody: "{title:'x'}" },
    400,
    /json/i,
  ),
  bad(
    'malformed JSON to an admin change',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { rawBody: '[' },
    400,
    /json/i,
    asAdmin,
  ),
  bad(
    'a JSON body that is not an object',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: ['title'] },
    400,
    /object/i,
  ),
  bad(
    'a JSON null body',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { rawBody: 'null' },
    400,
    /value|object/i,
  ),
  bad(
    'form data where JSON is expected',
    'PATCH',
    '/api/conversations/{conversation}',
    { rawBody: 'title=x', contentType: 'application/x-www-form-urlencoded' },
    415,
    /application\/x-www-form-urlencoded is not what this route reads/,
  ),
  bad(
    'plain text where JSON is expected',
    'POST',
    '/api/chat',
    { rawBody: 'hello', contentType: 'text/plain' },
    415,
    /text\/plain is not what this route reads/,
  ),
  bad(
    'no body where one is required',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { rawBody: '' },
    400,
    /value|body|json/i,
  ),
  bad(
    'JSON where an upload is expected',
    'POST',
    '/api/files',
    { body: { file: 'cat.png' } },
    415,
    /application\/json is not what this route reads/,
  ),
  bad(
    'an upload without its file field',
    'POST',
    '/api/files',
    { form: formWith('picture', 'image/png', PNG_BYTES) },
    400,
    /file/,
  ),
  bad(
    'an upload that is not an image or a PDF',
    'POST',
    '/api/files',
    { form: formWith('file', 'text/plain', new TextEncoder().encode('just text, no picture')) },
    415,
    /text\/plain/,
  ),
  bad('an empty upload', 'POST', '/api/files', { form: formWith('file', 'image/png', new Uint8Array()) }, 400, /empty/),

  // ---- wrong types ----
  bad('a key name that is a number', 'POST', '/api/keys', { body: { name: 42 } }, 400, /name/),
  bad('a title that is a number', 'PATCH', '/api/conversations/{conversation}', { body: { title: 5 } }, 400, /title/),
  bad(
    'a visibility that does not exist',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { visibility: 'secret' } },
    400,
    /visibility/,
  ),
  bad(
    'a temperature that is a word',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { parameters: { temperature: 'hot' } } },
    400,
    /temperature/,
  ),
  bad(
    'a vote that is a boolean',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { body: { value: true } },
    400,
    /value/,
  ),
  bad(
    'maxUses as a word',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { maxUses: 'ten' } },
    400,
    /maxUses/,
  ),
  bad('messages that are a string', 'POST', '/api/chat', chat({ messages: 'hello' }), 400, /messages/),
  bad('modelIds that are a string', 'POST', '/api/chat', chat({ modelIds: 'local:echo' }), 400, /modelIds/),
  bad('a trigger that does not exist', 'POST', '/api/chat', chat({ trigger: 'shout' }), 400, /trigger/),
  bad(
    'a /v1 message content that is a number',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'user', content: 42 }] }),
    400,
    /content/,
  ),
  bad('a /v1 stream flag that is a word', 'POST', '/v1/chat/completions', completion({ stream: 'yes' }), 400, /stream/),
  bad(
    'a context window as text',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { contextWindow: '8k' } } },
    400,
    /contextWindow/,
    asAdmin,
  ),
  bad(
    'a reprice period that is not a date',
    'POST',
    '/api/admin/models/reprice',
    { body: { since: 'yesterday' } },
    400,
    /since/,
    asAdmin,
  ),

  // ---- required fields left out ----
  bad(
    'a chat request without a conversation id',
    'POST',
    '/api/chat',
    { body: { messages: [say('hi')] } },
    400,
    /\bid\b/,
  ),
  bad(
    'a chat request without a message',
    'POST',
    '/api/chat',
    { body: { id: '{new}', modelIds: ['local:echo'] } },
    400,
    /message/,
  ),
  bad(
    'a regenerate without the reply to redo',
    'POST',
    '/api/chat',
    chat({ id: '{conversation}', trigger: 'regenerate-message' }),
    400,
    /messageId/,
  ),
  bad(
    'a vote without its value',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { body: {} },
    400,
    /value/,
  ),
  bad(
    'a transfer without the new owner',
    'POST',
    '/api/conversations/{conversation}/transfer',
    { body: {} },
    400,
    /userId/,
  ),
  bad(
    'a role change without the role',
    'PATCH',
    '/api/conversations/{conversation}/participants/{member}',
    { body: {} },
    400,
    /role/,
  ),
  bad(
    'adding a model without its id',
    'POST',
    '/api/conversations/{conversation}/models',
    { body: {} },
    400,
    /modelId/,
  ),
  bad(
    'a model change that changes nothing',
    'PATCH',
    `/api/conversations/{conversation}/models/${ECHO}`,
    { body: {} },
    400,
    /at least one of settings, isActive/,
  ),
  bad(
    'a conversation change that changes nothing',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: {} },
    400,
    /at least one of title, visibility, parameters/,
  ),
  bad(
    'a /v1 request without a model',
    'POST',
    '/v1/chat/completions',
    { body: { messages: [{ role: 'user', content: 'hi' }] } },
    400,
    /model/,
  ),
  bad(
    'a /v1 request without messages',
    'POST',
    '/v1/chat/completions',
    { body: { model: 'local:echo' } },
    400,
    /messages/,
  ),
  bad(
    'a new model with only an id',
    'POST',
    '/api/admin/models',
    { body: { id: 'acme:bare' } },
    400,
    /provider.*name|name.*provider/s,
    asAdmin,
  ),
  bad('a usage report without its start', 'GET', '/api/admin/usage?groupBy=model', undefined, 400, /from/, asAdmin),
  bad(
    'a revert without the version',
    'POST',
    `/api/admin/models/${EDITABLE}/revert`,
    { body: {} },
    400,
    /toVersion/,
    asAdmin,
  ),
  bad(
    'a duplicate without the new id',
    'POST',
    `/api/admin/models/${EDITABLE}/duplicate`,
    { body: {} },
    400,
    /newId/,
    asAdmin,
  ),
  bad('a reprice without its start', 'POST', '/api/admin/models/reprice', { body: {} }, 400, /since/, asAdmin),

  // ---- fields the schema does not know, where it is strict ----
  bad(
    'an unknown field in a conversation change',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { title: 'x', colour: 'red' } },
    400,
    /colour/,
  ),
  bad(
    'an unknown generation parameter',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { parameters: { temperature: 1, magic: true } } },
    400,
    /magic/,
  ),
  bad(
    'an unknown field in a vote',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { body: { value: 'up', weight: 2 } },
    400,
    /weight/,
  ),
  bad(
    'an unknown field in an invitation',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { uses: 3 } },
    400,
    /uses/,
  ),
  bad(
    'an unknown field in a role change',
    'PATCH',
    '/api/conversations/{conversation}/participants/{member}',
    { body: { role: 'admin', note: 'x' } },
    400,
    /note/,
  ),
  bad(
    'an unknown field in a transfer',
    'POST',
    '/api/conversations/{conversation}/transfer',
    { body: { userId: '{member}', keepAdmin: false } },
    400,
    /keepAdmin/,
  ),
  bad(
    'an unknown field in a model change',
    'PATCH',
    `/api/conversations/{conversation}/models/${ECHO}`,
    { body: { isActive: true, extra: 1 } },
    400,
    /extra/,
  ),
  bad(
    'an unknown field in a reorder',
    'PUT',
    '/api/conversations/{conversation}/models/order',
    { body: { modelIds: ['local:echo'], reverse: true } },
    400,
    /reverse/,
  ),
  bad(
    'an id field in a model edit',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { id: 'acme:other' } } },
    400,
    /not an editable field: id/,
    asAdmin,
  ),
  bad(
    'an unknown field in a model edit',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { colour: 'red' } } },
    400,
    /not an editable field: colour/,
    asAdmin,
  ),

  // ---- ids that are not UUIDs ----
  bad('a conversation id that is not a UUID', 'GET', '/api/conversations/not-a-uuid', undefined, 400, /\bid\b/),
  bad(
    'a conversation id that is not a UUID, for its messages',
    'GET',
    '/api/conversations/123/messages',
    undefined,
    400,
    /\bid\b/,
  ),
  bad(
    'a conversation id that is not a UUID, for its events',
    'GET',
    '/api/conversations/abc/events',
    undefined,
    400,
    /\bid\b/,
  ),
  bad('a conversation id that is not a UUID, to delete', 'DELETE', '/api/conversations/abc', undefined, 400, /\bid\b/),
  bad('a key id that is not a UUID', 'DELETE', '/api/keys/123', undefined, 400, /\bid\b/),
  bad('a file id that is not a UUID', 'GET', '/api/files/cat.png', undefined, 400, /\bid\b/),
  bad(
    'a stream to resume of a conversation id that is not a UUID',
    'GET',
    '/api/chat/abc/stream',
    undefined,
    400,
    /\bid\b/,
  ),
  bad('a stop of a conversation id that is not a UUID', 'POST', '/api/chat/abc/stop', undefined, 400, /\bid\b/),
  bad(
    'a message id that is not a UUID',
    'PUT',
    '/api/conversations/{conversation}/messages/xyz/vote',
    { body: { value: 'up' } },
    400,
    /messageId/,
  ),
  bad(
    'a person id that is not a UUID',
    'DELETE',
    '/api/conversations/{conversation}/participants/xyz',
    undefined,
    400,
    /userId/,
  ),
  bad(
    'an invitation id that is not a UUID',
    'DELETE',
    '/api/conversations/{conversation}/invites/xyz',
    undefined,
    400,
    /inviteId/,
  ),
  bad('a chat conversation id that is not a UUID', 'POST', '/api/chat', chat({ id: 'my-chat' }), 400, /\bid\b/),
  bad(
    'a new owner id that is not a UUID',
    'POST',
    '/api/conversations/{conversation}/transfer',
    { body: { userId: 'bob' } },
    400,
    /userId/,
  ),
  bad('an invitation token past its length', 'POST', `/api/invites/${'x'.repeat(65)}/accept`, undefined, 400, /token/),

  // ---- page sizes and cursors ----
  bad('a page of none', 'GET', '/api/conversations?limit=0', undefined, 400, /limit/),
  bad('a page past the largest', 'GET', '/api/conversations?limit=101', undefined, 400, /limit/),
  bad('a page size that is a word', 'GET', '/api/conversations?limit=ten', undefined, 400, /limit/),
  bad('a page size with a fraction', 'GET', '/api/conversations?limit=1.5', undefined, 400, /limit/),
  bad(
    'a page of messages past the largest',
    'GET',
    '/api/conversations/{conversation}/messages?limit=1000',
    undefined,
    400,
    /limit/,
  ),
  bad('a page of admin models of none', 'GET', '/api/admin/models?limit=0', undefined, 400, /limit/, asAdmin),
  bad('a cursor the server never issued', 'GET', '/api/conversations?cursor=garbage', undefined, 400, /cursor/),
  bad('an empty cursor', 'GET', '/api/conversations?cursor=', undefined, 400, /cursor/),
  bad(
    'a messages cursor the server never issued',
    'GET',
    '/api/conversations/{conversation}/messages?before=garbage',
    undefined,
    400,
    /cursor/,
  ),
  bad(
    'an admin cursor the server never issued',
    'GET',
    '/api/admin/models?cursor=garbage',
    undefined,
    400,
    /cursor/,
    asAdmin,
  ),
  bad(
    'a cursor holding a time the database cannot store',
    'GET',
    `/api/conversations?cursor=${forgedCursor('-271821-04-20T00:00:00.000Z', '6f1c2a44-9a7e-4c39-9a65-4a4a0f3c2b10')}`,
    undefined,
    400,
    /cursor/,
  ),
  bad(
    'a cursor holding an id that only looks like a UUID',
    'GET',
    `/api/conversations/{conversation}/messages?before=${forgedCursor('2026-01-01T00:00:00.000Z', '-'.repeat(36))}`,
    undefined,
    400,
    /cursor/,
  ),
  bad(
    'a cursor holding the year 0, which the database does not have',
    'GET',
    `/api/conversations?cursor=${forgedCursor('0000-01-01T00:00:00.000Z', '6f1c2a44-9a7e-4c39-9a65-4a4a0f3c2b10')}`,
    undefined,
    400,
    /cursor/,
  ),
  bad(
    'an admin cursor holding an id with a NUL character',
    'GET',
    `/api/admin/models?cursor=${Buffer.from(JSON.stringify([0, 'local:\u0000'])).toString('base64url')}`,
    undefined,
    400,
    /cursor/,
    asAdmin,
  ),
  bad(
    'an admin cursor holding a position past any integer',
    'GET',
    `/api/admin/models?cursor=${Buffer.from(JSON.stringify([1e20, 'local:echo'])).toString('base64url')}`,
    undefined,
    400,
    /cursor/,
    asAdmin,
  ),

  // ---- text the database cannot hold: the NUL character (PostgreSQL refuses it in text and jsonb: 22021) ----
  bad(
    'a title holding a NUL character',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { title: 'nul\u0000title' } },
    400,
    /NUL|\\u0000|title/,
  ),
  bad(
    'a key name holding a NUL character',
    'POST',
    '/api/keys',
    { body: { name: 'nul\u0000key' } },
    400,
    /NUL|\\u0000|name/,
  ),
  bad(
    'a message holding a NUL character',
    'POST',
    '/api/chat',
    chat({ messages: [say('nul\u0000message')] }),
    400,
    /NUL|\\u0000|text/,
  ),
  bad(
    'a /v1 message holding a NUL character',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'user', content: 'nul\u0000message' }] }),
    400,
    /NUL|\\u0000|content/,
  ),
  bad(
    'a sign-up name holding a NUL character',
    'POST',
    '/api/auth/sign-up/email',
    { body: { email: 'nul@example.test', password: 'a long enough password', name: 'nul\u0000name' } },
    400,
    /./,
    { as: 'nobody' },
  ),

  // ---- a lone UTF-16 surrogate (JSON's `\ud800` alone), which PostgreSQL's jsonb refuses ----
  bad(
    'a message holding a lone surrogate',
    'POST',
    '/api/chat',
    chat({ messages: [say('half x\ud800y a pair')] }),
    400,
    /messages\.0\.parts\.0\.text holds a lone surrogate/,
  ),
  bad(
    'a message holding the other half alone',
    'POST',
    '/api/chat',
    chat({ messages: [say('half \udc00')] }),
    400,
    /lone surrogate/,
  ),
  bad(
    'a /v1 message holding a lone surrogate',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'user', content: 'x\ud800y' }] }),
    400,
    /messages\.0\.content holds a lone surrogate/,
  ),
  bad(
    'a config value holding a lone surrogate',
    'PUT',
    '/api/admin/config/matrix.note',
    { body: { value: { note: 'x\ud800' } } },
    400,
    /value\.note holds a lone surrogate/,
    asAdmin,
  ),
  bad(
    'a key name holding a lone surrogate',
    'POST',
    '/api/keys',
    { body: { name: 'key \ud800' } },
    400,
    /name holds a lone surrogate/,
  ),

  // ---- JSON nested deeper than any request needs (it would wedge the embedded database, or overflow a stack) ----
  bad(
    'a message part holding JSON nested 2,000 deep',
    'POST',
    '/api/chat',
    { rawBody: chatWithPartField(nested(2_000)) },
    400,
    TOO_DEEP,
  ),
  bad(
    'a message part holding JSON nested 100,000 deep',
    'POST',
    '/api/chat',
    { rawBody: chatWithPartField(nested(100_000)) },
    400,
    TOO_DEEP,
  ),
  bad(
    'a message part holding objects nested past the bound by one',
    'POST',
    '/api/chat',
    { rawBody: chatWithPartField(`${'{"a":'.repeat(MAX_JSON_DEPTH - 4)}1${'}'.repeat(MAX_JSON_DEPTH - 4)}`) },
    400,
    TOO_DEEP,
  ),
  bad(
    'a /v1 request nested deep',
    'POST',
    '/v1/chat/completions',
    { rawBody: `{"model":"local:echo","messages":[{"role":"user","content":"hi"}],"user":${nested(5_000)}}` },
    400,
    TOO_DEEP,
  ),
  bad(
    'a config value nested deep',
    'PUT',
    '/api/admin/config/matrix.note',
    { rawBody: `{"value":${nested(100_000)}}` },
    400,
    TOO_DEEP,
    asAdmin,
  ),
  bad(
    'an import nested deep',
    'POST',
    '/api/admin/models/import',
    { rawBody: `[${nested(100_000)}]` },
    400,
    TOO_DEEP,
    asAdmin,
  ),
  bad(
    'a sign-up nested deep',
    'POST',
    '/api/auth/sign-up/email',
    {
      rawBody: `{"email":"deep@example.test","password":"a long enough password","name":"Deep","image":${nested(100_000)}}`,
    },
    400,
    TOO_DEEP,
    { as: 'nobody' },
  ),

  // ---- sizes: a body past its limit (413), a message past the most text one may hold (400) ----
  bad(
    'a body past the limit',
    'POST',
    '/api/keys',
    { body: { name: padding(MAX_BODY_BYTES) } },
    413,
    new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`),
  ),
  bad(
    'a chat request past the limit',
    'POST',
    '/api/chat',
    chat({ messages: [say(padding(MAX_BODY_BYTES))] }),
    413,
    new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`),
  ),
  bad(
    'a /v1 request past the limit',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'user', content: padding(MAX_BODY_BYTES) }] }),
    413,
    new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`),
  ),
  bad(
    'a sign-up past the limit',
    'POST',
    '/api/auth/sign-up/email',
    { body: { email: 'big@example.test', password: 'a long enough password', name: padding(MAX_BODY_BYTES) } },
    413,
    new RegExp(`larger than the limit of ${MAX_BODY_BYTES} bytes`),
    { as: 'nobody' },
  ),
  bad(
    'a message past the most text',
    'POST',
    '/api/chat',
    chat({ messages: [say(padding(MAX_MESSAGE_CHARS + 1))] }),
    400,
    new RegExp(
      `messages\\.0\\.parts holds ${MAX_MESSAGE_CHARS + 1} characters of text; a message may hold at most ${MAX_MESSAGE_CHARS}`,
    ),
  ),
  bad(
    'a message past the most text, in two parts',
    'POST',
    '/api/chat',
    {
      body: {
        id: '{new}',
        message: say(padding(MAX_MESSAGE_CHARS), '{new}', { type: 'text', text: '!' }),
        modelIds: ['local:echo'],
      },
    },
    400,
    new RegExp(`message\\.parts holds ${MAX_MESSAGE_CHARS + 1} characters`),
  ),
  bad(
    'a /v1 message past the most text',
    'POST',
    '/v1/chat/completions',
    completion({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: padding(MAX_MESSAGE_CHARS + 1) },
      ],
    }),
    400,
    new RegExp(`messages\\.1\\.content holds ${MAX_MESSAGE_CHARS + 1} characters`),
  ),

  // ---- models that cannot answer ----
  bad(
    'a model that does not exist',
    'POST',
    '/api/chat',
    chat({ modelIds: ['nope:nothing'] }),
    400,
    /nope:nothing: no such model/,
  ),
  bad(
    'a model id of the wrong shape',
    'POST',
    '/api/chat',
    chat({ modelIds: ['not a model'] }),
    400,
    /provider:providerModelId/,
  ),
  bad(
    'a deprecated model',
    'POST',
    '/api/chat',
    chat({ modelIds: ['acme:old'] }),
    400,
    /acme:old: the model is deprecated/,
  ),
  bad(
    'a model whose provider is not configured',
    'POST',
    '/api/chat',
    chat({ modelIds: ['acme:editable'] }),
    400,
    /acme:editable: provider acme is not configured/,
  ),
  bad(
    'nine models at once',
    'POST',
    '/api/chat',
    chat({ modelIds: Array.from({ length: 9 }, (_, index) => `local:echo-${index}`) }),
    400,
    /modelIds/,
  ),
  bad('no model at all', 'POST', '/api/chat', chat({ modelIds: [] }), 400, /modelIds/),
  bad(
    'web search with a model that cannot search',
    'POST',
    '/api/chat',
    chat({ webSearch: { contextSize: 'high' } }),
    400,
    /local:echo: the model cannot search the web/,
  ),
  bad(
    'a web search size that does not exist',
    'POST',
    '/api/chat',
    chat({ webSearch: { contextSize: 'huge' } }),
    400,
    /contextSize/,
  ),
  bad(
    'adding a model that does not exist',
    'POST',
    '/api/conversations/{conversation}/models',
    { body: { modelId: 'nope:nothing' } },
    400,
    /nope:nothing: no such model/,
  ),
  bad(
    'adding a deprecated model',
    'POST',
    '/api/conversations/{conversation}/models',
    { body: { modelId: 'acme:old' } },
    400,
    /acme:old: the model is deprecated/,
  ),
  bad(
    'changing a model the conversation does not have',
    'PATCH',
    `/api/conversations/{conversation}/models/${encodeURIComponent('nope:nothing')}`,
    { body: { isActive: false } },
    404,
    /nope:nothing/,
  ),
  bad(
    'a reply order naming a model not in it',
    'PUT',
    '/api/conversations/{conversation}/models/order',
    { body: { modelIds: ['local:echo', 'nope:nothing'] } },
    400,
    /must list every model of the conversation exactly once/,
    {
      details: (details) =>
        assert.deepEqual(details, { expected: ['local:echo'], given: ['local:echo', 'nope:nothing'] }),
    },
  ),
  bad(
    'a reply order leaving a model out',
    'PUT',
    '/api/conversations/{conversation}/models/order',
    { body: { modelIds: [] } },
    400,
    /must list every model of the conversation exactly once/,
    { details: (details) => assert.deepEqual(details, { expected: ['local:echo'], given: [] }) },
  ),
  bad(
    'a /v1 model that does not exist',
    'GET',
    `/v1/models/${encodeURIComponent('nope:nothing')}`,
    undefined,
    404,
    /nope:nothing/,
  ),
  bad(
    'a /v1 completion by a model that does not exist',
    'POST',
    '/v1/chat/completions',
    completion({ model: 'nope:nothing' }),
    404,
    /nope:nothing/,
  ),
  bad(
    'a /v1 completion by a deprecated model',
    'POST',
    '/v1/chat/completions',
    completion({ model: 'acme:old' }),
    404,
    /acme:old/,
  ),
  bad(
    'an admin model that does not exist',
    'GET',
    `/api/admin/models/${encodeURIComponent('nope:nothing')}`,
    undefined,
    404,
    /nope:nothing/,
    asAdmin,
  ),

  // ---- what a message may hold ----
  bad('an empty message', 'POST', '/api/chat', chat({ messages: [say('')] }), 400, /no text and no file/),
  bad('a message of blanks', 'POST', '/api/chat', chat({ messages: [say('  \n\t ')] }), 400, /no text and no file/),
  bad(
    'a message without parts',
    'POST',
    '/api/chat',
    chat({ messages: [{ id: 'm1', role: 'user', parts: [] }] }),
    400,
    /no text and no file/,
  ),
  bad(
    'a new message from the assistant',
    'POST',
    '/api/chat',
    chat({ messages: [{ ...say('hi'), role: 'assistant' }] }),
    400,
    /role user/,
  ),
  bad(
    'a reasoning part in a new message',
    'POST',
    '/api/chat',
    chat({ messages: [{ id: 'm1', role: 'user', parts: [{ type: 'reasoning', text: 'hmm' }] }] }),
    400,
    /reasoning are not supported/,
  ),
  bad(
    'a text part without its text',
    'POST',
    '/api/chat',
    chat({ messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text' }] }] }),
    400,
    /text/,
  ),
  bad(
    'a file sent inline instead of uploaded',
    'POST',
    '/api/chat',
    chat({
      messages: [
        say('see', '{new}', { type: 'file', url: 'data:image/png;base64,iVBORw0KGgo=', mediaType: 'image/png' }),
      ],
    }),
    400,
    /upload/i,
  ),
  bad(
    'a message id past its length',
    'POST',
    '/api/chat',
    chat({ messages: [say('hi', 'x'.repeat(129))] }),
    400,
    /messages/,
  ),
  bad(
    'a title past 255 characters',
    'PATCH',
    '/api/conversations/{conversation}',
    { body: { title: 'x'.repeat(256) } },
    400,
    /title/,
  ),
  bad('a title of blanks', 'PATCH', '/api/conversations/{conversation}', { body: { title: '   ' } }, 400, /title/),
  bad(
    'a vote that is neither up nor down',
    'PUT',
    '/api/conversations/{conversation}/messages/{reply}/vote',
    { body: { value: 'sideways' } },
    400,
    /value/,
  ),
  bad(
    "a vote on a person's message",
    'PUT',
    '/api/conversations/{conversation}/messages/{question}/vote',
    { body: { value: 'up' } },
    400,
    /only replies of models can be voted on/,
  ),
  bad(
    'making someone the owner by a role change',
    'PATCH',
    '/api/conversations/{conversation}/participants/{member}',
    { body: { role: 'owner' } },
    400,
    /role/,
  ),
  bad(
    'an invitation that expired before it was made',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { expiresInHours: -1 } },
    400,
    /expiresInHours/,
  ),
  bad(
    'an invitation for longer than a year',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { expiresInHours: 24 * 366 } },
    400,
    /expiresInHours/,
  ),
  bad(
    'an invitation nobody may use',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { maxUses: 0 } },
    400,
    /maxUses/,
  ),
  bad(
    'an invitation that makes owners',
    'POST',
    '/api/conversations/{conversation}/invites',
    { body: { role: 'owner' } },
    400,
    /role/,
  ),
  bad('an invitation token nobody was given', 'POST', '/api/invites/not-a-real-token/accept', undefined, 404, /invit/i),
  bad('a key name past 100 characters', 'POST', '/api/keys', { body: { name: 'k'.repeat(101) } }, 400, /name/),
  bad(
    'an event id past its length',
    'GET',
    '/api/conversations/{conversation}/events',
    { headers: { 'last-event-id': '9'.repeat(65) }, endless: true },
    400,
    /last-event-id/,
  ),
  bad(
    'an event id past its length, in the query',
    'GET',
    `/api/conversations/{conversation}/events?lastEventId=${'9'.repeat(65)}`,
    { endless: true },
    400,
    /lastEventId/,
  ),

  // ---- the OpenAI-compatible API ----
  bad(
    'a /v1 message from a tool',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'tool', content: 'done' }] }),
    400,
    /tool_call_id/,
  ),
  bad('several choices', 'POST', '/v1/chat/completions', completion({ n: 2 }), 400, /only n = 1 is supported/),
  bad(
    'tools for a model that cannot call them',
    'POST',
    '/v1/chat/completions',
    completion({ tools: [{ type: 'function', function: { name: 'f' } }] }),
    400,
    /cannot call tools/,
  ),
  bad(
    'a tool with a name no model accepts',
    'POST',
    '/v1/chat/completions',
    completion({ tools: [{ type: 'function', function: { name: 'get weather' } }] }),
    400,
    /tool name/,
  ),
  bad(
    'an image in a /v1 message',
    'POST',
    '/v1/chat/completions',
    completion({
      messages: [
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.test/cat.png' } }] },
      ],
    }),
    400,
    /"image_url" are not supported; only text/,
  ),
  bad('no /v1 messages', 'POST', '/v1/chat/completions', completion({ messages: [] }), 400, /messages/),
  bad(
    'only a system message',
    'POST',
    '/v1/chat/completions',
    completion({ messages: [{ role: 'system', content: 'Be brief.' }] }),
    400,
    /user message with text/,
  ),
  bad('a temperature past 2', 'POST', '/v1/chat/completions', completion({ temperature: 3 }), 400, /temperature/),
  bad('max_tokens of none', 'POST', '/v1/chat/completions', completion({ max_tokens: 0 }), 400, /max_tokens/),

  // ---- the admin API ----
  bad(
    'a negative price',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { pricing: { input: -1 } } } },
    400,
    /pricing\.input/,
    asAdmin,
  ),
  bad(
    'a capability that does not exist',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { capabilities: ['telepathy'] } } },
    400,
    /capabilities/,
    asAdmin,
  ),
  bad(
    'a status that does not exist',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { status: 'retired' } } },
    400,
    /status/,
    asAdmin,
  ),
  bad(
    'a context window of none',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { contextWindow: 0 } } },
    400,
    /contextWindow/,
    asAdmin,
  ),
  bad(
    'an edit of a model that does not exist',
    'PATCH',
    `/api/admin/models/${encodeURIComponent('nope:nothing')}`,
    { body: { updates: { name: 'x' } } },
    404,
    /nope:nothing/,
    asAdmin,
  ),
  bad(
    'an edit against a version that moved on',
    'PATCH',
    `/api/admin/models/${EDITABLE}`,
    { body: { updates: { name: 'x' }, expectedVersion: 99 } },
    409,
    /version/,
    asAdmin,
  ),
  bad(
    'a new model whose id is not its provider and provider id',
    'POST',
    '/api/admin/models',
    { body: model({ id: 'acme:other' }) },
    400,
    /id must equal provider:providerModelId/,
    asAdmin,
  ),
  bad(
    'a new model with an id of the wrong shape',
    'POST',
    '/api/admin/models',
    { body: model({ id: 'Not An Id' }) },
    400,
    /provider:providerModelId/,
    asAdmin,
  ),
  bad(
    'a new model that already exists',
    'POST',
    '/api/admin/models',
    { body: model({ id: 'acme:editable', providerModelId: 'editable' }) },
    409,
    /acme:editable/,
    asAdmin,
  ),
  bad(
    'a reason that is empty',
    'POST',
    `/api/admin/models/${EDITABLE}/deprecate`,
    { body: { reason: '  ' } },
    400,
    /reason/,
    asAdmin,
  ),
  bad(
    'a revert to version 0',
    'POST',
    `/api/admin/models/${EDITABLE}/revert`,
    { body: { toVersion: 0 } },
    400,
    /toVersion/,
    asAdmin,
  ),
  bad(
    'a revert to a version that never was',
    'POST',
    `/api/admin/models/${EDITABLE}/revert`,
    { body: { toVersion: 99 } },
    404,
    /99/,
    asAdmin,
  ),
  bad(
    'a delete against a version that is not a number',
    'DELETE',
    `/api/admin/models/${EDITABLE}?expectedVersion=abc`,
    undefined,
    400,
    /expectedVersion/,
    asAdmin,
  ),
  bad(
    'a list filtered by a status that does not exist',
    'GET',
    '/api/admin/models?status=retired',
    undefined,
    400,
    /status/,
    asAdmin,
  ),
  bad(
    'a list filtered by a capability that does not exist',
    'GET',
    '/api/admin/models?capability=telepathy',
    undefined,
    400,
    /capability/,
    asAdmin,
  ),
  bad(
    'a usage report grouped by week',
    'GET',
    '/api/admin/usage?from=2026-01-01&groupBy=week',
    undefined,
    400,
    /groupBy/,
    asAdmin,
  ),
  bad(
    'a usage report from a day that is not a date',
    'GET',
    '/api/admin/usage?from=tomorrow',
    undefined,
    400,
    /from/,
    asAdmin,
  ),
  bad(
    'an import that is not a list',
    'POST',
    '/api/admin/models/import',
    { body: { models: [] } },
    400,
    /array|list/i,
    asAdmin,
  ),
  bad(
    'an import asked to half-run',
    'POST',
    '/api/admin/models/import?dryRun=maybe',
    { body: [] },
    400,
    /dryRun/,
    asAdmin,
  ),
  bad(
    'an import with bad entries, each named by index and field',
    'POST',
    '/api/admin/models/import',
    {
      body: [
        model(),
        model({ id: 'acme:cheap', providerModelId: 'cheap', pricing: { input: -1, output: 1 } }),
        model({ id: 'acme:nameless', providerModelId: 'nameless', name: undefined, capabilities: ['telepathy'] }),
        'not a model',
      ],
    },
    400,
    /the import has 4 problems in 3 entries; nothing was imported/,
    {
      ...asAdmin,
      details: (details) => {
        const found = (details as { index: number | null; field: string }[])
          .map((problem) => `${problem.index}:${problem.field}`)
          .sort();
        assert.deepEqual(found, ['1:pricing.input', '2:capabilities.0', '2:name', '3:']);
      },
    },
  ),
  bad(
    'an import naming one model twice',
    'POST',
    '/api/admin/models/import',
    { body: [model(), model()] },
    400,
    /1 problem in 1 entry/,
    {
      ...asAdmin,
      details: (details) =>
        assert.deepEqual(details, [{ index: 1, field: 'id', message: 'acme:fresh is already entry 0' }]),
    },
  ),

  bad('a config key with a space', 'PUT', '/api/admin/config/bad%20key', { body: { value: 1 } }, 400, /key/, asAdmin),
  bad('a config change without its value', 'PUT', '/api/admin/config/matrix.note', { body: {} }, 400, /value/, asAdmin),
  bad(
    'an unknown field in a config change',
    'PUT',
    '/api/admin/config/matrix.note',
    { body: { value: 1, note: 'x' } },
    400,
    /note/,
    asAdmin,
  ),
  bad(
    'daily limits that are not numbers',
    'PUT',
    '/api/admin/config/limits.messagesPerDay',
    { body: { value: { guest: 'lots' } } },
    400,
    /limits\.messagesPerDay.*guest/,
    asAdmin,
  ),

  // ---- nothing there ----
  bad('a route that does not exist', 'GET', '/api/nowhere', undefined, 404, /no route for GET \/api\/nowhere/),
  bad('a method a route does not have', 'DELETE', '/api/me', undefined, 404, /no route for DELETE \/api\/me/),
  bad('a sign-in with malformed JSON', 'POST', '/api/auth/sign-in/email', { rawBody: '{"email":' }, 400, /./, {
    as: 'nobody',
  }),
];

function formWith(field: string, type: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append(field, new Blob([bytes], { type }), 'upload.bin');
  return form;
}

for (const kind of testBackends()) {
  describe(`bad inputs on ${kind}: each its own 4xx, named`, () => {
    let server: TestServer;
    let admin: Person;
    let owner: Person;
    let placeholders: Record<string, string>;

    before(async () => {
      server = await startTestServer(kind);
      await seedModels(server.runtime.database.db);
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, 'Admin Ada');
      owner = await signUp(server, 'Owner Otto');
      const member = await signUp(server, 'Member Mo');
      for (const [id, status] of [
        ['acme:old', 'deprecated'],
        ['acme:editable', 'active'],
      ] as const) {
        const created = await sendRaw(server.baseUrl, admin.client, 'POST', '/api/admin/models', {
          body: model({ id, providerModelId: id.slice('acme:'.length), status }),
        });
        assert.equal(created.status, 201, created.text);
      }

      const { store } = server.runtime;
      const conversation = await store.conversations.create({
        actor: owner.actor,
        title: 'Questions',
        modelIds: ['local:echo'],
      });
      await store.participants.add({ actor: owner.actor, conversationId: conversation.id, userId: member.id });
      const invite = await store.invites.create({ actor: owner.actor, conversationId: conversation.id });
      const answered = await sendRaw(server.baseUrl, owner.client, 'POST', '/api/chat', {
        body: {
          id: conversation.id,
          messages: [say('what is two and two?', crypto.randomUUID())],
          modelIds: ['local:echo'],
        },
      });
      assert.equal(answered.status, 200, answered.text);
      const { items } = await store.messages.page({ actor: owner.actor, conversationId: conversation.id });
      placeholders = {
        conversation: conversation.id,
        question: items.find((message) => message.role === 'user')!.id,
        reply: items.find((message) => message.role === 'assistant')!.id,
        member: member.id,
        invite: invite.id,
      };
    });
    after(() => server?.close());

    /** Fills in the placeholders; each {new} is a UUID of its own. */
    const fill = (text: string) =>
      text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        name === 'new' ? crypto.randomUUID() : (placeholders[name] ?? whole),
      );

    const clientOf = (who: BadInput['as']) => (who === 'nobody' ? null : who === 'admin' ? admin.client : owner.client);

    for (const input of CASES) {
      test(`${input.status} for ${input.name}: ${input.method} ${input.path.slice(0, 80)}`, async () => {
        const request = { ...input.request };
        if (request.body !== undefined) request.rawBody = fill(JSON.stringify(request.body));
        else if (request.rawBody !== undefined) request.rawBody = fill(request.rawBody);
        delete request.body;
        const answer = await sendRaw(server.baseUrl, clientOf(input.as), input.method, fill(input.path), request);
        const shown = `${answer.status} ${answer.text.slice(0, 500)}`;
        assert.equal(answer.status, input.status, shown);
        assertErrorBody(answer, input.name);
        assert.equal(answer.json.error.code, CODE_OF_STATUS[input.status], shown);
        assert.match(answer.json.error.message, input.message, shown);
        if (input.path.startsWith('/v1/')) {
          assert.equal(typeof answer.json.error.type, 'string', `OpenAI's type is added: ${shown}`);
          assert.ok('param' in answer.json.error, `OpenAI's param is added: ${shown}`);
        }
        input.details?.(answer.json.error.details);
      });
    }
  });
}
