ALTER TYPE "public"."transcript_format" ADD VALUE 'md';--> statement-breakpoint
ALTER TABLE "transcripts" ADD COLUMN "checksum" varchar(64);