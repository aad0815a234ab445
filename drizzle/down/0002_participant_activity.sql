DROP INDEX "idx_participants_user_activity";
--> statement-breakpoint
ALTER TABLE "conversation_participants" DROP COLUMN "last_message_at";
