// The store: the data-access layer, one unit per domain, all built on the one database handle it is given.
import type { Keyring } from '../crypto/encryption.ts';
import type { Database } from '../db/client.ts';
import { ApiKeyStore } from './api-keys.ts';
import { AuthRateLimitStore } from './auth-rate-limits.ts';
import { BackupLogStore } from './backup-logs.ts';
import { ConversationExportStore } from './conversation-exports.ts';
import { ConversationFolderStore } from './conversation-folders.ts';
import { ConversationImportStore } from './conversation-imports.ts';
import { ConversationModelStore } from './conversation-models.ts';
import { ConversationStore } from './conversations.ts';
import { DailyUsageStore } from './daily-usage.ts';
import { DiscordConversationStore } from './discord-conversations.ts';
import { DiscordLinkStore } from './discord-links.ts';
import { DiscordReplyMessageStore } from './discord-reply-messages.ts';
import { DocumentStore } from './documents.ts';
import { FileStore } from './files.ts';
import { GuestMergeStore } from './guest-merge.ts';
import { InviteStore } from './invites.ts';
import { McpServerStore } from './mcp-servers.ts';
import { MessageBatchWriter } from './message-insert.ts';
import { MessageStore } from './messages.ts';
import { MetricStore } from './metrics.ts';
import { ModelAccessStore } from './model-access.ts';
import { ModelVersionStore } from './model-versions.ts';
import { ModelStore } from './models.ts';
import { ParticipantStore } from './participants.ts';
import { ReplyStore } from './replies.ts';
import { ReplyCostStore } from './reply-costs.ts';
import { SavedPromptStore } from './saved-prompts.ts';
import { SearchStore } from './search.ts';
import { SystemConfigStore } from './system-configs.ts';
import { ThreadStore } from './threads.ts';
import { ToolCallStore } from './tool-calls.ts';
import { TranscriptStore } from './transcripts.ts';
import { TurnStreamStore } from './turn-streams.ts';
import { UsageStore } from './usage.ts';
import { UserAdministrationStore } from './user-administration.ts';
import { UserStore } from './users.ts';
import { VoteStore } from './votes.ts';

/**
 * `keyring`: when given, message text, conversation titles and MCP servers' secrets are stored only encrypted
 * (encryption at rest).
 */
export type StoreOptions = { keyring?: Keyring | null };

export function createStore(db: Database, options: StoreOptions = {}) {
  const keyring = options.keyring ?? null;
  // A person's messages and the models' replies are saved by the same prepared statements.
  const messageBatches = new MessageBatchWriter(db);
  const conversations = new ConversationStore(db, keyring);
  const users = new UserStore(db);
  return {
    db,
    users,
    userAdministration: new UserAdministrationStore(db, users),
    apiKeys: new ApiKeyStore(db),
    authRateLimits: new AuthRateLimitStore(db),
    dailyUsage: new DailyUsageStore(db),
    guestMerge: new GuestMergeStore(db),
    conversations,
    folders: new ConversationFolderStore(db),
    savedPrompts: new SavedPromptStore(db),
    messages: new MessageStore(db, messageBatches, keyring),
    replies: new ReplyStore(db, messageBatches, keyring),
    threads: new ThreadStore(db, keyring),
    votes: new VoteStore(db),
    turnStreams: new TurnStreamStore(db),
    participants: new ParticipantStore(db),
    conversationModels: new ConversationModelStore(db),
    invites: new InviteStore(db),
    documents: new DocumentStore(db),
    mcpServers: new McpServerStore(db, keyring),
    toolCalls: new ToolCallStore(db),
    transcripts: new TranscriptStore(db),
    search: new SearchStore(db, keyring),
    conversationExports: new ConversationExportStore(db, conversations, keyring),
    conversationImports: new ConversationImportStore(db, keyring),
    metrics: new MetricStore(db),
    systemConfigs: new SystemConfigStore(db),
    backupLogs: new BackupLogStore(db),
    files: new FileStore(db),
    models: new ModelStore(db),
    modelAccess: new ModelAccessStore(db),
    modelVersions: new ModelVersionStore(db),
    replyCosts: new ReplyCostStore(db),
    usage: new UsageStore(db),
    discordConversations: new DiscordConversationStore(db),
    discordLinks: new DiscordLinkStore(db),
    discordReplyMessages: new DiscordReplyMessageStore(db),
  };
}

export type Store = ReturnType<typeof createStore>;
export { type Actor, actorOf } from './actor.ts';
