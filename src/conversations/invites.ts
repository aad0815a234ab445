// Invitation links to a conversation: its owner and admins create, list and revoke them (a link that makes admins
// is the owner's alone, as giving roles is); anyone signed in who holds one joins with it, which is announced to
// the conversation's followers.
import { AppError, notFound } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { levelToInvite } from '../store/conversation-access.ts';
import type { ConversationListItem } from '../store/conversations.ts';
import type { Invite } from '../store/invites.ts';
import type { GrantableRole } from '../store/participants.ts';
import type { ConversationAccess } from './access.ts';
import type { ConversationServiceDependencies } from './dependencies.ts';

/** A link nobody bounds lasts a week: long enough to pass around, short enough not to linger in old chats. */
export const DEFAULT_INVITE_HOURS = 24 * 7;
export const MAX_INVITE_HOURS = 24 * 365;

export type NewInviteRequest = {
  actor: Actor;
  conversationId: string;
  /** Default member; only the owner makes admin invitations. */
  role?: GrantableRole;
  /** How many people may join with it; omitted or null: any number. */
  maxUses?: number | null;
  /** Hours until it expires; omitted: DEFAULT_INVITE_HOURS; null: never. */
  expiresInHours?: number | null;
};

/** `joined` is false when the actor was already in the conversation (the invitation was not used). */
export type AcceptedInvitation = { joined: boolean; conversation: ConversationListItem };

type ConversationTarget = { actor: Actor; conversationId: string };

export class InviteService {
  constructor(
    private readonly dependencies: ConversationServiceDependencies,
    private readonly access: ConversationAccess,
  ) {}

  async create({
    actor,
    conversationId,
    role = 'member',
    maxUses = null,
    expiresInHours,
  }: NewInviteRequest): Promise<Invite> {
    const expiresAt = expiryOf(expiresInHours);
    return this.access.guarded(actor, { conversationId, level: levelToInvite(role) }, () =>
      this.dependencies.store.invites.create({ actor, conversationId, role, maxUses, expiresAt }),
    );
  }

  /** Newest first, spent and revoked ones included (owner and admins). */
  list({ actor, conversationId }: ConversationTarget): Promise<Invite[]> {
    return this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      this.dependencies.store.invites.listForConversation({ actor, conversationId }),
    );
  }

  /** Owner and admins; revoking twice keeps the first revocation. Those who joined with it stay. */
  revoke({ actor, conversationId, inviteId }: ConversationTarget & { inviteId: string }): Promise<Invite> {
    return this.access.guarded(actor, { conversationId, level: 'manage' }, () =>
      this.dependencies.store.invites.revoke({ actor, conversationId, id: inviteId }),
    );
  }

  /**
   * Joins the actor to the invitation's conversation with its role. Someone already in it gets it back without
   * using the invitation; one expired, used up or revoked is a conflict with the reason in `details.reason`.
   */
  async accept({ actor, token }: { actor: Actor; token: string }): Promise<AcceptedInvitation> {
    const { store, events } = this.dependencies;
    const { conversation, joined } = await store.invites.accept({ actor, token });
    const role = await store.participants.roleOf(conversation.id, actor.id);
    // Only if they were removed in the moment between joining and this read.
    if (!role) throw notFound('conversation', conversation.id);
    if (joined) events.publish(conversation.id, { type: 'member-joined', userId: actor.id, role });
    // The store hands back the row as stored: its title may be sealed. A new member keeps it in their main list.
    const conversationShown = { ...store.conversations.open(conversation), role };
    return { joined, conversation: { ...conversationShown, pinned: false, archived: false, folderId: null } };
  }
}

/** Hours from now; undefined takes the default, null never expires. */
function expiryOf(expiresInHours: number | null | undefined): Date | null {
  if (expiresInHours === null) return null;
  const hours = expiresInHours ?? DEFAULT_INVITE_HOURS;
  if (hours > MAX_INVITE_HOURS) {
    throw new AppError('invalid_input', `an invitation lasts at most ${MAX_INVITE_HOURS} hours`, {
      details: { expiresInHours },
    });
  }
  return new Date(Date.now() + hours * 3_600_000);
}
