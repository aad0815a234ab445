CREATE TABLE "daily_usage" (
	"user_id" uuid NOT NULL,
	"day" date NOT NULL,
	"messages" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "daily_usage_pkey" PRIMARY KEY("user_id","day")
);
--> statement-breakpoint
ALTER TABLE "daily_usage" ADD CONSTRAINT "daily_usage_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Today's messages, counted before the table existed, so the day's limit holds across the upgrade.
INSERT INTO "daily_usage" ("user_id", "day", "messages")
SELECT "sender_id", ("created_at" AT TIME ZONE 'UTC')::date, count(*)::int FROM "messages"
WHERE "role" = 'user' AND "sender_id" IS NOT NULL AND "created_at" >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
	AND NOT ("metadata" @> '{"suppliedByClient": true}'::jsonb)
GROUP BY 1, 2;
