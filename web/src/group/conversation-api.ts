// A conversation as a group sees it (GET /api/conversations/:id: its models in reply order, its people, its reply
// settings), and the calls that change it. The server's DTOs (src/http/dto/conversation*.ts) are the reference.
import { apiRequest } from '../api.ts';

export type ParticipantRole = 'owner' | 'admin' | 'member';
export type ReplyMode = 'single' | 'parallel' | 'first_responder';

export type ConversationModel = {
  modelId: string;
  name: string | null;
  displayName: string | null;
  avatar: string | null;
  position: number;
  isActive: boolean;
};

export type Participant = {
  userId: string;
  username: string;
  displayName: string | null;
  avatarUrl: string | null;
  role: ParticipantRole;
};

export type ReplySettings = { replyMode?: ReplyMode; firstResponderModelId?: string; charLimit?: number };

export type Visibility = 'private' | 'public';

export type ConversationDetails = {
  id: string;
  title: string | null;
  visibility: Visibility;
  ownerId: string;
  /** The reader's role; null when they read it only because it is public. */
  role: ParticipantRole | null;
  settings: ReplySettings;
  models: ConversationModel[];
  participants: Participant[];
};

export type Invite = {
  id: string;
  token: string;
  url: string;
  role: ParticipantRole;
  expiresAt: string | null;
  maxUses: number | null;
  useCount: number;
  revokedAt: string | null;
  createdAt: string;
};

const base = (conversationId: string) => `/api/conversations/${conversationId}`;

export const loadConversation = (conversationId: string) =>
  apiRequest<ConversationDetails>('GET', base(conversationId));

export const changeSettings = (
  conversationId: string,
  settings: { [Key in keyof ReplySettings]?: ReplySettings[Key] | null },
) => apiRequest<ConversationDetails>('PATCH', base(conversationId), { settings });

export const addModel = (conversationId: string, modelId: string) =>
  apiRequest<ConversationModel>('POST', `${base(conversationId)}/models`, { modelId });

export const removeModel = (conversationId: string, modelId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/models/${encodeURIComponent(modelId)}`);

export const reorderModels = (conversationId: string, modelIds: string[]) =>
  apiRequest<unknown>('PUT', `${base(conversationId)}/models/order`, { modelIds });

export const changeVisibility = (conversationId: string, visibility: Visibility) =>
  apiRequest<ConversationDetails>('PATCH', base(conversationId), { visibility });

export const changeRole = (conversationId: string, userId: string, role: 'admin' | 'member') =>
  apiRequest<Participant>('PATCH', `${base(conversationId)}/participants/${userId}`, { role });

export const removeParticipant = (conversationId: string, userId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/participants/${userId}`);

export const leaveConversation = (conversationId: string) => apiRequest<void>('POST', `${base(conversationId)}/leave`);

export const transferOwnership = (conversationId: string, userId: string) =>
  apiRequest<{ participants: Participant[] }>('POST', `${base(conversationId)}/transfer`, { userId });

export const createInvite = (conversationId: string, role: 'member' | 'admin' = 'member') =>
  apiRequest<Invite>('POST', `${base(conversationId)}/invites`, { role });

export const listInvites = async (conversationId: string) =>
  (await apiRequest<{ invites: Invite[] }>('GET', `${base(conversationId)}/invites`)).invites;

export const revokeInvite = (conversationId: string, inviteId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/invites/${inviteId}`);

export const acceptInvite = (token: string) =>
  apiRequest<{ joined: boolean; conversation: { id: string } }>(
    'POST',
    `/api/invites/${encodeURIComponent(token)}/accept`,
  );

/** The link that opens the conversation in the web app (readable by anyone signed in once it is public). */
export const conversationLink = (conversationId: string) => `${window.location.origin}/c/${conversationId}`;

/** Whether the thread reads as a group chat: several people, or models answering by a group reply mode. */
export function isGroup(details: ConversationDetails | null): boolean {
  if (!details) return false;
  return details.participants.length > 1 || (details.settings.replyMode !== undefined && details.models.length > 1);
}

/** The reply mode in effect: the setting, else parallel for several models and single for one (README). */
export function replyModeOf(details: ConversationDetails): ReplyMode {
  return (
    details.settings.replyMode ?? (details.models.filter((model) => model.isActive).length > 1 ? 'parallel' : 'single')
  );
}

/** Characters per reply in effect; null when there is no limit (unset: 280 in the group modes). */
export function charLimitOf(details: ConversationDetails): number | null {
  const limit = details.settings.charLimit ?? (replyModeOf(details) === 'single' ? 0 : 280);
  return limit > 0 ? limit : null;
}

/** The model that answers first in first-responder mode; null in the other modes. */
export function leadModelIdOf(details: ConversationDetails | null): string | null {
  if (!details || replyModeOf(details) !== 'first_responder') return null;
  return details.settings.firstResponderModelId ?? details.models.find((model) => model.isActive)?.modelId ?? null;
}

export const personName = (person: Pick<Participant, 'displayName' | 'username'>) =>
  person.displayName ?? person.username;
