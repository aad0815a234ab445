DROP TABLE "mcp_servers" CASCADE;
--> statement-breakpoint
DROP TABLE "tool_calls" CASCADE;
--> statement-breakpoint
DROP TYPE "public"."mcp_transport";
