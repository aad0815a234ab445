CREATE TABLE "conversation_folders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" varchar(100) NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "pinned_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "archived_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD COLUMN "folder_id" uuid;--> statement-breakpoint
ALTER TABLE "conversation_folders" ADD CONSTRAINT "conversation_folders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_folders_user_name_unique" ON "conversation_folders" USING btree ("user_id","name");--> statement-breakpoint
ALTER TABLE "conversation_participants" ADD CONSTRAINT "conversation_participants_folder_id_conversation_folders_id_fk" FOREIGN KEY ("folder_id") REFERENCES "public"."conversation_folders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_participants_user_pinned" ON "conversation_participants" USING btree ("user_id") WHERE "conversation_participants"."pinned_at" is not null;--> statement-breakpoint
CREATE INDEX "idx_participants_folder" ON "conversation_participants" USING btree ("folder_id","last_message_at","conversation_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_title_search" ON "conversations" USING gin (to_tsvector('english'::regconfig, coalesce("title", ''::text)));--> statement-breakpoint
-- Hand-written (the schema leaves this column out on purpose, see src/db/schema/messages.ts): each message's
-- text-search vector, generated from its content, and the GIN index full-text search reads.
ALTER TABLE "messages" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('english'::regconfig, coalesce("content", ''::text))) STORED;--> statement-breakpoint
CREATE INDEX "idx_messages_search" ON "messages" USING gin ("search_vector");
