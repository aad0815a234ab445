ALTER TABLE "discord_link_codes" DISABLE ROW LEVEL SECURITY;
--> statement-breakpoint
DROP TABLE "discord_link_codes" CASCADE;
--> statement-breakpoint
DROP INDEX "idx_conversations_discord_channel_history";
--> statement-breakpoint
DROP INDEX "idx_conversations_discord_channel";
--> statement-breakpoint
CREATE UNIQUE INDEX "idx_conversations_discord_channel" ON "conversations" USING btree ("discord_channel_id");
