// Rows in every table of the schema, with the values that are hardest to move intact: bytea with every
// byte, jsonb `null` next to SQL NULL, a numeric beyond a double's precision, millisecond timestamps,
// a bigint past 2^32, a document with two versions, and a reply stored before the message it answers
// (its id sorts first), so a copy in primary-key order meets the child before its parent.
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema/index.ts';

export const EARLIER_MESSAGE_ID = '00000000-0000-4000-8000-000000000001';
export const LATER_MESSAGE_ID = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

const at = (iso: string) => new Date(iso);

export async function insertOneOfEverything(db: Database) {
  const [alice, bob] = await db
    .insert(schema.users)
    .values([
      {
        username: 'alice',
        email: 'alice@example.com',
        displayName: 'Alice Ünïcode ✓',
        role: 'admin',
        preferences: { theme: 'dark', nested: { list: [1, 2.5, 'x'] } },
      },
      { username: 'bob', isGuest: true, discordId: '123456789012345678', createdAt: at('2025-02-03T04:05:06.789Z') },
    ])
    .returning();
  await db.insert(schema.models).values([
    {
      id: 'test:alpha',
      provider: 'test',
      providerModelId: 'alpha',
      name: 'Alpha',
      contextWindow: 8192,
      pricing: { input: 0.15, output: 0.6, cacheRead: null },
      capabilities: ['vision', 'tools'],
    },
    {
      id: 'test:beta',
      provider: 'test',
      providerModelId: 'beta',
      name: 'Beta',
      contextWindow: 4096,
      pricing: { input: 3, output: 15 },
      status: 'deprecated',
    },
  ]);
  await db.insert(schema.modelHistory).values({
    modelId: 'test:alpha',
    version: 1,
    kind: 'created',
    changes: [{ field: 'pricing.input', oldValue: null, newValue: 0.15 }],
    snapshot: { id: 'test:alpha', pricing: { input: 0.15 } },
    changedBy: alice!.id,
  });
  const [conversation] = await db
    .insert(schema.conversations)
    .values({
      title: 'Everything',
      ownerId: alice!.id,
      origin: 'discord',
      discordChannelId: '42',
      parameters: { temperature: 0.7, systemPrompt: 'Be "brief"\n\ttabs' },
      settings: { replyMode: 'parallel', charLimit: null },
      encryptedTitle: Uint8Array.from([0, 255, 1, 254]),
      titleKeyId: 'key-1',
    })
    .returning();
  const conversationId = conversation!.id;
  const [folder] = await db
    .insert(schema.conversationFolders)
    .values({ userId: alice!.id, name: 'Work' })
    .returning({ id: schema.conversationFolders.id });
  await db.insert(schema.savedPrompts).values({ userId: alice!.id, name: 'brief', text: 'Answer in "one" line.\n' });
  await db.insert(schema.conversationParticipants).values({
    conversationId,
    userId: alice!.id,
    role: 'owner',
    folderId: folder!.id,
    pinnedAt: at('2026-01-02T03:04:05.006Z'),
  });
  await db.insert(schema.conversationInvites).values({
    conversationId,
    token: 'invite-token',
    createdBy: alice!.id,
    maxUses: 3,
    expiresAt: at('2030-01-01T00:00:00.001Z'),
  });
  await db
    .insert(schema.conversationModels)
    .values({ conversationId, modelId: 'test:alpha', position: 1, settings: { persona: 'critic' } });

  // The question has the larger id, so its answer (smaller id) comes first in primary-key order.
  await db.insert(schema.messages).values({
    id: LATER_MESSAGE_ID,
    conversationId,
    role: 'user',
    senderId: alice!.id,
    content: 'Why?',
    parts: [{ type: 'text', text: 'Why?' }],
    requestId: 'req-1',
    createdAt: at('2026-01-02T03:04:05.678Z'),
  });
  await db.insert(schema.messages).values({
    id: EARLIER_MESSAGE_ID,
    conversationId,
    role: 'assistant',
    modelId: 'test:alpha',
    modelVersion: 1,
    parentId: LATER_MESSAGE_ID,
    content: 'Because.',
    inputTokens: 10,
    outputTokens: 2,
    latencyMs: 321,
    isFirstResponder: true,
    hasWebSearch: true,
    webSearchContextSize: 'medium',
    metadata: { finishReason: 'stop' },
  });
  await db.insert(schema.messages).values({
    conversationId,
    role: 'user',
    senderId: bob!.id,
    // In the thread of the question: a reference to a message besides parent_id.
    threadRootId: LATER_MESSAGE_ID,
    content: null,
    encryptedContent: Uint8Array.from({ length: 256 }, (_, index) => index),
    encryptionKeyId: 'key-1',
    attachments: [{ key: 'files/a.png', name: 'a.png', mediaType: 'image/png', sizeBytes: 12 }],
    status: 'stopped',
  });
  // Set in SQL: a JavaScript number could not even carry this value to the database.
  await db.execute(sql`update messages set cost_usd = 1234567890.1234567891 where id = ${EARLIER_MESSAGE_ID}`);

  await db
    .insert(schema.votes)
    .values({ messageId: EARLIER_MESSAGE_ID, userId: alice!.id, conversationId, isUpvoted: true });
  await db.insert(schema.streams).values({ id: 'stream-1', conversationId });
  const documentId = '11111111-1111-4111-8111-111111111111';
  await db.insert(schema.documents).values([
    {
      id: documentId,
      createdAt: at('2026-03-01T00:00:00.001Z'),
      title: 'Draft',
      content: 'v1',
      kind: 'code',
      userId: alice!.id,
      conversationId,
    },
    {
      id: documentId,
      createdAt: at('2026-03-01T00:00:00.002Z'),
      title: 'Draft',
      content: 'v2',
      kind: 'code',
      userId: alice!.id,
    },
  ]);
  await db.insert(schema.suggestions).values({
    documentId,
    documentCreatedAt: at('2026-03-01T00:00:00.001Z'),
    originalText: 'v1',
    suggestedText: 'v1.1',
    userId: bob!.id,
    accepted: false,
    isResolved: true,
  });
  await db.insert(schema.files).values({
    ownerId: alice!.id,
    conversationId,
    mediaType: 'image/png',
    sizeBytes: 68,
    name: 'Ünïcode "chart".png',
    storageKey: `${alice!.id}/chart`,
    sha256: 'ab'.repeat(32),
  });
  await db.insert(schema.transcripts).values({
    conversationId,
    storageKey: 'transcripts/1.json',
    format: 'json',
    fileSizeBytes: 2 ** 40 + 1,
    messageCount: 3,
    createdBy: alice!.id,
  });
  await db
    .insert(schema.metrics)
    .values({ clientBotId: 'bot-1', metricType: 'latency', metricData: { p50: 12.5, p99: 120 } });
  await db.insert(schema.systemConfigs).values([
    { key: 'models.read_source', value: { mode: 'rollout', percent: 25 }, updatedBy: alice!.id },
    // A jsonb `null` in a NOT NULL column: must stay a JSON null, not become SQL NULL.
    { key: 'feature.unset', value: sql`'null'::jsonb` },
  ]);
  await db
    .insert(schema.systemConfigChanges)
    .values({ key: 'feature.unset', oldValue: null, newValue: sql`'null'::jsonb`, changedBy: alice!.id });
  await db.insert(schema.backupLogs).values({
    backupType: 'full',
    status: 'completed',
    completedAt: at('2026-04-05T06:07:08.009Z'),
    fileSizeBytes: 9_007_199_254_740_991,
    checksum: 'sha256:abc',
    errorMessage: null,
  });
  await db.insert(schema.authSessions).values({
    userId: alice!.id,
    token: 'session-token',
    expiresAt: at('2030-01-01T00:00:00.001Z'),
    ipAddress: '203.0.113.7',
    userAgent: 'Mozilla/5.0 "quoted"',
  });
  await db.insert(schema.authAccounts).values([
    { userId: alice!.id, providerId: 'credential', accountId: alice!.id, password: 'salt:hash' },
    {
      userId: bob!.id,
      providerId: 'github',
      accountId: '42',
      accessToken: 'access',
      accessTokenExpiresAt: at('2030-01-01T00:00:00.002Z'),
      scope: 'read:user',
    },
  ]);
  await db
    .insert(schema.authVerifications)
    .values({ identifier: 'reset-password:abc', value: alice!.id, expiresAt: at('2030-01-01T00:00:00.003Z') });
  await db.insert(schema.apiKeys).values({
    userId: alice!.id,
    name: 'laptop',
    prefix: 'chorus_AbCd',
    keyHash: 'f'.repeat(64),
    lastUsedAt: at('2026-05-06T07:08:09.010Z'),
  });
  await db.insert(schema.dailyUsage).values({ userId: bob!.id, day: '2026-02-03', messages: 7 });
  await db
    .insert(schema.authRateLimits)
    .values({ key: '203.0.113.7|/sign-in/email', count: 2, lastRequest: 1_790_000_000_123 });
  await db.insert(schema.discordLinkCodes).values({
    codeHash: 'e'.repeat(64),
    userId: bob!.id,
    expiresAt: at('2030-01-01T00:00:00.004Z'),
    usedAt: at('2026-06-07T08:09:10.011Z'),
  });
  await db
    .insert(schema.discordReplyMessages)
    .values({ discordMessageId: '123456789012345678', messageId: EARLIER_MESSAGE_ID });
  const [testers] = await db
    .insert(schema.userGroups)
    .values({ name: 'Testers', description: 'may use the beta model' })
    .returning({ id: schema.userGroups.id });
  await db.insert(schema.userGroupMembers).values({ groupId: testers!.id, userId: bob!.id });
  await db.insert(schema.modelAccess).values({ modelId: 'test:beta', updatedBy: alice!.id });
  await db.insert(schema.modelAccessGroups).values({ modelId: 'test:beta', groupId: testers!.id });
  const [weather] = await db
    .insert(schema.mcpServers)
    .values({
      name: 'weather',
      transport: 'stdio',
      command: 'node',
      args: ['weather.mjs', '--units "metric"'],
      secrets: { headers: {}, env: { WEATHER_TOKEN: 'sëcret' } },
      createdBy: alice!.id,
    })
    .returning({ id: schema.mcpServers.id });
  await db.insert(schema.toolCalls).values({
    conversationId,
    messageId: EARLIER_MESSAGE_ID,
    userId: bob!.id,
    serverId: weather!.id,
    serverName: 'weather',
    toolName: 'forecast',
    toolCallId: 'call-1',
    input: { city: 'Zürich' },
    output: { content: [{ type: 'text', text: 'sunny' }] },
    startedAt: at('2026-06-07T08:09:10.012Z'),
    durationMs: 42,
  });
  return { aliceId: alice!.id, bobId: bob!.id, conversationId };
}
