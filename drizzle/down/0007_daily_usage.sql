DROP TABLE "daily_usage" CASCADE;
