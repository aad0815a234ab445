ALTER TABLE "conversation_participants" ADD COLUMN "last_message_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "idx_participants_user_activity" ON "conversation_participants" USING btree ("user_id","last_message_at","conversation_id") WHERE "conversation_participants"."is_active";--> statement-breakpoint
-- Backfill (hand-written): existing memberships take their conversation's last activity.
UPDATE "conversation_participants" AS p SET "last_message_at" = c."last_message_at" FROM "conversations" AS c WHERE c."id" = p."conversation_id";
