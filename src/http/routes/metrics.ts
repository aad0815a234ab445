// GET /metrics: everything this process measures, in Prometheus text format, for a monitoring system holding
// CHORUS_METRICS_TOKEN (Authorization: Bearer <token>) or an admin signed in. Outside /api: it is no part of the
// application's API, and scrapers expect it here.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { resolveActor } from '../../auth/resolve-actor.ts';
import { AppError } from '../../errors.ts';
import type { Runtime } from '../../runtime.ts';
import type { AppEnv } from '../context.ts';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** Compared by digest, in constant time: the comparison says nothing of how much of a guess was right. */
const sameToken = (given: string, expected: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());

async function authorizeScrape(runtime: Runtime, headers: Headers): Promise<void> {
  const token = BEARER.exec(headers.get('authorization') ?? '')?.[1];
  const expected = runtime.env.CHORUS_METRICS_TOKEN;
  if (token && expected && sameToken(token, expected)) return;
  // Anything else stands or falls as any other request's credentials: an admin's session or API key.
  const { actor } = await resolveActor(runtime, headers);
  if (!actor) {
    throw new AppError(
      'unauthorized',
      'metrics need Authorization: Bearer <CHORUS_METRICS_TOKEN>, or an admin signed in',
    );
  }
  if (actor.role !== 'admin') throw new AppError('forbidden', 'only admins may read the metrics');
}

/** Registered ahead of the actor middleware: a scrape with the metrics token is never looked up as an API key. */
export function registerMetricsRoute(app: OpenAPIHono<AppEnv>) {
  app.get('/metrics', async (context) => {
    const runtime = context.get('runtime');
    if (!runtime.metrics) throw new AppError('not_found', 'metrics are off on this server (CHORUS_METRICS=off)');
    await authorizeScrape(runtime, context.req.raw.headers);
    return context.body(await runtime.metrics.text(), 200, { 'content-type': runtime.metrics.contentType });
  });
}
