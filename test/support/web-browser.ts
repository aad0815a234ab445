// The web app in a real browser, for the end-to-end tests under test/web/: Debian's chromium driven by
// playwright-core, against `chorus serve` started as `npm start` runs it (the UI built first) on a fresh data
// directory. Tests are skipped where /usr/bin/chromium is absent (`skipWithoutChromium`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { servingPort, startChorus, temporaryDirectory } from './cli.ts';
import { type FakeProvider, startFakeProvider } from './fake-provider.ts';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Screenshots of each screen (git-ignored), to look at before calling UI work done. */
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'web');

/** `false`, or why the browser tests cannot run here (the `skip` option of `describe`). */
export const skipWithoutChromium: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is absent: install it with \`apt-get install -y chromium\``;

/** A port nobody uses now. The server must know its own port: the browser's Origin is checked against it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export type WebApp = { baseUrl: string; browser: Browser; close: () => Promise<void> };

/**
 * Builds the UI unless dist/web is current (what `npm start` does first, its prestart script), serves it on a
 * fresh data directory with `env` added, and launches the browser.
 */
export async function startWebApp(env: Record<string, string>): Promise<WebApp> {
  const built = spawnSync(process.execPath, [path.join(ROOT, 'web/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `the web build failed:\n${built.stdout}\n${built.stderr}`);
  mkdirSync(SCREENSHOTS, { recursive: true });

  const dataDirectory = temporaryDirectory('chorus-web-');
  const port = await freePort();
  const server = startChorus(['serve'], { DATA_DIR: dataDirectory.path, PORT: String(port), ...env });
  const baseUrl = `http://localhost:${await servingPort(server)}`;
  // Running as root (CI containers) needs --no-sandbox.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    baseUrl,
    browser,
    close: async () => {
      await browser.close();
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      dataDirectory.remove();
    },
  };
}

/**
 * The web app with its models answered by a fake provider on 127.0.0.1 (one model per scripted name, unless `env`
 * names them with CHORUS_PROVIDER_FAKE_MODELS): what most browser tests start with. Closing the app stops both.
 */
export async function startWebAppWithFakeProvider(
  options: Parameters<typeof startFakeProvider>[0],
  env: Record<string, string> = {},
): Promise<{ fake: FakeProvider; app: WebApp }> {
  const fake = await startFakeProvider(options);
  const app = await startWebApp({
    CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
    CHORUS_PROVIDER_FAKE_MODELS: Object.keys(options?.models ?? {}).join(','),
    ...env,
  }).catch(async (error: unknown) => {
    await fake.close();
    throw error;
  });
  return {
    fake,
    app: {
      ...app,
      close: async () => {
        await app.close();
        await fake.close();
      },
    },
  };
}

/**
 * As the admin signed in on `page` (the first to sign up), lets `modelId` call tools, then reloads the page so its
 * model list knows.
 */
export async function letModelCallTools(page: Page, app: WebApp, modelId: string) {
  const allowed = await page.request.patch(`${app.baseUrl}/api/admin/models/${encodeURIComponent(modelId)}`, {
    headers: { origin: app.baseUrl },
    data: { updates: { capabilities: ['tools'] } },
  });
  assert.equal(allowed.status(), 200, await allowed.text());
  await page.reload();
}

/** A page at `path` that collects console errors and uncaught exceptions, for the test to assert there are none. */
export async function openPage(
  app: WebApp,
  options: { path?: string; width?: number; height?: number } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await app.browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 800 } });
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${app.baseUrl}${options.path ?? '/'}`);
  return { page, errors };
}

/** Creates an account through the sign-up form and waits for the chat. */
export async function signUp(page: Page, name: string, email: string) {
  await page.getByRole('tab', { name: 'Sign up' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: '+ New chat' }).waitFor();
}

/**
 * Types `text` into the composer and sends it with Enter, as a person would. The label is matched exactly: an
 * open edit has its own "Edit your message" box.
 */
export async function sendMessage(page: Page, text: string) {
  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill(text);
  await composer.press('Enter');
}

/** Drops the browser's own log lines for requests the test expected to be refused (e.g. `status of 400`). */
export function withoutRefusedRequests(errors: string[], ...statuses: number[]) {
  const expected = new RegExp(`status of (${statuses.join('|')})`);
  errors.splice(0, errors.length, ...errors.filter((error) => !expected.test(error)));
}

/** Picks exactly these models (by the start of their label) in the chat's model picker, and closes it. */
export async function pickModels(page: Page, names: string[]) {
  await page.locator('.model-picker summary').click();
  // Tick the wanted ones first: the last ticked model can never be unticked.
  for (const name of names) await page.getByRole('checkbox', { name: new RegExp(`^${name}`, 'i') }).check();
  for (const box of await page.locator('.model-option').all()) {
    const label = (await box.innerText()).toLowerCase();
    if (!names.some((name) => label.startsWith(name))) await box.getByRole('checkbox').uncheck();
  }
  await page.keyboard.press('Escape');
  await page.locator('.model-picker:not([open])').waitFor();
}

/**
 * What sticks out past the right edge of the window: every visible element whose box ends beyond it, unless it
 * sits in something made to scroll sideways (a wide table's `.table-scroll`, a code block's `pre`). Empty when the
 * page fits its width.
 */
export async function elementsPastRightEdge(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Node = {
      tagName: string;
      className: unknown;
      textContent: string | null;
      closest(selector: string): Node | null;
      getBoundingClientRect(): { left: number; right: number; width: number; height: number };
    };
    const { document, innerWidth, getComputedStyle } = globalThis as unknown as {
      document: { body: { querySelectorAll(selector: string): Node[] } };
      innerWidth: number;
      getComputedStyle(node: Node): { visibility: string };
    };
    // No named helpers in here: the test runner's transpiler would wrap them in a function the page lacks.
    return Array.from(document.body.querySelectorAll('*'))
      .filter((node) => {
        const box = node.getBoundingClientRect();
        // Off screen to the left on purpose: the closed conversations drawer.
        if (box.width === 0 || box.height === 0 || box.left < 0) return false;
        if (node.closest('.table-scroll, pre')) return false;
        return box.right > innerWidth + 1 && getComputedStyle(node).visibility !== 'hidden';
      })
      .map(
        (node) =>
          `<${node.tagName.toLowerCase()} class="${typeof node.className === 'string' ? node.className : ''}"> “${(node.textContent ?? '').trim().slice(0, 40)}”`,
      );
  });
}

/** axe-core's browser build, evaluated in the page (through the DevTools protocol, which the page's policy allows). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export type AccessibilityProblem = { rule: string; impact: string; help: string; where: string[] };

/** axe-core's serious and critical findings on the page as it is now (WCAG 2.x A and AA, and best practices). */
export async function seriousAccessibilityProblems(page: Page): Promise<AccessibilityProblem[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate<AccessibilityProblem[]>(`
    axe.run(document, { resultTypes: ['violations'] }).then((results) =>
      results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => ({
          rule: violation.id,
          impact: violation.impact,
          help: violation.help,
          where: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
        })))`);
}
