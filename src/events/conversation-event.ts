// What the participants of a conversation are told as it happens (GET /api/conversations/:id/events): new
// messages, each model's reply as it streams and finishes, and changes to who and what takes part. One schema,
// so the OpenAPI document, the publishers and the readers agree on every shape; a message is the API's message,
// a finished reply the reply stream's summary, a role or a visibility the database's enum.
import { createSelectSchema } from 'drizzle-zod';
import { z } from 'zod';
import { replySummarySchema } from '../chat/reply-summary.ts';
import { conversationVisibility, participantRole, users } from '../db/schema/index.ts';
import { messageSchema } from '../http/dto/message.ts';

const uuid = z.uuid();
const userRow = createSelectSchema(users);
const role = createSelectSchema(participantRole);

/** A person's message, as saved: enough to show it without fetching it. */
const messageCreated = z.object({
  type: z.literal('message-created'),
  message: messageSchema.pick({
    id: true,
    role: true,
    parentId: true,
    threadRootId: true,
    senderId: true,
    content: true,
    parts: true,
    attachments: true,
    createdAt: true,
  }),
  /** Who wrote it: the display name (else the username) and avatar, as the participants list shows them. */
  sender: z.object({ id: userRow.shape.id, name: z.string(), avatarUrl: userRow.shape.avatarUrl }).nullable(),
});

/** A model's reply exists (status streaming); its text follows in reply-delta events with the same messageId. */
const replyCreated = z.object({
  type: z.literal('reply-created'),
  messageId: uuid,
  modelId: z.string(),
  /** The person's message it answers. */
  parentId: uuid,
  /** The thread it is in (the message the thread hangs on); null in the main conversation. */
  threadRootId: uuid.nullable(),
});

/** More text of a reply; deltas of one reply arrive in order, several coalesced into one event. */
const replyDelta = z.object({
  type: z.literal('reply-delta'),
  messageId: uuid,
  modelId: z.string(),
  delta: z.string(),
});

/** A web page the reply cites (web search). */
const replySource = z.object({
  type: z.literal('reply-source'),
  messageId: uuid,
  modelId: z.string(),
  url: z.string(),
  title: z.string().optional(),
});

/** The reply calls a tool; its result follows in reply-tool-result with the same toolCallId. */
const replyToolCall = z.object({
  type: z.literal('reply-tool-call'),
  messageId: uuid,
  modelId: z.string(),
  toolCallId: z.string(),
  toolName: z.string(),
  input: z.unknown(),
});

/** A tool call ended: its output, or the error the model was told. */
const replyToolResult = z.object({
  type: z.literal('reply-tool-result'),
  messageId: uuid,
  modelId: z.string(),
  toolCallId: z.string(),
  toolName: z.string(),
  output: z.unknown().optional(),
  errorText: z.string().optional(),
});

/** A reply ended: complete, stopped or error, with what it cost. */
const replyFinished = z.object({
  type: z.literal('reply-finished'),
  ...replySummarySchema.pick({
    messageId: true,
    modelId: true,
    inputTokens: true,
    outputTokens: true,
    cachedInputTokens: true,
    costUsd: true,
    latencyMs: true,
    error: true,
  }).shape,
  status: replySummarySchema.shape.status.exclude(['streaming']),
});

/** Every reply to the person's message has ended. */
const turnFinished = z.object({ type: z.literal('turn-finished'), parentId: uuid });

/** The turn as a whole failed (every model failed, or its replies could not be saved). */
const turnError = z.object({ type: z.literal('turn-error'), parentId: uuid, error: z.string() });

const memberJoined = z.object({ type: z.literal('member-joined'), userId: uuid, role });
const memberLeft = z.object({ type: z.literal('member-left'), userId: uuid });
const memberRemoved = z.object({ type: z.literal('member-removed'), userId: uuid, byUserId: uuid });
const memberRoleChanged = z.object({ type: z.literal('member-role-changed'), userId: uuid, role });
const modelAdded = z.object({ type: z.literal('model-added'), modelId: z.string() });
const modelRemoved = z.object({ type: z.literal('model-removed'), modelId: z.string() });
const conversationDeleted = z.object({ type: z.literal('conversation-deleted') });
/** Who may read the conversation changed: private, its people only; public, anyone signed in (read-only). */
const visibilityChanged = z.object({
  type: z.literal('visibility-changed'),
  visibility: createSelectSchema(conversationVisibility),
});
/** An edit or a regeneration removed these messages (the ones after the edited message, or a prompt's replies). */
const messagesDeleted = z.object({ type: z.literal('messages-deleted'), messageIds: z.array(uuid) });

/**
 * The events a client asked to resume after are no longer kept (too old, or the server restarted): refetch the
 * messages, then carry on with the events that follow this one.
 */
const reset = z.object({ type: z.literal('reset') });

export const conversationEventSchema = z
  .discriminatedUnion('type', [
    messageCreated,
    replyCreated,
    replyDelta,
    replySource,
    replyToolCall,
    replyToolResult,
    replyFinished,
    turnFinished,
    turnError,
    memberJoined,
    memberLeft,
    memberRemoved,
    memberRoleChanged,
    modelAdded,
    modelRemoved,
    conversationDeleted,
    visibilityChanged,
    messagesDeleted,
    reset,
  ])
  .meta({ id: 'ConversationEvent' });

export type ConversationEvent = z.infer<typeof conversationEventSchema>;
export type ConversationEventOf<Type extends ConversationEvent['type']> = Extract<ConversationEvent, { type: Type }>;

/** An event as delivered: its id orders it within the conversation and is what a client resumes after. */
export type DeliveredEvent = { id: string; event: ConversationEvent };

/**
 * For one subscriber, event by event: whether their stream must end once it has been sent this event, the
 * conversation being no longer theirs to read — it was deleted, they left or were removed, or it turned private
 * while they followed it from outside (a reader of a public conversation who is not in it, until they join).
 */
export function subscriptionEnd(userId: string, { inConversation }: { inConversation: boolean }) {
  let member = inConversation;
  return (event: ConversationEvent): boolean => {
    switch (event.type) {
      case 'conversation-deleted':
        return true;
      case 'member-joined':
        if (event.userId === userId) member = true;
        return false;
      case 'member-left':
      case 'member-removed':
        return event.userId === userId;
      case 'visibility-changed':
        return event.visibility === 'private' && !member;
      default:
        return false;
    }
  };
}
