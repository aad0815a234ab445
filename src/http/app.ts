// The HTTP application: every route under /api (and /v1), validated by Zod schemas that also produce the
// OpenAPI document at /api/openapi.json; errors as JSON in one shape (see errors.ts).
import { OpenAPIHono } from '@hono/zod-openapi';
import { trustedBrowserOrigins } from '../auth/better-auth.ts';
import { AppError } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { actorMiddleware } from './actor-middleware.ts';
import type { AppEnv } from './context.ts';
import { refuseCrossSiteWrites } from './cross-site-requests.ts';
import { refuseWhileDraining } from './draining.ts';
import { findUnstorableText, handleError, invalidInput } from './errors.ts';
import { OPENAPI_DOCUMENT, registerStreamedShapes } from './openapi.ts';
import { readRequestBody } from './request-body.ts';
import { requestIds } from './request-ids.ts';
import { countRequests } from './request-metrics.ts';
import { registerAccountExportRoutes } from './routes/account-export.ts';
import { registerAdminBackupRoutes } from './routes/admin-backups.ts';
import { registerAdminConfigRoutes } from './routes/admin-config.ts';
import { registerAdminDiscordRoutes } from './routes/admin-discord.ts';
import { registerAdminMetricsRoutes } from './routes/admin-metrics.ts';
import { registerAdminModelAccessRoutes } from './routes/admin-model-access.ts';
import { registerAdminModelRoutes } from './routes/admin-models.ts';
import { registerAdminToolRoutes } from './routes/admin-tools.ts';
import { registerAdminUsageRoutes } from './routes/admin-usage.ts';
import { registerAdminUserRoutes } from './routes/admin-users.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerChatRoutes } from './routes/chat.ts';
import { registerConversationEventRoutes } from './routes/conversation-events.ts';
import { registerConversationModelRoutes } from './routes/conversation-models.ts';
import { registerConversationRoutes } from './routes/conversations.ts';
import { registerDiscordLinkRoutes } from './routes/discord-link.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerFileRoutes } from './routes/files.ts';
import { registerFolderRoutes } from './routes/folders.ts';
import { registerHealthRoutes } from './routes/health.ts';
import { registerImportRoutes } from './routes/imports.ts';
import { registerInviteRoutes } from './routes/invites.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerMeRoutes } from './routes/me.ts';
import { registerMetricsRoute } from './routes/metrics.ts';
import { registerModelRoutes } from './routes/models.ts';
import { openAiErrorFields, registerOpenAiCompatibleRoutes } from './routes/openai-compatible.ts';
import { registerParticipantRoutes } from './routes/participants.ts';
import { registerPromptRoutes } from './routes/prompts.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerSignInOptionsRoutes } from './routes/sign-in-options.ts';
import { registerThreadRoutes } from './routes/threads.ts';
import { registerToolRoutes } from './routes/tools.ts';
import { registerTranscriptRoutes } from './routes/transcripts.ts';
import { registerVoteRoutes } from './routes/votes.ts';
import { registerWebApp } from './web-app.ts';

export function createApp(runtime: Runtime) {
  const app = new OpenAPIHono<AppEnv>({
    // A request that fails its schema is a 400 naming every bad field, never a 500.
    defaultHook: (result) => {
      if (!result.success) throw invalidInput(result.error, `request ${result.target}`);
      const unstorable = findUnstorableText(result.data);
      if (unstorable) {
        const { path, problem } = unstorable;
        throw new AppError('invalid_input', `invalid request ${result.target}: ${path || 'the value'} ${problem}`, {
          details: [{ path, message: problem }],
        });
      }
    },
  });

  app.use('*', requestIds);
  if (runtime.metrics) app.use('*', countRequests(runtime.metrics));
  app.use('*', async (context, next) => {
    context.set('runtime', runtime);
    await next();
  });
  app.use('*', refuseWhileDraining);
  registerMetricsRoute(app);
  // First, so the refusals below get OpenAI's error fields on /v1 as well.
  app.use('/v1/*', openAiErrorFields);
  app.use('*', refuseCrossSiteWrites(trustedBrowserOrigins(runtime.env)));
  app.use('*', actorMiddleware);
  // After the actor is known: a write from nobody signed in is refused before its body is read.
  app.use('*', readRequestBody);

  registerApiRoutes(app);
  app.doc31('/api/openapi.json', OPENAPI_DOCUMENT);
  // Last: the web app answers every other page address, never /api or /v1.
  registerWebApp(app);

  app.notFound((context) => {
    throw new AppError('not_found', `no route for ${context.req.method} ${context.req.path}`);
  });
  app.onError(handleError);
  return app;
}

/** The OpenAPI document the server serves at /api/openapi.json, built without a server (for generated types). */
export function describeApi() {
  const app = new OpenAPIHono<AppEnv>();
  registerApiRoutes(app);
  return app.getOpenAPI31Document(OPENAPI_DOCUMENT);
}

/** Every route under /api and /v1, and the shapes they stream. */
function registerApiRoutes(app: OpenAPIHono<AppEnv>) {
  registerHealthRoutes(app);
  registerAuthRoutes(app);
  registerSignInOptionsRoutes(app);
  registerMeRoutes(app);
  registerKeyRoutes(app);
  registerModelRoutes(app);
  registerChatRoutes(app);
  registerFileRoutes(app);
  registerDocumentRoutes(app);
  registerOpenAiCompatibleRoutes(app);
  registerImportRoutes(app);
  registerConversationRoutes(app);
  registerSearchRoutes(app);
  registerFolderRoutes(app);
  registerPromptRoutes(app);
  registerTranscriptRoutes(app);
  registerAccountExportRoutes(app);
  registerConversationEventRoutes(app);
  registerVoteRoutes(app);
  registerThreadRoutes(app);
  registerConversationModelRoutes(app);
  registerParticipantRoutes(app);
  registerInviteRoutes(app);
  registerAdminModelRoutes(app);
  registerAdminUsageRoutes(app);
  registerAdminUserRoutes(app);
  registerAdminModelAccessRoutes(app);
  registerAdminToolRoutes(app);
  registerToolRoutes(app);
  registerAdminConfigRoutes(app);
  registerAdminMetricsRoutes(app);
  registerDiscordLinkRoutes(app);
  registerAdminDiscordRoutes(app);
  registerAdminBackupRoutes(app);
  registerStreamedShapes(app);
}
