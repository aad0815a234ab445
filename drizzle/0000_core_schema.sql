CREATE TYPE "public"."backup_status" AS ENUM('started', 'in_progress', 'completed', 'failed');--> statement-breakpoint
CREATE TYPE "public"."conversation_origin" AS ENUM('web', 'discord', 'api');--> statement-breakpoint
CREATE TYPE "public"."conversation_visibility" AS ENUM('private', 'public');--> statement-breakpoint
CREATE TYPE "public"."document_kind" AS ENUM('text', 'code', 'sheet', 'image');--> statement-breakpoint
CREATE TYPE "public"."message_role" AS ENUM('user', 'assistant', 'system', 'tool');--> statement-breakpoint
CREATE TYPE "public"."message_status" AS ENUM('streaming', 'complete', 'stopped', 'error');--> statement-breakpoint
CREATE TYPE "public"."model_change_kind" AS ENUM('created', 'updated', 'deprecated', 'restored', 'disabled', 'reverted', 'imported', 'deleted');--> statement-breakpoint
CREATE TYPE "public"."model_status" AS ENUM('active', 'beta', 'deprecated', 'disabled');--> statement-breakpoint
CREATE TYPE "public"."participant_role" AS ENUM('owner', 'admin', 'member');--> statement-breakpoint
CREATE TYPE "public"."transcript_format" AS ENUM('json', 'csv');--> statement-breakpoint
CREATE TYPE "public"."user_role" AS ENUM('user', 'admin');--> statement-breakpoint
CREATE TYPE "public"."web_search_context_size" AS ENUM('low', 'medium', 'high');--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" varchar(255),
	"email_verified" boolean DEFAULT false NOT NULL,
	"username" varchar(50) NOT NULL,
	"display_name" varchar(100),
	"avatar_url" text,
	"role" "user_role" DEFAULT 'user' NOT NULL,
	"is_guest" boolean DEFAULT false NOT NULL,
	"discord_id" varchar(32),
	"is_active" boolean DEFAULT true NOT NULL,
	"preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"model_id" varchar(200) NOT NULL,
	"version" integer NOT NULL,
	"kind" "model_change_kind" NOT NULL,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"snapshot" jsonb NOT NULL,
	"changed_by" uuid,
	"reason" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" varchar(200) PRIMARY KEY NOT NULL,
	"provider" varchar(50) NOT NULL,
	"provider_model_id" varchar(200) NOT NULL,
	"name" varchar(200) NOT NULL,
	"display_name" varchar(200),
	"family" varchar(100),
	"avatar" varchar(16),
	"description" text,
	"context_window" integer NOT NULL,
	"max_output_tokens" integer,
	"pricing" jsonb NOT NULL,
	"capabilities" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" "model_status" DEFAULT 'active' NOT NULL,
	"release_date" varchar(10),
	"knowledge_cutoff" varchar(10),
	"open_weights" boolean DEFAULT false NOT NULL,
	"source" text,
	"version" integer DEFAULT 1 NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_invites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"token" varchar(64) NOT NULL,
	"created_by" uuid,
	"role" "participant_role" DEFAULT 'member' NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"max_uses" integer,
	"use_count" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_models" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"model_id" varchar(200) NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversation_participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" "participant_role" DEFAULT 'member' NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"joined_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" varchar(255),
	"owner_id" uuid NOT NULL,
	"visibility" "conversation_visibility" DEFAULT 'private' NOT NULL,
	"origin" "conversation_origin" DEFAULT 'web' NOT NULL,
	"discord_channel_id" varchar(32),
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_message_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"request_id" varchar(128),
	"role" "message_role" NOT NULL,
	"sender_id" uuid,
	"model_version" integer,
	"parts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"content" text,
	"encrypted_content" "bytea",
	"encryption_key_id" varchar(32),
	"attachments" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"parent_id" uuid,
	"is_first_responder" boolean DEFAULT false NOT NULL,
	"has_web_search" boolean DEFAULT false NOT NULL,
	"web_search_context_size" "web_search_context_size",
	"status" "message_status" DEFAULT 'complete' NOT NULL,
	"input_tokens" integer,
	"output_tokens" integer,
	"cached_input_tokens" integer,
	"cost_usd" numeric(20, 10),
	"latency_ms" integer,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT clock_timestamp() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "streams" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"message_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"is_upvoted" boolean NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "votes_pkey" PRIMARY KEY("message_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"title" text NOT NULL,
	"content" text,
	"kind" "document_kind" DEFAULT 'text' NOT NULL,
	"user_id" uuid NOT NULL,
	"conversation_id" uuid,
	CONSTRAINT "documents_pkey" PRIMARY KEY("id","created_at")
);
--> statement-breakpoint
CREATE TABLE "suggestions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"document_id" uuid NOT NULL,
	"document_created_at" timestamp (3) with time zone NOT NULL,
	"original_text" text NOT NULL,
	"suggested_text" text NOT NULL,
	"description" text,
	"is_resolved" boolean DEFAULT false NOT NULL,
	"accepted" boolean,
	"user_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "backup_logs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"backup_type" varchar(50) NOT NULL,
	"status" "backup_status" DEFAULT 'started' NOT NULL,
	"started_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"file_path" text,
	"file_size_bytes" bigint,
	"checksum" varchar(128),
	"error_message" text
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"client_bot_id" varchar(100) NOT NULL,
	"metric_type" varchar(100) NOT NULL,
	"metric_data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timestamp" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "system_config_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" varchar(200) NOT NULL,
	"old_value" jsonb,
	"new_value" jsonb,
	"changed_by" uuid,
	"changed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "system_configs" (
	"key" varchar(200) PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcripts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"storage_key" text NOT NULL,
	"format" "transcript_format" NOT NULL,
	"file_size_bytes" bigint NOT NULL,
	"message_count" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_history" ADD CONSTRAINT "model_history_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_invites" ADD CONSTRAINT "conversation_invites_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_invites" ADD CONSTRAINT "conversation_invites_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_models" ADD CONSTRAINT "conversation_models_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_models" ADD CONSTRAINT "conversation_models_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_parent_id_messages_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "streams" ADD CONSTRAINT "streams_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "suggestions" ADD CONSTRAINT "suggestions_document_fk" FOREIGN KEY ("document_id","document_created_at") REFERENCES "public"."documents"("id","created_at") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_config_changes" ADD CONSTRAINT "system_config_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_configs" ADD CONSTRAINT "system_configs_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transcripts" ADD CONSTRAINT "transcripts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_users_email" ON "users" USING btree ("email");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_users_username" ON "users" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_users_discord_id" ON "users" USING btree ("discord_id");--> statement-breakpoint
