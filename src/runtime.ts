// Start-up wiring shared by the server and the CLI: read the configuration, open the database the
// configuration names, bring its schema up to date, seed the registry on first start, add the models the
// operator declared for their own OpenAI-compatible servers, build the store, the provider registry, the
// accounts (better-auth, with its session-signing secret) and the domain services every door calls.
import { AccountDeactivations } from './auth/account-deactivations.ts';
import { ApiKeyActors } from './auth/api-key-actors.ts';
import { type Auth, createAuth } from './auth/better-auth.ts';
import { DailyMessageLimit } from './auth/limits.ts';
import { resolveAuthSecret, SECRET_IN_DATABASE_WARNING } from './auth/secret.ts';
import { defaultBackupAddress, openBackupLocation } from './backups/backup-location.ts';
import { BackupSchedule } from './backups/backup-schedule.ts';
import { BackupService } from './backups/backup-service.ts';
import { abandonedAfterMs, startAbandonedReplySweeper } from './chat/abandoned-replies.ts';
import { ChatService } from './chat/chat-service.ts';
import { SetupAdmission } from './chat/setup-admission.ts';
import { TurnRunner } from './chat/turn-runner.ts';
import { writeUiMessageStream } from './chat/ui-message-stream.ts';
import type { Environment } from './config/env.ts';
import { ConversationService } from './conversations/conversation-service.ts';
import { keyringFromEnvironment } from './crypto/encryption.ts';
import type { DatabaseHandle } from './db/client.ts';
import { openConfiguredDatabase } from './db/configured-database.ts';
import { migrateUp } from './db/migrations/migrator.ts';
import { type ChangeListener, createChangeListener } from './db/notifications.ts';
import { DiscordService } from './discord/discord-service.ts';
import { DocumentService } from './documents/document-service.ts';
import { documentTools } from './documents/document-tools.ts';
import { type ConversationEvents, createConversationEvents } from './events/index.ts';
import { relayTurns } from './events/turn-relay.ts';
import { FileService } from './files/file-service.ts';
import { openFileStorage } from './files/open-file-storage.ts';
import type { FileStorage } from './files/storage.ts';
import { Lifecycle } from './lifecycle.ts';
import { type MetricRollups, startMetricRollups } from './metrics/minute-rollups.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';
import { measureTurns } from './metrics/turn-metrics.ts';
import { registryIsEmpty, seedModels } from './models/seed.ts';
import { CompletionService } from './openai-compat/completions.ts';
import { UserAdministration } from './people/user-administration.ts';
import { registerDeclaredModels } from './providers/declared-models.ts';
import { createProviderRegistry, type ProviderRegistry } from './providers/provider-registry.ts';
import { ModelAccessPolicy } from './registry/model-access.ts';
import { ModelCache } from './registry/model-cache.ts';
import { ModelSource } from './registry/model-source.ts';
import { ModelRegistry } from './registry/registry-service.ts';
import { SearchService } from './search/search-service.ts';
import { createStore, type Store } from './store/index.ts';
import { createStreamLog, type StreamLog } from './streams/index.ts';
import { createStopSignals } from './streams/stop-signals.ts';
import { DEFAULT_MCP_CONNECTION_SETTINGS } from './tools/mcp-connections.ts';
import { McpServerService } from './tools/mcp-server-service.ts';
import { AccountExportService } from './transcripts/account-export.ts';
import { ImportService } from './transcripts/import-service.ts';
import { TranscriptService } from './transcripts/transcript-service.ts';

