ALTER TABLE "users" DROP COLUMN "messages_per_day";
