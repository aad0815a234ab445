DROP TABLE "api_keys" CASCADE;
--> statement-breakpoint
DROP TABLE "auth_accounts" CASCADE;
--> statement-breakpoint
DROP TABLE "auth_sessions" CASCADE;
--> statement-breakpoint
DROP TABLE "auth_verifications" CASCADE;
