// GET /metrics as a monitoring system reads it: Prometheus text, only with CHORUS_METRICS_TOKEN or as an admin, and
// counters that move with what the server does (a chat: the turn, the reply by model and status, its tokens, its
// time to first token; a provider failure by kind; requests by route pattern; statements). The minute rollups feed
// the admin charts (GET /api/admin/metrics). With CHORUS_METRICS=off there is nothing to read.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startMetricRollups } from '../../src/metrics/minute-rollups.ts';
import { seedModels } from '../../src/models/seed.ts';
import { registerDeclaredModels } from '../../src/providers/index.ts';
import { readChat } from '../support/chat-stream.ts';
import { testBackends } from '../support/database.ts';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type Person, signUp } from '../support/people.ts';
import { parsePrometheusText, type Sample, sampleValue } from '../support/prometheus.ts';
import { startTestServer, TestClient, type TestServer } from '../support/server.ts';

process.env.AI_SDK_LOG_WARNINGS = 'false';

const METRICS_TOKEN = 'metrics-token-for-the-tests-0123456789';

for (const kind of testBackends()) {
  describe(`metrics on ${kind}`, () => {
    let server: TestServer;
    let fake: FakeProvider;
    let admin: Person;
    let member: Person;

    before(async () => {
      fake = await startFakeProvider({ defaults: { chunkSize: 4 } });
      server = await startTestServer(kind, {
        CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
        CHORUS_PROVIDER_FAKE_MODELS: 'counted,refusing',
        CHORUS_PROVIDER_MAX_RETRIES: '0',
        CHORUS_METRICS_TOKEN: METRICS_TOKEN,
      });
      const db = server.runtime.database.db;
      await seedModels(db);
      await registerDeclaredModels(db, server.runtime.providers);
      await server.runtime.modelCache.refresh();
      admin = await signUp(server, 'Admin');
      member = await signUp(server, 'Member');
    });
    after(async () => {
      await server?.close();
      await fake?.close();
    });

    const scrape = async (authorization?: string) =>
      fetch(`${server.baseUrl}/metrics`, { headers: authorization ? { authorization } : {} });

    const metrics = async (): Promise<Sample[]> => {
      const response = await scrape(`Bearer ${METRICS_TOKEN}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return parsePrometheusText(await response.text());
    };

    /** A chat in a new conversation, read to its end; the conversation's id. */
    const chat = async (person: Person, modelId: string) => {
      const conversationId = crypto.randomUUID();
      const response = await person.client.open(
        'POST',
        '/api/chat',
        JSON.stringify({
          id: conversationId,
          modelIds: [modelId],
          message: { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text: 'count me' }] },
        }),
      );
      assert.equal(response.status, 200);
      await readChat(response.body!);
      return conversationId;
    };

    test('reading them takes the metrics token or an admin: 401 for nobody or a wrong token, 403 for anyone else', async () => {
      assert.equal((await scrape()).status, 401);
      assert.equal((await scrape('Bearer not-the-metrics-token-at-all')).status, 401);
      const memberKey = (await member.client.post('/api/keys', { name: 'scraper' })).body.key as string;
      assert.equal((await scrape(`Bearer ${memberKey}`)).status, 403);
      const asMember = await member.client.open('GET', '/metrics');
      assert.equal(asMember.status, 403);
      assert.equal(((await asMember.json()) as { error: { code: string } }).error.code, 'forbidden');
      const asAdmin = await admin.client.open('GET', '/metrics');
      assert.equal(asAdmin.status, 200);
      parsePrometheusText(await asAdmin.text());
      assert.equal((await scrape(`Bearer ${METRICS_TOKEN}`)).status, 200);
    });

    test('a chat moves the counters: turn, reply by model and status, tokens, time to first token, requests by route, statements', async () => {
      const before = await metrics();
      await chat(member, 'fake:counted');
      const now = await metrics();
      const moved = (name: string, labels: Record<string, string> = {}) =>
        sampleValue(now, name, labels) - sampleValue(before, name, labels);

      assert.equal(moved('chorus_turns_total'), 1);
      assert.equal(moved('chorus_replies_total', { model: 'fake:counted', status: 'complete' }), 1);
      assert.ok(moved('chorus_tokens_total', { model: 'fake:counted', kind: 'output' }) > 0);
      assert.ok(moved('chorus_tokens_total', { model: 'fake:counted', kind: 'input' }) > 0);
      assert.equal(moved('chorus_reply_first_token_seconds_count', { model: 'fake:counted' }), 1);
      assert.equal(moved('chorus_reply_duration_seconds_count', { model: 'fake:counted' }), 1);
      assert.equal(moved('chorus_http_requests_total', { method: 'POST', route: '/api/chat', status: '200' }), 1);
      assert.ok(moved('chorus_db_statement_duration_seconds_count') > 0);
      // The route's pattern, never a raw path with its ids.
      const routes = new Set(now.filter((sample) => sample.labels.route).map((sample) => sample.labels.route));
      assert.ok(routes.has('/api/keys'), [...routes].join(', '));
      for (const route of routes) assert.doesNotMatch(route!, /[0-9a-f]{8}-[0-9a-f]{4}-/, route);
      // The process's own: memory and event-loop lag.
      assert.ok(sampleValue(now, 'process_resident_memory_bytes') > 0);
      assert.ok(now.some((sample) => sample.name === 'nodejs_eventloop_lag_seconds'));
      assert.ok(now.some((sample) => sample.name === 'chorus_active_streams'));
      assert.ok(now.some((sample) => sample.name === 'chorus_event_subscribers'));
    });

    test('a provider refusal counts as an error of its kind, and the reply as an error', async () => {
      fake.scriptModel('refusing', { failFirst: { count: 100, status: 401 } });
      const before = await metrics();
      await chat(member, 'fake:refusing');
      const now = await metrics();
      const moved = (name: string, labels: Record<string, string>) =>
        sampleValue(now, name, labels) - sampleValue(before, name, labels);
      assert.equal(moved('chorus_provider_errors_total', { model: 'fake:refusing', kind: 'refused' }), 1);
      assert.equal(moved('chorus_replies_total', { model: 'fake:refusing', status: 'error' }), 1);
    });

    test('event streams are counted while open', async () => {
      const conversationId = await chat(member, 'fake:counted');
      const events = await member.client.open('GET', `/api/conversations/${conversationId}/events`);
      assert.equal(events.status, 200);
      assert.equal(sampleValue(await metrics(), 'chorus_event_subscribers'), 1);
      await events.body!.cancel();
      for (let attempt = 0; attempt < 100 && sampleValue(await metrics(), 'chorus_event_subscribers') > 0; attempt++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(sampleValue(await metrics(), 'chorus_event_subscribers'), 0);
    });

    test("each minute's totals become a row of the metrics table, which the admin charts read", async () => {
      // The server's own rollup writes once a minute; this one writes what is counted so far when stopped.
      const rollup = startMetricRollups(server.runtime.store.metrics, server.runtime.metrics!.minute, {
        clientBotId: 'server:test',
        intervalMs: 3_600_000,
      });
      await chat(member, 'fake:counted');
      await rollup.stop();
      const [row] = await server.runtime.store.metrics.query({ clientBotId: 'server:test' });
      assert.equal(row?.metricType, 'server.minute');
      assert.ok((row!.metricData.turns as number) >= 1);
      assert.ok((row!.metricData.outputTokens as number) > 0);
      assert.equal(typeof row!.metricData.firstTokenP50Ms, 'number');

      const series = await admin.client.get('/api/admin/metrics?hours=1');
      assert.equal(series.status, 200);
      const points = series.body.points as { turns: number; outputTokens: number; firstTokenP95Ms: number | null }[];
      assert.ok(points.reduce((sum, point) => sum + point.turns, 0) >= 1);
      assert.ok(points.some((point) => point.firstTokenP95Ms !== null));
      assert.equal((await member.client.get('/api/admin/metrics')).status, 403);
      assert.equal((await admin.client.get('/api/admin/metrics?hours=100000')).status, 400);
    });

    test('every response carries a request id: a sane one given is kept, anything else replaced', async () => {
      const client = new TestClient(server.baseUrl);
      const kept = await client.request('GET', '/api/health', undefined, { 'x-request-id': 'lb-1234.abc' });
      assert.equal(kept.headers.get('x-request-id'), 'lb-1234.abc');
      const replaced = await client.request('GET', '/api/health', undefined, { 'x-request-id': 'bad id <script>' });
      assert.match(replaced.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      const made = await client.get('/api/models');
      assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });
  });
}

describe('metrics switched off', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('pglite', { CHORUS_METRICS: 'off', CHORUS_METRICS_TOKEN: METRICS_TOKEN });
  });
  after(() => server?.close());

  test('CHORUS_METRICS=off: GET /metrics is 404 and nothing is counted', async () => {
    const response = await fetch(`${server.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(response.status, 404);
    assert.equal(server.runtime.metrics, null);
  });
});