CREATE INDEX "idx_users_active" ON "users" USING btree ("is_active") WHERE "users"."is_active";--> statement-breakpoint
CREATE UNIQUE INDEX "idx_model_history_model_version" ON "model_history" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "idx_model_history_created_at" ON "model_history" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_models_provider" ON "models" USING btree ("provider");--> statement-breakpoint
CREATE INDEX "idx_models_status" ON "models" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_models_sort" ON "models" USING btree ("sort_order","id");--> statement-breakpoint
CREATE INDEX "idx_models_capabilities" ON "models" USING gin ("capabilities");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_models_provider_model" ON "models" USING btree ("provider","provider_model_id");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_invites_token" ON "conversation_invites" USING btree ("token");--> statement-breakpoint
CREATE INDEX "idx_invites_conversation" ON "conversation_invites" USING btree ("conversation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_models_conversation_model_unique" ON "conversation_models" USING btree ("conversation_id","model_id");--> statement-breakpoint
CREATE INDEX "idx_conversation_models_order" ON "conversation_models" USING btree ("conversation_id","position");--> statement-breakpoint
CREATE INDEX "idx_conversation_models_model" ON "conversation_models" USING btree ("model_id");--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_participants_conversation_user_unique" ON "conversation_participants" USING btree ("conversation_id","user_id");--> statement-breakpoint
CREATE INDEX "idx_participants_user_active" ON "conversation_participants" USING btree ("user_id","is_active");--> statement-breakpoint
CREATE INDEX "idx_participants_conversation" ON "conversation_participants" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_owner" ON "conversations" USING btree ("owner_id","last_message_at","id");--> statement-breakpoint
CREATE INDEX "idx_conversations_origin" ON "conversations" USING btree ("origin");--> statement-breakpoint
CREATE INDEX "idx_conversations_active" ON "conversations" USING btree ("is_active") WHERE "conversations"."is_active";--> statement-breakpoint
CREATE INDEX "idx_conversations_created_at" ON "conversations" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_conversations_discord_channel" ON "conversations" USING btree ("discord_channel_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_last_message_at" ON "conversations" USING btree ("last_message_at","id");--> statement-breakpoint
CREATE INDEX "idx_conversations_public" ON "conversations" USING btree ("visibility") WHERE "conversations"."visibility" = 'public';--> statement-breakpoint
CREATE INDEX "idx_messages_conversation_created_at" ON "messages" USING btree ("conversation_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_messages_request_id" ON "messages" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "idx_messages_sender" ON "messages" USING btree ("sender_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_messages_timestamp" ON "messages" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_messages_role" ON "messages" USING btree ("role");--> statement-breakpoint
CREATE INDEX "idx_messages_parent" ON "messages" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "idx_streams_conversation" ON "streams" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_votes_conversation" ON "votes" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_documents_user" ON "documents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_suggestions_document" ON "suggestions" USING btree ("document_id","document_created_at");--> statement-breakpoint
CREATE INDEX "idx_backup_logs_type" ON "backup_logs" USING btree ("backup_type");--> statement-breakpoint
CREATE INDEX "idx_backup_logs_status" ON "backup_logs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_backup_logs_started_at" ON "backup_logs" USING btree ("started_at");--> statement-breakpoint
CREATE INDEX "idx_metrics_timestamp" ON "metrics" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "idx_metrics_type" ON "metrics" USING btree ("metric_type","timestamp");--> statement-breakpoint
CREATE INDEX "idx_metrics_client_bot" ON "metrics" USING btree ("client_bot_id","timestamp");--> statement-breakpoint
CREATE INDEX "idx_system_config_changes_key" ON "system_config_changes" USING btree ("key","changed_at");--> statement-breakpoint
CREATE INDEX "idx_transcripts_conversation" ON "transcripts" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_transcripts_created_at" ON "transcripts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_transcripts_format" ON "transcripts" USING btree ("format");