export type Runtime = {
  env: Environment;
  database: DatabaseHandle;
  store: Store;
  providers: ProviderRegistry;
  auth: Auth;
  /** The model registry: versioned changes (admins) … */
  registry: ModelRegistry;
  /** … every model in memory, following changes committed by any process … */
  modelCache: ModelCache;
  /** … and which source (file or database) each person reads models from. */
  modelSource: ModelSource;
  /** Resumable reply streams (in-process, or Redis with REDIS_URL). */
  streamLog: StreamLog;
  /** Live events of each conversation for its participants (in-process, or Redis with REDIS_URL). */
  conversationEvents: ConversationEvents;
  chat: ChatService;
  /**
   * Conversations, their models, people, invitations and votes: every rule of who may do what, and the live event
   * each change is announced with, for whichever door asks.
   */
  conversations: ConversationService;
  /** Uploaded attachments: their rows, and their bytes in file storage. */
  files: FileService;
  /** Where stored files' bytes live (attachments, transcripts, backups): DATA_DIR/files or an S3 bucket. */
  fileStorage: FileStorage;
  /** The domain as the Discord bot sees it: its users, channels' conversations and settings, account links. */
  discord: DiscordService;
  /** Transcripts of a conversation: streamed exports, and stored ones with their rows. */
  transcripts: TranscriptService;
  /** Full-text search over each person's own conversations. */
  search: SearchService;
  /** Conversations brought in from a Chorus transcript or a ChatGPT export. */
  imports: ImportService;
  /** Everything of one person's, as one zip. */
  accountExports: AccountExportService;
  /** What admins do to people's accounts (see people/user-administration.ts). */
  userAdministration: UserAdministration;
  /** The OpenAI-compatible API (/v1). */
  completions: CompletionService;
  /** Documents and the suggestions on them (the routes under /api/documents and /api/suggestions). */
  documents: DocumentService;
  /** The MCP servers admins register, whose tools conversations switch on (the routes under /api/admin/tools). */
  mcpServers: McpServerService;
  /** Who each API key stands for, remembered briefly and forgotten on revocation (see api-key-actors.ts). */
  apiKeyActors: ApiKeyActors;
  /** Who was deactivated or deleted, in any process: their live event streams end. */
  deactivations: AccountDeactivations;
  /** Backups of the whole database, to CHORUS_BACKUP_TO (or the file storage's backups/), logged in backup_logs. */
  backups: BackupService;
  /** Stops every reply this process runs: each ends as `stopped`, what it said saved (the server is stopping). */
  stopReplies(): void;
  /** Settles when every reply this process runs now has ended (a draining server waits for it). */
  repliesEnded(): Promise<void>;
  /** What this process measures (GET /metrics, the minute rollups); null with CHORUS_METRICS=off. */
  metrics: ServerMetrics | null;
  /** Starting, serving or draining (readiness for load balancers). */
  lifecycle: Lifecycle;
  close(): Promise<void>;
};

export type RuntimeOptions = {
  migrate?: boolean;
  seedIfEmpty?: boolean;
  /** Insert the models of CHORUS_PROVIDER_<NAME>_MODELS that the registry lacks (default true). */
  registerDeclaredModels?: boolean;
  log?: (line: string) => void;
  /** Back up every CHORUS_BACKUP_INTERVAL (the server does; commands do not). */
  scheduleBackups?: boolean;
  /** An already open database to run on instead of the configured one (tests); closed with the runtime. */
  database?: DatabaseHandle;
};

