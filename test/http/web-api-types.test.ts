// The web app's API types are the server's own: generated from the OpenAPI document the server serves, never
// copied by hand, and regenerated (npm run generate:web-types) whenever a route or a shape changes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { generateWebApiTypes, WEB_API_TYPES_FILE } from '../../scripts/web-api-types.ts';
import { describeApi } from '../../src/http/app.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

describe('the web app’s API types', () => {
  let server: TestServer;
  let document: any;

  before(async () => {
    server = await startTestServer('pglite');
    document = (await new TestClient(server.baseUrl).get('/api/openapi.json')).body;
  });
  after(() => server?.close());

  test('web/src/generated/api.ts is what npm run generate:web-types writes from the current document', async () => {
    const committed = readFileSync(WEB_API_TYPES_FILE, 'utf8');
    assert.ok(
      committed === (await generateWebApiTypes()),
      'web/src/generated/api.ts is stale: run `npm run generate:web-types` and commit the result',
    );
  });

  test('they are generated from the very document GET /api/openapi.json serves', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(describeApi())), document);
  });

  test('the shapes only event streams carry are named in the document: the conversation events, the reply summary', () => {
    const { ConversationEvent, ReplySummary } = document.components.schemas;
    assert.ok(ReplySummary, 'the data-reply part of the chat stream');
    assert.deepEqual(ReplySummary.required, ['messageId', 'modelId', 'status']);
    assert.deepEqual(
      document.paths['/api/conversations/{id}/events'].get.responses[200].content['text/event-stream'].schema,
      { $ref: '#/components/schemas/ConversationEvent' },
    );
    const types = ConversationEvent.oneOf.map((event: any) => event.properties.type.enum[0]);
    assert.ok(types.includes('message-created') && types.includes('reply-finished'), types.join(', '));
  });

  test('a message-created event carries the message as the messages route shows it', () => {
    const { Message, ConversationEvent } = document.components.schemas;
    const created = ConversationEvent.oneOf.find((event: any) => event.properties.type.enum[0] === 'message-created');
    for (const [field, schema] of Object.entries(created.properties.message.properties)) {
      assert.deepEqual(schema, Message.properties[field], `message.${field} is the Message's own ${field}`);
    }
  });
});
