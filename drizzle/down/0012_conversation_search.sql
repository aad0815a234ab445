DROP INDEX "idx_conversations_title_search";
--> statement-breakpoint
DROP INDEX "idx_messages_search";
