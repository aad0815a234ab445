// A conversation as a group sees it (GET /api/conversations/:id: its models in reply order, its people, its reply
// settings), and the calls that change it.
import { apiRequest } from '../api.ts';
import type {
  AcceptedInvite,
  ConversationDetails,
  ConversationModel,
  Invite,
  InvitedRole,
  ModelSettingChanges,
  ParameterChanges,
  Participant,
  ReplyMode,
  ReplySettings,
  ResponseBody,
  RoleChange,
  Visibility,
} from '../types.ts';

const base = (conversationId: string) => `/api/conversations/${conversationId}`;

export const loadConversation = (conversationId: string) =>
  apiRequest<ConversationDetails>('GET', base(conversationId));

export const changeSettings = (
  conversationId: string,
  settings: { [Key in keyof ReplySettings]?: ReplySettings[Key] | null },
) => apiRequest<ConversationDetails>('PATCH', base(conversationId), { settings });

export const changeParameters = (conversationId: string, parameters: ParameterChanges) =>
  apiRequest<ConversationDetails>('PATCH', base(conversationId), { parameters });

export const changeModelSettings = (conversationId: string, modelId: string, settings: ModelSettingChanges) =>
  apiRequest<ConversationModel>('PATCH', `${base(conversationId)}/models/${encodeURIComponent(modelId)}`, { settings });

export const addModel = (conversationId: string, modelId: string) =>
  apiRequest<ConversationModel>('POST', `${base(conversationId)}/models`, { modelId });

export const removeModel = (conversationId: string, modelId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/models/${encodeURIComponent(modelId)}`);

export const reorderModels = (conversationId: string, modelIds: string[]) =>
  apiRequest<unknown>('PUT', `${base(conversationId)}/models/order`, { modelIds });

export const changeVisibility = (conversationId: string, visibility: Visibility) =>
  apiRequest<ConversationDetails>('PATCH', base(conversationId), { visibility });

export const changeRole = (conversationId: string, userId: string, role: RoleChange) =>
  apiRequest<Participant>('PATCH', `${base(conversationId)}/participants/${userId}`, { role });

export const removeParticipant = (conversationId: string, userId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/participants/${userId}`);

export const leaveConversation = (conversationId: string) => apiRequest<void>('POST', `${base(conversationId)}/leave`);

export const transferOwnership = (conversationId: string, userId: string) =>
  apiRequest<ResponseBody<'/api/conversations/{id}/transfer', 'post'>>('POST', `${base(conversationId)}/transfer`, {
    userId,
  });

export const createInvite = (conversationId: string, role: InvitedRole = 'member') =>
  apiRequest<Invite>('POST', `${base(conversationId)}/invites`, { role });

export const listInvites = async (conversationId: string) =>
  (await apiRequest<ResponseBody<'/api/conversations/{id}/invites', 'get'>>('GET', `${base(conversationId)}/invites`))
    .invites;

export const revokeInvite = (conversationId: string, inviteId: string) =>
  apiRequest<void>('DELETE', `${base(conversationId)}/invites/${inviteId}`);

export const acceptInvite = (token: string) =>
  apiRequest<AcceptedInvite>('POST', `/api/invites/${encodeURIComponent(token)}/accept`);

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
