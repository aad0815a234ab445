// Serving the built web app: hashed assets cached for a year, index.html (never cached) for every page address,
// and the API's address spaces left alone, so an unknown /api or /v1 route is still the JSON 404.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../src/http/context.ts';
import { APP_PAGE_POLICY } from '../../src/http/security-headers.ts';
import { registerWebApp } from '../../src/http/web-app.ts';
import { temporaryDirectory } from '../support/cli.ts';
import { startTestServer, type TestServer } from '../support/server.ts';

const INDEX = '<!doctype html><title>Chorus</title><div id="root"></div>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

function appServing(directory: string) {
  const app = new OpenAPIHono<AppEnv>();
  app.get('/api/models', (context) => context.json({ models: [] }));
  registerWebApp(app, directory);
  app.notFound((context) =>
    context.json({ error: { code: 'not_found', message: `no route for ${context.req.path}` } }, 404),
  );
  return app;
}

describe('the built web app', () => {
  const build = temporaryDirectory('chorus-web-build-');
  const app = appServing(build.path);
  before(() => {
    mkdirSync(path.join(build.path, 'assets'));
    writeFileSync(path.join(build.path, 'index.html'), INDEX);
    writeFileSync(path.join(build.path, 'assets', 'index-abc123.js'), SCRIPT);
  });
  after(() => build.remove());

  test('the home page is index.html, revalidated on every load', async () => {
    const response = await app.request('/');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    assert.equal(await response.text(), INDEX);
  });

  test('a page says what it may load (its own scripts, styles and API) and that no other site may frame it', async () => {
    for (const page of ['/', '/c/6f1c2d3e-0000-4000-8000-000000000000']) {
      const response = await app.request(page);
      assert.equal(response.headers.get('content-security-policy'), APP_PAGE_POLICY, page);
      assert.equal(response.headers.get('x-frame-options'), 'DENY', page);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', page);
    }
    assert.match(APP_PAGE_POLICY, /script-src 'self'/);
    assert.match(APP_PAGE_POLICY, /frame-ancestors 'none'/);
  });

  test('client-side routes get index.html too', async () => {
    for (const page of ['/c/6f1c2d3e-0000-4000-8000-000000000000', '/admin/models', '/invite/some-token']) {
      const response = await app.request(page);
      assert.equal(response.status, 200, page);
      assert.equal(await response.text(), INDEX, page);
    }
  });

  test('hashed assets are cached for a year, gzipped for browsers that accept it', async () => {
    const response = await app.request('/assets/index-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(response.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(response.headers.get('content-encoding'), 'gzip');
    assert.equal(gunzipSync(Buffer.from(await response.arrayBuffer())).toString(), SCRIPT);

    const plain = await app.request('/assets/index-abc123.js');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), SCRIPT);
  });

  test('a file seen before is answered 304 Not Modified', async () => {
    const first = await app.request('/assets/index-abc123.js');
    const again = await app.request('/assets/index-abc123.js', {
      headers: { 'if-none-match': first.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
  });

  test('a missing file is a 404, never the page in its place', async () => {
    const response = await app.request('/assets/index-gone.js');
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type')!, /json/);
  });

  test('/api and /v1 are never answered with the page', async () => {
    for (const address of ['/api', '/api/nowhere', '/v1', '/v1/nowhere', '/api/conversations/123/unknown']) {
      const response = await app.request(address);
      assert.equal(response.status, 404, address);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'not_found', address);
    }
    assert.deepEqual(await (await app.request('/api/models')).json(), { models: [] });
  });

  test('without a build, pages say how to build it', async () => {
    const empty = temporaryDirectory('chorus-web-none-');
    try {
      const response = await appServing(empty.path).request('/');
      assert.equal(response.status, 503);
      assert.match(await response.text(), /npm run build:web/);
    } finally {
      empty.remove();
    }
  });
});

describe('the web app inside the API server', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer('pglite');
  });
  after(() => server.close());

  test('unknown /api and /v1 routes keep their JSON 404, pages get HTML', async () => {
    for (const address of ['/api/nowhere', '/v1/nowhere']) {
      const response = await fetch(`${server.baseUrl}${address}`);
      assert.equal(response.status, 404, address);
      assert.match(((await response.json()) as { error: { message: string } }).error.message, /no route for GET/);
    }
    const page = await fetch(`${server.baseUrl}/c/6f1c2d3e-0000-4000-8000-000000000000`);
    // 200 with the built app (npm install builds it), 503 saying how to build it otherwise: HTML either way.
    assert.ok([200, 503].includes(page.status));
    assert.match(page.headers.get('content-type')!, /^text\/html/);
  });
});
