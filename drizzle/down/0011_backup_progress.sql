ALTER TABLE "backup_logs" DROP COLUMN "progress";
