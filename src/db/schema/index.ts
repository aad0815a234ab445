// The whole schema: one Postgres schema shared by the web app, the API, the Discord bot and the CLI.

export * from './auth.ts';
export * from './conversations.ts';
export * from './discord.ts';
export * from './documents.ts';
export * from './enums.ts';
export * from './files.ts';
export * from './messages.ts';
export * from './model-access.ts';
export * from './models.ts';
export * from './operations.ts';
export * from './prompts.ts';
export * from './tools.ts';
export * from './users.ts';
