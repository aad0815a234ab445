DROP TABLE "users" CASCADE;
--> statement-breakpoint
DROP TABLE "model_history" CASCADE;
--> statement-breakpoint
DROP TABLE "models" CASCADE;
--> statement-breakpoint
DROP TABLE "conversation_invites" CASCADE;
--> statement-breakpoint
DROP TABLE "conversation_models" CASCADE;
--> statement-breakpoint
DROP TABLE "conversation_participants" CASCADE;
--> statement-breakpoint
DROP TABLE "conversations" CASCADE;
--> statement-breakpoint
DROP TABLE "messages" CASCADE;
--> statement-breakpoint
DROP TABLE "streams" CASCADE;
--> statement-breakpoint
DROP TABLE "votes" CASCADE;
--> statement-breakpoint
DROP TABLE "documents" CASCADE;
--> statement-breakpoint
DROP TABLE "suggestions" CASCADE;
--> statement-breakpoint
DROP TABLE "backup_logs" CASCADE;
--> statement-breakpoint
DROP TABLE "metrics" CASCADE;
--> statement-breakpoint
DROP TABLE "system_config_changes" CASCADE;
--> statement-breakpoint
DROP TABLE "system_configs" CASCADE;
--> statement-breakpoint
DROP TABLE "transcripts" CASCADE;
--> statement-breakpoint
DROP TYPE "public"."backup_status";
--> statement-breakpoint
DROP TYPE "public"."conversation_origin";
--> statement-breakpoint
DROP TYPE "public"."conversation_visibility";
--> statement-breakpoint
DROP TYPE "public"."document_kind";
--> statement-breakpoint
DROP TYPE "public"."message_role";
--> statement-breakpoint
DROP TYPE "public"."message_status";
--> statement-breakpoint
DROP TYPE "public"."model_change_kind";
--> statement-breakpoint
DROP TYPE "public"."model_status";
--> statement-breakpoint
DROP TYPE "public"."participant_role";
--> statement-breakpoint
DROP TYPE "public"."transcript_format";
--> statement-breakpoint
DROP TYPE "public"."user_role";
--> statement-breakpoint
DROP TYPE "public"."web_search_context_size";
