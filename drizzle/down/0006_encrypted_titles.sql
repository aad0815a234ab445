ALTER TABLE "conversations" DROP COLUMN "encrypted_title";
--> statement-breakpoint
ALTER TABLE "conversations" DROP COLUMN "title_key_id";
