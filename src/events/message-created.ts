// A person's saved message, told to everyone following its conversation (a `message-created` event).
import { logError } from '../loggable-error.ts';
import type { Actor, PersonCard } from '../store/actor.ts';
import type { Message } from '../store/messages.ts';
import type { User } from '../store/users.ts';
import type { ConversationEventOf } from './conversation-event.ts';
import type { ConversationEvents } from './conversation-event-bus.ts';

type Sender = Pick<User, 'id'> & PersonCard;

export function messageCreatedEvent(message: Message, sender: Sender | null): ConversationEventOf<'message-created'> {
  return {
    type: 'message-created',
    message: {
      id: message.id,
      role: message.role,
      parentId: message.parentId,
      threadRootId: message.threadRootId,
      senderId: message.senderId,
      content: message.content,
      parts: message.parts,
      attachments: message.attachments,
      createdAt: message.createdAt.toISOString(),
    },
    sender: sender && { id: sender.id, name: sender.displayName ?? sender.username, avatarUrl: sender.avatarUrl },
  };
}

/**
 * Publishes a person's saved message; a failure is logged, never undoes the message. The sender is looked up
 * unless `author` (who sent it) brought their card along.
 */
export async function announceMessage(
  events: ConversationEvents,
  users: { getById(id: string): Promise<User> },
  message: Message,
  author?: Actor,
): Promise<void> {
  try {
    const known = author?.card && author.id === message.senderId ? { id: author.id, ...author.card } : undefined;
    const sender = message.senderId ? (known ?? (await users.getById(message.senderId))) : null;
    events.publish(message.conversationId, messageCreatedEvent(message, sender));
  } catch (error) {
    logError(`announcing message ${message.id} failed`, error);
  }
}
