ALTER TABLE "messages" DROP CONSTRAINT "messages_model_id_models_id_fk";

--> statement-breakpoint
DROP INDEX "idx_messages_model_id";
--> statement-breakpoint
ALTER TABLE "messages" DROP COLUMN "model_id";
