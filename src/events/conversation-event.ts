// What the participants of a conversation are told as it happens (GET /api/conversations/:id/events): new
// messages, each model's reply as it streams and finishes, and changes to who and what takes part. One schema,
// so the OpenAPI document, the publishers and the readers agree on every shape.
import { z } from 'zod';
import { messageRole } from '../db/schema/index.ts';

const uuid = z.uuid();
const tokenCount = z.number().int().optional();

/** A person's message, as saved: enough to show it without fetching it. */
const messageCreated = z.object({
  type: z.literal('message-created'),
  message: z.object({
    id: uuid,
    role: z.enum(messageRole.enumValues),
    parentId: uuid.nullable(),
    senderId: uuid.nullable(),
    content: z.string().nullable(),
    parts: z.array(z.looseObject({ type: z.string() })),
    attachments: z.array(z.looseObject({ name: z.string(), mediaType: z.string() })),
    createdAt: z.iso.datetime(),
  }),
  /** Who wrote it: the display name (else the username) and avatar, as the participants list shows them. */
  sender: z.object({ id: uuid, name: z.string(), avatarUrl: z.string().nullable() }).nullable(),
});

/** A model's reply exists (status streaming); its text follows in reply-delta events with the same messageId. */
const replyCreated = z.object({
  type: z.literal('reply-created'),
  messageId: uuid,
  modelId: z.string(),
  /** The person's message it answers. */
  parentId: uuid,
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

/** A reply ended: complete, stopped or error, with what it cost. */
const replyFinished = z.object({
  type: z.literal('reply-finished'),
  messageId: uuid,
  modelId: z.string(),
  status: z.enum(['complete', 'stopped', 'error']),
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  cachedInputTokens: tokenCount,
  costUsd: z.number().optional(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

/** Every reply to the person's message has ended. */
const turnFinished = z.object({ type: z.literal('turn-finished'), parentId: uuid });

/** The turn as a whole failed (every model failed, or its replies could not be saved). */
const turnError = z.object({ type: z.literal('turn-error'), parentId: uuid, error: z.string() });

const memberJoined = z.object({
  type: z.literal('member-joined'),
  userId: uuid,
  role: z.enum(['owner', 'admin', 'member']),
});
const memberLeft = z.object({ type: z.literal('member-left'), userId: uuid });
const memberRemoved = z.object({ type: z.literal('member-removed'), userId: uuid, byUserId: uuid });
const memberRoleChanged = z.object({
  type: z.literal('member-role-changed'),
  userId: uuid,
  role: z.enum(['owner', 'admin', 'member']),
});
const modelAdded = z.object({ type: z.literal('model-added'), modelId: z.string() });
const modelRemoved = z.object({ type: z.literal('model-removed'), modelId: z.string() });
const conversationDeleted = z.object({ type: z.literal('conversation-deleted') });
/** Who may read the conversation changed: private, its people only; public, anyone signed in (read-only). */
const visibilityChanged = z.object({
  type: z.literal('visibility-changed'),
  visibility: z.enum(['private', 'public']),
});
/** An edit or a regeneration removed these messages (the ones after the edited message, or a prompt's replies). */
const messagesDeleted = z.object({ type: z.literal('messages-deleted'), messageIds: z.array(uuid) });

/**
 * The events a client asked to resume after are no longer kept (too old, or the server restarted): refetch the
 * messages, then carry on with the events that follow this one.
 */
const reset = z.object({ type: z.literal('reset') });

export const conversationEventSchema = z.discriminatedUnion('type', [
  messageCreated,
  replyCreated,
  replyDelta,
  replySource,
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
]);

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
