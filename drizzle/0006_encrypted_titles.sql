ALTER TABLE "conversations" ADD COLUMN "encrypted_title" "bytea";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "title_key_id" varchar(32);