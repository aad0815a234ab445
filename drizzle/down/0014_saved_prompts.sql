DROP TABLE "saved_prompts" CASCADE;
