// Running the service: transcripts, metrics, system configuration with its audit trail, backup logs.
import { bigint, index, integer, jsonb, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { createdAt, instant } from './columns.ts';
import { conversations } from './conversations.ts';
import { backupStatus, transcriptFormat } from './enums.ts';
import { users } from './users.ts';

export const transcripts = pgTable(
  'transcripts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Key in file storage (a path under DATA_DIR/files, or an S3 key). */
    storageKey: text('storage_key').notNull(),
    format: transcriptFormat('format').notNull(),
    fileSizeBytes: bigint('file_size_bytes', { mode: 'number' }).notNull(),
    messageCount: integer('message_count').notNull(),
    /** Hex SHA-256 of the stored bytes: an integrity check and the download's ETag. */
    checksum: varchar('checksum', { length: 64 }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    index('idx_transcripts_conversation').on(table.conversationId),
    index('idx_transcripts_created_at').on(table.createdAt),
    index('idx_transcripts_format').on(table.format),
  ],
);

export const metrics = pgTable(
  'metrics',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientBotId: varchar('client_bot_id', { length: 100 }).notNull(),
    metricType: varchar('metric_type', { length: 100 }).notNull(),
    metricData: jsonb('metric_data').$type<Record<string, unknown>>().notNull().default({}),
    timestamp: instant('timestamp').notNull().defaultNow(),
  },
  (table) => [
    index('idx_metrics_timestamp').on(table.timestamp),
    index('idx_metrics_type').on(table.metricType, table.timestamp),
    index('idx_metrics_client_bot').on(table.clientBotId, table.timestamp),
  ],
);

export const systemConfigs = pgTable('system_configs', {
  key: varchar('key', { length: 200 }).primaryKey(),
  value: jsonb('value').$type<unknown>().notNull(),
  updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
  updatedAt: instant('updated_at').notNull().defaultNow(),
});

/** One row per change of a system config key: who changed what, from what, when. */
export const systemConfigChanges = pgTable(
  'system_config_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: varchar('key', { length: 200 }).notNull(),
    oldValue: jsonb('old_value').$type<unknown>(),
    newValue: jsonb('new_value').$type<unknown>(),
    changedBy: uuid('changed_by').references(() => users.id, { onDelete: 'set null' }),
    changedAt: instant('changed_at').notNull().defaultNow(),
  },
  (table) => [index('idx_system_config_changes_key').on(table.key, table.changedAt)],
);

export const backupLogs = pgTable(
  'backup_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    backupType: varchar('backup_type', { length: 50 }).notNull(),
    status: backupStatus('status').notNull().default('started'),
    startedAt: instant('started_at').notNull().defaultNow(),
    completedAt: instant('completed_at'),
    filePath: text('file_path'),
    fileSizeBytes: bigint('file_size_bytes', { mode: 'number' }),
    checksum: varchar('checksum', { length: 128 }),
    errorMessage: text('error_message'),
    /** While in progress: how far the run has got (see BackupProgress in store/backup-logs.ts). */
    progress: jsonb('progress').$type<{ tablesDone: number; tablesTotal: number; rows: number; bytes: number }>(),
  },
  (table) => [
    index('idx_backup_logs_type').on(table.backupType),
    index('idx_backup_logs_status').on(table.status),
    index('idx_backup_logs_started_at').on(table.startedAt),
  ],
);
