ALTER TABLE "messages" ADD COLUMN "model_id" varchar(200);--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
CREATE INDEX "idx_messages_model_id" ON "messages" USING btree ("model_id","created_at");