// Who is told what when they may not do something to a conversation. The store enforces access in its SQL and
// answers not-found to anyone short of the level a query needs, so outsiders learn nothing; but someone who may
// read the conversation (it is public, or they are in it) already knows it exists, and is told it is not theirs
// to change (forbidden) instead. Every door reaches this rule through the conversation services.
import { AppError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { AccessLevel } from '../store/conversation-access.ts';
import type { Conversation, ConversationStore } from '../store/conversations.ts';

export type AccessTarget = { conversationId: string; level: AccessLevel };

const REFUSALS: Record<AccessLevel, string> = {
  read: 'read it',
  write: 'take part in it',
  manage: 'change it (its owner and admins may)',
  own: 'do this (only its owner may)',
};

/** What someone who may read the conversation, but not act on it at `level`, is told. */
export function refusalFor(level: AccessLevel, cause?: unknown): AppError {
  return new AppError('forbidden', `you may read this conversation but not ${REFUSALS[level]}`, { cause });
}

/**
 * The refusal a failed guarded action stands for: forbidden when the actor reads the conversation but is short of
 * `level`, the not-found itself otherwise (an outsider, or something else of the conversation that is missing).
 */
export function refusalOf(error: unknown, level: AccessLevel, reach: { readable: boolean; allowed: boolean }): unknown {
  return isNotFound(error) && reach.readable && !reach.allowed ? refusalFor(level, error) : error;
}

const isNotFound = (error: unknown) => error instanceof AppError && error.code === 'not_found';

export class ConversationAccess {
  constructor(private readonly conversations: Pick<ConversationStore, 'get'>) {}

  /**
   * The conversation, when the actor may act on it at `level`; otherwise rejects: forbidden for someone who may
   * read it, not-found for anyone else.
   */
  async assertMay(actor: Actor, conversationId: string, level: AccessLevel): Promise<Conversation> {
    try {
      return await this.conversations.get({ actor, id: conversationId, level });
    } catch (error) {
      if (level === 'read' || !isNotFound(error)) throw error;
      throw refusalOf(error, level, { readable: await this.reaches(actor, conversationId, 'read'), allowed: false });
    }
  }

  /** Taking part: sending, stopping replies, voting. A reader of a public conversation who is not in it is refused. */
  assertMayWrite(actor: Actor, conversationId: string): Promise<Conversation> {
    return this.assertMay(actor, conversationId, 'write');
  }

  /**
   * The conversation, when the actor may read it (else not-found), and whether they are in it (its owner or a
   * participant) rather than reading a public conversation from outside.
   */
  async assertMayRead(actor: Actor, conversationId: string) {
    const [conversation, inConversation] = await Promise.all([
      this.conversations.get({ actor, id: conversationId, level: 'read' }),
      this.reaches(actor, conversationId, 'write'),
    ]);
    return { conversation, inConversation };
  }

  /**
   * Runs an action the store guards at `target.level` (its not-found is the refusal), and turns a not-found into
   * forbidden for someone who may read the conversation. The happy path costs no query of its own.
   */
  async guarded<Result>(actor: Actor, target: AccessTarget, action: () => Promise<Result>): Promise<Result> {
    try {
      return await action();
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const [readable, allowed] = await Promise.all([
        this.reaches(actor, target.conversationId, 'read'),
        this.reaches(actor, target.conversationId, target.level),
      ]);
      throw refusalOf(error, target.level, { readable, allowed });
    }
  }

  private reaches(actor: Actor, conversationId: string, level: AccessLevel): Promise<boolean> {
    return this.conversations.get({ actor, id: conversationId, level }).then(
      () => true,
      () => false,
    );
  }
}
