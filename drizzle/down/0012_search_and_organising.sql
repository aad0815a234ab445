DROP INDEX "idx_messages_search";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "search_vector";
--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP CONSTRAINT "conversation_participants_folder_id_conversation_folders_id_fk";
--> statement-breakpoint
DROP INDEX "idx_participants_user_pinned";
--> statement-breakpoint
DROP INDEX "idx_participants_folder";
--> statement-breakpoint
DROP INDEX "idx_conversations_title_search";
--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "pinned_at";
--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "archived_at";
--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "folder_id";
--> statement-breakpoint
DROP TABLE "conversation_folders";
