// The shapes the app reads from and sends to the API, named as the app uses them. Each is the server's own type:
// generated from its OpenAPI document into generated/api.ts (`npm run generate:web-types`), never copied by hand.
// What is the app's alone (its chat message, what it keeps with one) is said so where it is defined.
import type { UIMessage } from 'ai';
import type { components, paths } from './generated/api.ts';

type Schemas = components['schemas'];

type ResponsesOf<Path extends keyof paths, Method extends keyof paths[Path]> = paths[Path][Method] extends {
  responses: infer Responses;
}
  ? Responses
  : never;

/** The JSON body a route answers with when it succeeds (200, or 201 for a creation). */
export type ResponseBody<Path extends keyof paths, Method extends keyof paths[Path]> =
  ResponsesOf<Path, Method> extends { 200: { content: { 'application/json': infer Body } } }
    ? Body
    : ResponsesOf<Path, Method> extends { 201: { content: { 'application/json': infer Body } } }
      ? Body
      : never;

// People and their conversations.
export type Profile = Schemas['Profile'];
/** A keyset page: every list route answers `{ items, nextCursor }`. */
export type Page<Item> = Omit<ResponseBody<'/api/conversations', 'get'>, 'items'> & { items: Item[] };
export type ConversationSummary = Schemas['ConversationSummary'];
/** A folder a person keeps conversations in, and how they keep one conversation (pinned, archived, filed). */
export type ConversationFolder = Schemas['ConversationFolder'];
export type PlacementChanges = Schemas['ConversationPlacementChanges'];
/** A title or message of one's own conversations that matched a search, with its snippet. */
export type SearchHit = Schemas['SearchHit'];
/** One conversation with its models in reply order, its people and its reply settings. */
export type ConversationDetails = Schemas['Conversation'];
export type ConversationModel = Schemas['ConversationModel'];
export type Participant = Schemas['Participant'];
export type ParticipantRole = Participant['role'];
export type ReplySettings = Schemas['ConversationSettings'];
/** What the models are told: the conversation's parameters, and one model's settings in it (null: the default). */
export type ParameterChanges = Schemas['ConversationParameterChanges'];
export type ModelSettingChanges = Schemas['ConversationModelSettingChanges'];
export type ReplyMode = NonNullable<ReplySettings['replyMode']>;
export type Visibility = ConversationDetails['visibility'];
/** The roles an owner or admin may give: a person's new role, an invitation's. */
export type RoleChange = Schemas['ParticipantRoleChange']['role'];
export type InvitedRole = NonNullable<Schemas['NewInvite']['role']>;
export type Invite = Schemas['Invite'];
export type AcceptedInvite = Schemas['AcceptedInvite'];
/** What happens in a conversation, as its events stream (GET /api/conversations/:id/events) tells it. */
export type ConversationEvent = Schemas['ConversationEvent'];

// Models and chatting.
export type PickableModel = Schemas['PickableModel'];
/** A message as GET /api/conversations/:id/messages gives it. */
export type StoredMessage = Schemas['Message'];
export type VoteValue = Schemas['VoteValue'];
export type UploadedFile = Schemas['UploadedFile'];
type ChatRequest = Schemas['ChatRequest'];
/** What a chat request adds to useChat's own fields: the models to answer, web search. */
export type ChatRequestExtras = Pick<ChatRequest, 'modelIds' | 'webSearch'>;
/** A thread as GET /api/conversations/:id/threads/:messageId gives it: its message, then its messages. */
export type StoredThread = ResponseBody<'/api/conversations/{id}/threads/{messageId}', 'get'>;
export type WebSearchSize = NonNullable<ChatRequest['webSearch']>['contextSize'];
/** What the server reports about each model's reply in the `data-reply` parts of the chat stream. */
export type ReplySummary = Schemas['ReplySummary'];

// Documents models write and people edit.
/** A document: its latest version and the list of its versions. */
export type DocumentWithVersions = Schemas['Document'];
export type DocumentVersion = Schemas['DocumentVersion'];
export type Suggestion = Schemas['Suggestion'];

// The admin pages.
export type ModelDefinition = Schemas['ModelDefinition'];
export type AdminModel = Schemas['AdminModel'];
export type ModelStatus = AdminModel['status'];
export type ModelCapability = AdminModel['capabilities'][number];
export type FieldChange = Schemas['ModelFieldChange'];
export type ModelChangeResult = Schemas['ModelChangeResult'];
export type ModelHistoryEntry = Schemas['ModelHistoryEntry'];
export type ImportResult = Schemas['ModelImportResult'];
export type UsageReport = ResponseBody<'/api/admin/usage', 'get'>;
export type UsageGrouping = UsageReport['groupBy'];
export type UsageRow = Schemas['UsageRow'];
export type MetricSeries = Schemas['MetricSeries'];
export type MetricPoint = Schemas['MetricPoint'];
export type SystemConfig = Schemas['SystemConfig'];
export type SystemConfigChange = Schemas['SystemConfigChange'];
export type KnownConfigKey = Schemas['KnownConfigKey'];

/**
 * The data of a `data-reply` part as the app keeps it: the server's ReplySummary from the stream, or the same facts
 * read back from a stored message (stored-messages.ts), which also tells whether it was the lead of a
 * first-responder turn.
 */
export type ReplyData = ReplySummary & Partial<Pick<StoredMessage, 'isFirstResponder' | 'thread'>>;

/** The thread hanging on a message: how many messages it holds and when the newest came. */
export type ThreadSummary = NonNullable<StoredMessage['thread']>;

/**
 * What the app keeps with a message: who wrote it (null: a model; absent: sent from this page), for a stored
 * assistant turn the message it answers (to join a turn split between two pages of the thread), and for a stored
 * person's message the thread hanging on it.
 */
export type ChorusMetadata = { senderId?: string | null; parentId?: string | null; thread?: ThreadSummary | null };

/** A chat message in the app: the AI SDK's, with Chorus's `data-reply` parts. */
export type ChorusMessage = UIMessage<ChorusMetadata, { reply: ReplyData }>;

/** Names of models by id, from GET /api/models and from the messages (which also name retired models). */
export type ModelNames = ReadonlyMap<string, string>;
/** Where the Discord bot answers, and the models its channels' conversations start with (/admin/discord). */
export type DiscordSettings = Schemas['DiscordSettings'];
export type DiscordAccess = Schemas['DiscordAccess'];
export type DiscordChannelModels = Schemas['DiscordChannelModels'];

// Transcripts and imports.
/** A transcript of a conversation stored on the server. */
export type Transcript = Schemas['Transcript'];
export type TranscriptFormat = Transcript['format'];
/** What a conversation import brought in: the conversations it created. */
export type ConversationImportResult = Schemas['ConversationImportResult'];
export type BackupList = ResponseBody<'/api/admin/backups', 'get'>;
export type Backup = Schemas['Backup'];

// People, as admins see them.
export type AdministeredUser = Schemas['AdministeredUser'];
export type UserList = ResponseBody<'/api/admin/users', 'get'>;
export type DeletedUser = ResponseBody<'/api/admin/users/{id}', 'delete'>;
export type UserGroup = Schemas['UserGroup'];
export type ModelAccess = Schemas['ModelAccess'];

// MCP servers and the calls made to their tools (the admin's), and the servers a conversation may switch on.
export type McpServer = Schemas['McpServer'];
export type McpServerInput = Schemas['McpServerInput'];
export type McpTool = Schemas['McpTool'];
export type ToolCallRecord = Schemas['ToolCall'];
export type OfferedMcpServer = Schemas['OfferedMcpServer'];
export type McpServerChanges = Schemas['McpServerChanges'];
