// The shapes the API shows say what the tables say: a column's nullability and enum values are written once, in
// the Drizzle schema, and every DTO that shows the column carries them (checked on the OpenAPI document, which is
// what clients, the web app's generated types among them, read).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { getTableColumns, type Table } from 'drizzle-orm';
import {
  conversationInvites,
  conversationModels,
  conversationParticipants,
  conversations,
  messages,
  modelHistory,
  models,
  users,
  votes,
} from '../../src/db/schema/index.ts';
import { describeApi } from '../../src/http/app.ts';

const schemas = describeApi().components?.schemas as Record<string, any>;

/** Each named shape, and the tables its fields come from (a field named as a column shows that column). */
const SHAPES: Array<[string, Table[]]> = [
  ['Message', [messages]],
  ['ConversationSummary', [conversations]],
  ['Conversation', [conversations]],
  ['Participant', [conversationParticipants, users]],
  ['Invite', [conversationInvites]],
  ['Vote', [votes]],
  ['ConversationModel', [conversationModels]],
  ['ModelHistoryEntry', [modelHistory]],
  ['Profile', [users]],
  ['PickableModel', [models]],
];

/** Fields that show a column on purpose otherwise, and why. */
const SHOWN_OTHERWISE: Record<string, string> = {
  'PickableModel.status': 'only the statuses a model can be picked in',
};

/** The schema a property resolves to: a `$ref` followed to its component. */
function resolved(property: any): any {
  return property?.$ref ? schemas[property.$ref.split('/').at(-1)] : property;
}

const isNullable = (property: any) => {
  const type = resolved(property)?.type;
  return Array.isArray(type) ? type.includes('null') : type === 'null';
};

describe('the shapes the API shows', () => {
  for (const [name, tables] of SHAPES) {
    test(`${name}: each field that shows a column has its nullability and enum values`, () => {
      const shape = schemas[name];
      assert.ok(shape?.properties, `${name} is a named object in the document`);
      let checked = 0;
      for (const [field, property] of Object.entries<any>(shape.properties)) {
        const column = tables.map((table) => getTableColumns(table)[field]).find(Boolean);
        if (!column || SHOWN_OTHERWISE[`${name}.${field}`]) continue;
        checked++;
        assert.equal(isNullable(property), !column.notNull, `${name}.${field} is nullable as its column is`);
        if (column.enumValues && column.columnType === 'PgEnumColumn') {
          const values = (resolved(property).enum as unknown[]).filter((value) => value !== null);
          assert.deepEqual(values, column.enumValues, `${name}.${field} takes its column's enum values`);
        }
      }
      assert.ok(checked > 0, `${name} shows columns of its tables`);
    });
  }

  test('an enum column shown under its own name takes the database enum values: roles, statuses, visibility', () => {
    const enumOf = (shape: string, field: string) =>
      (resolved(schemas[shape].properties[field]).enum as unknown[]).filter((value) => value !== null);
    assert.deepEqual(enumOf('Message', 'status'), messages.status.enumValues);
    assert.deepEqual(enumOf('Message', 'role'), messages.role.enumValues);
    assert.deepEqual(enumOf('Participant', 'role'), conversationParticipants.role.enumValues);
    assert.deepEqual(enumOf('Profile', 'role'), users.role.enumValues);
    assert.deepEqual(enumOf('ConversationSummary', 'visibility'), conversations.visibility.enumValues);
    assert.deepEqual(enumOf('ModelHistoryEntry', 'kind'), modelHistory.kind.enumValues);
  });

  test('a whole conversation says your role may be null (you read it because it is public), a summary that it is not', () => {
    assert.equal(isNullable(schemas.Conversation.properties.role), true);
    assert.equal(isNullable(schemas.ConversationSummary.properties.role), false);
  });
});
