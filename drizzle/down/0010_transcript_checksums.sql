ALTER TABLE "transcripts" ALTER COLUMN "format" SET DATA TYPE text;
--> statement-breakpoint
DROP TYPE "public"."transcript_format";
--> statement-breakpoint
CREATE TYPE "public"."transcript_format" AS ENUM('json', 'csv');
--> statement-breakpoint
ALTER TABLE "transcripts" ALTER COLUMN "format" SET DATA TYPE "public"."transcript_format" USING "format"::"public"."transcript_format";
--> statement-breakpoint
ALTER TABLE "transcripts" DROP COLUMN "checksum";
