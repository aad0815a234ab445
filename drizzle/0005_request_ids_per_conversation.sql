DROP INDEX "idx_messages_request_id";--> statement-breakpoint
CREATE UNIQUE INDEX "idx_messages_conversation_request" ON "messages" USING btree ("conversation_id","request_id");