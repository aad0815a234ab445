// Serves the built web app (web/, built by Vite into dist/web): its hashed assets with long cache lifetimes, and
// index.html for every other page address (client-side routes such as /c/<id>), never for /api or /v1, whose
// unknown routes stay JSON 404s. Registered after every API route.
import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { projectPath } from '../project-root.ts';
import type { AppEnv } from './context.ts';
import { APP_PAGE_POLICY } from './security-headers.ts';

/** Where `npm run build:web` (run by npm install and npm start) writes the app. */
export const BUILT_WEB_APP_DIRECTORY = projectPath('dist', 'web');

/** Vite names assets by their content hash, so a name never changes meaning: browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html and unhashed files are checked again on every load, so a new build is seen at once. */
const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg', '.txt']);

type WebFile = { body: Uint8Array; gzipped?: Uint8Array; contentType: string; cacheControl: string; etag: string };

/** The API's own address spaces: the app never answers there. */
const isApiPath = (pathname: string) => /^\/(api|v1)(\/|$)/.test(pathname);

export function registerWebApp(app: OpenAPIHono<AppEnv>, directory = BUILT_WEB_APP_DIRECTORY) {
  // Read once, on the first page request (the build is a few hundred kB): a rebuild is served after a restart.
  let files: Map<string, WebFile> | undefined;
  const loadFiles = () => (files ??= readWebFiles(directory));

  app.get('*', async (context, next) => {
    const pathname = context.req.path;
    if (isApiPath(pathname)) return next();
    const built = loadFiles();
    const file = built.get(pathname);
    if (file) return sendFile(context, file);
    // A missing file (a name with an extension) is a 404, not the page: a stale asset must not parse HTML as JS.
    if (path.posix.extname(pathname) !== '') return next();
    const page = built.get('/index.html');
    if (!page) return context.html(NOT_BUILT_PAGE, 503);
    return sendFile(context, page);
  });
}

function sendFile(context: Context, file: WebFile): Response {
  const headers = new Headers({
    'content-type': file.contentType,
    'cache-control': file.cacheControl,
    etag: file.etag,
    'x-content-type-options': 'nosniff',
  });
  if (file.gzipped) headers.set('vary', 'accept-encoding');
  // A page says what it may load, and that no other site may frame it (clickjacking).
  if (file.contentType.startsWith('text/html')) {
    headers.set('content-security-policy', APP_PAGE_POLICY);
    headers.set('x-frame-options', 'DENY');
  }
  if (context.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
  const acceptsGzip = /\bgzip\b/.test(context.req.header('accept-encoding') ?? '');
  if (file.gzipped && acceptsGzip) {
    headers.set('content-encoding', 'gzip');
    return new Response(file.gzipped, { status: 200, headers });
  }
  return new Response(file.body, { status: 200, headers });
}

/** Every file of the build by its URL path; an absent build is an empty map. */
function readWebFiles(directory: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  for (const relative of listFiles(directory)) {
    const extension = path.extname(relative);
    const body = readFileSync(path.join(directory, relative));
    const urlPath = `/${relative.split(path.sep).join('/')}`;
    const hashed = urlPath.startsWith('/assets/');
    files.set(urlPath, {
      body,
      gzipped: COMPRESSIBLE.has(extension) && body.length > 1024 ? gzipSync(body) : undefined,
      contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
      cacheControl: hashed ? IMMUTABLE : REVALIDATE,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
    });
  }
  return files;
}

function listFiles(directory: string, prefix = ''): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(path.join(directory, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const relative = path.join(prefix, entry.name);
    if (entry.name.startsWith('.')) return [];
    return entry.isDirectory() ? listFiles(directory, relative) : [relative];
  });
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Chorus</title>
<p>The web app has not been built. Run <code>npm run build:web</code> (<code>npm install</code> and
<code>npm start</code> do it for you), then reload. The API is served under <code>/api</code>.</p>`;
