DROP INDEX "idx_messages_conversation_request";
--> statement-breakpoint
-- Request ids were unique across conversations before: where two conversations share one, the later rows lose it.
UPDATE "messages" SET "request_id" = NULL WHERE "id" IN (
	SELECT "id" FROM (
		SELECT "id", row_number() OVER (PARTITION BY "request_id" ORDER BY "created_at", "id") AS "nth"
		FROM "messages" WHERE "request_id" IS NOT NULL
	) AS "numbered" WHERE "nth" > 1
);
--> statement-breakpoint
CREATE UNIQUE INDEX "idx_messages_request_id" ON "messages" USING btree ("request_id");
