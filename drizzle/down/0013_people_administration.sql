DROP TABLE "model_access" CASCADE;
--> statement-breakpoint
DROP TABLE "model_access_groups" CASCADE;
--> statement-breakpoint
DROP TABLE "user_group_members" CASCADE;
--> statement-breakpoint
DROP TABLE "user_groups" CASCADE;
--> statement-breakpoint
ALTER TABLE "api_keys" DROP COLUMN "expires_at";
--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "messages_per_day";
