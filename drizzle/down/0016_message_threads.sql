ALTER TABLE "discord_reply_messages" DISABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP TABLE "discord_reply_messages" CASCADE;
--> statement-breakpoint
ALTER TABLE "messages" DROP CONSTRAINT "messages_thread_root_id_messages_id_fk";

--> statement-breakpoint
DROP INDEX "idx_messages_thread";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "thread_root_id";