export async function openRuntime(env: Environment, options: RuntimeOptions = {}): Promise<Runtime> {
  const log = options.log ?? (() => {});
  // A bad key stops start-up before anything is opened, naming the variable.
  keyringFromEnvironment(env);
  const providers = createProviderRegistry(env);
  const database = options.database ?? (await openConfiguredDatabase(env));
  try {
    if (options.migrate !== false) {
      const applied = await migrateUp(database.db);
      if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`);
    }
    if (options.seedIfEmpty !== false && (await registryIsEmpty(database.db))) {
      const seeded = await seedModels(database.db);
      log(`seeded ${seeded.inserted} models from the shipped catalog`);
    }
    if (options.registerDeclaredModels !== false) {
      const declared = await registerDeclaredModels(database.db, providers);
      if (declared.inserted > 0) log(`registered ${declared.inserted} models declared in CHORUS_PROVIDER_*_MODELS`);
    }
  } catch (error) {
    await database.close();
    throw error;
  }
  // Set after the start-up migrations, which may rightly take long; a chat's statements take milliseconds.
  database.pglite?.setRequestTimeout(env.CHORUS_STATEMENT_TIMEOUT_MS);
  const store = createStore(database.db, { keyring: keyringFromEnvironment(env) });
  let auth: Auth;
  try {
    const { secret, keptIn } = await resolveAuthSecret(env, store, database.kind);
    if (keptIn === 'database') log(SECRET_IN_DATABASE_WARNING);
    auth = createAuth({ env, store, secret });
  } catch (error) {
    await database.close();
    throw error;
  }
  const streamLog = createStreamLog(env);
  const stopSignals = createStopSignals(env);
  const conversationEvents = createConversationEvents(env);
  const fileStorage = openFileStorage(env);
  const files = new FileService(store.files, fileStorage, {
    maxBytes: env.CHORUS_MAX_UPLOAD_BYTES,
    maxBytesPerUser: env.CHORUS_MAX_UPLOAD_BYTES_PER_USER,
  });
  const metrics = env.CHORUS_METRICS === 'on' ? new ServerMetrics() : null;
  if (metrics) database.observeStatements((seconds) => metrics.statementDuration.observe(seconds));
  // Every turn is written to its reply stream (the web client's) and told to its conversation's followers (and
  // counted).
  const turnSubscribers = [
    writeUiMessageStream(streamLog),
    relayTurns(conversationEvents),
    ...(metrics ? [measureTurns(metrics)] : []),
  ];
  const transcripts = new TranscriptService(store, fileStorage);
  const search = new SearchService(store.search);
  const imports = new ImportService(store, fileStorage, files.limits);
  const accountExports = new AccountExportService(store, transcripts, fileStorage);
  const mcpServers = new McpServerService({
    servers: store.mcpServers,
    toolCalls: store.toolCalls,
    connectionSettings: { ...DEFAULT_MCP_CONNECTION_SETTINGS, callTimeoutMs: env.CHORUS_MCP_CALL_TIMEOUT_MS },
    log,
  });
  const turns = new TurnRunner(store, providers, stopSignals, fileStorage, conversationEvents, turnSubscribers, {
    maxReplyChars: env.CHORUS_MAX_REPLY_CHARS,
    maxToolSteps: env.CHORUS_MAX_TOOL_STEPS,
    toolsFor: async (reply) => ({
      ...documentTools({ documents: store.documents, providers }, reply),
      ...(await mcpServers.toolsFor(reply)),
    }),
  });
  const changes: ChangeListener = createChangeListener(database);
  const apiKeyActors = new ApiKeyActors(store);
  const deactivations = new AccountDeactivations(store);
  const registry = new ModelRegistry(store);
  const modelCache = new ModelCache(store.models);
  const modelAccess = new ModelAccessPolicy(store.modelAccess);
  const modelSource = new ModelSource({
    cache: modelCache,
    configs: store.systemConfigs,
    metrics: store.metrics,
    access: modelAccess,
    log,
  });
  // One queue for every way a turn starts: they all compete for the same database and CPU.
  const admission = new SetupAdmission({
    concurrency: env.CHORUS_MAX_CONCURRENT_SETUPS,
    queueLimit: env.CHORUS_MAX_QUEUED_SETUPS,
    timeoutMs: env.CHORUS_SETUP_TIMEOUT_MS,
  });
  // And one daily limit for every way a turn starts: a person's turns count together, through whichever door.
  const dailyLimit = new DailyMessageLimit(store);
  const conversations = new ConversationService({
    store,
    events: conversationEvents,
    modelSource,
    providers,
    files: store.files,
  });
  const turnStart = { store, providers, turns, models: modelSource, admission, dailyLimit };
  const chat = new ChatService({ ...turnStart, streamLog, access: conversations.access });
  const completions = new CompletionService(turnStart);
  const discord = new DiscordService({ store, conversations, modelSource, providers });
  const backups = new BackupService(database, store.backupLogs, {
    location: openBackupLocation(defaultBackupAddress(env), env),
    keep: env.CHORUS_BACKUP_KEEP,
  });
  const backupSchedule =
    options.scheduleBackups && env.CHORUS_BACKUP_INTERVAL !== undefined
      ? new BackupSchedule(backups, store.backupLogs, { intervalMs: env.CHORUS_BACKUP_INTERVAL, log })
      : undefined;
  let sweeper: { stop(): void };
  let rollups: MetricRollups | undefined;
  try {
    await modelCache.start(changes);
    await modelSource.start(changes);
    await modelAccess.start(changes);
    await apiKeyActors.start(changes);
    await deactivations.start(changes);
    await turns.listenForStops();
    sweeper = await startAbandonedReplySweeper(store.replies, {
      quietMs: abandonedAfterMs(env),
      soleWriter: database.kind === 'pglite',
      log,
      onEnded: (replies) => turns.announceAbandoned(replies),
    });
    if (metrics) rollups = startMetricRollups(store.metrics, metrics.minute);
  } catch (error) {
    await Promise.allSettled([stopSignals.close(), streamLog.close(), conversationEvents.close(), changes.close()]);
    await database.close();
    throw error;
  }
  backupSchedule?.start();
  const close = async () => {
    sweeper.stop();
    await backupSchedule?.stop();
    // Replies still running end as `stopped`, with what they had said saved.
    turns.activeTurns.stopAll();
    await Promise.race([turns.allSettled(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await Promise.allSettled([
      modelSource.stop(),
      modelCache.stop(),
      modelAccess.stop(),
      apiKeyActors.stop(),
      deactivations.stop(),
      rollups?.stop(),
      mcpServers.close(),
    ]);
    await Promise.allSettled([stopSignals.close(), streamLog.close(), conversationEvents.close(), changes.close()]);
    await database.close();
  };
  return {
    env,
    database,
    store,
    providers,
    auth,
    registry,
    modelCache,
    modelSource,
    streamLog,
    conversationEvents,
    chat,
    conversations,
    completions,
    documents: new DocumentService(store.documents),
    mcpServers,
    files,
    transcripts,
    search,
    imports,
    accountExports,
    fileStorage,
    discord,
    userAdministration: new UserAdministration(store, fileStorage),
    apiKeyActors,
    deactivations,
    backups,
    stopReplies: () => turns.activeTurns.stopAll(),
    repliesEnded: () => turns.allSettled(),
    metrics,
    lifecycle: new Lifecycle(),
    close,
  };
}
