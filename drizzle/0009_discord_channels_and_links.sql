CREATE TABLE "discord_link_codes" (
	"code_hash" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"used_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
DROP INDEX "idx_conversations_discord_channel";--> statement-breakpoint
ALTER TABLE "discord_link_codes" ADD CONSTRAINT "discord_link_codes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_discord_link_codes_user" ON "discord_link_codes" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_discord_channel_history" ON "conversations" USING btree ("discord_channel_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "idx_conversations_discord_channel" ON "conversations" USING btree ("discord_channel_id") WHERE "conversations"."ended_at" is null;