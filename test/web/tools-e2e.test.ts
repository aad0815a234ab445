// The MCP servers in the browser: an admin registers a streamable HTTP server with its token on /admin/tools, tests
// the connection (its tools are listed, the token is never shown back), changes it, and switches it on for a
// conversation in the conversation's settings.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type HttpMcpServer, MCP_TOKEN, startHttpMcpServer } from '../support/mcp-servers.ts';
import {
  openPage,
  pickModels,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebApp,
  type WebApp,
} from '../support/web-browser.ts';

describe('MCP servers in the web app', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let mcp: HttpMcpServer;
  let app: WebApp;

  before(async () => {
    fake = await startFakeProvider({ models: { alpha: { reply: 'Hello there.' } } });
    mcp = await startHttpMcpServer();
    app = await startWebApp({ CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL, CHORUS_PROVIDER_FAKE_MODELS: 'alpha' });
  });
  after(async () => {
    await app?.close();
    await mcp?.close();
    await fake?.close();
  });

  test('an admin registers and tests a server, then switches it on in a conversation', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Ada', 'ada@example.com');

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Tools' }).click();
    const form = page.getByRole('form', { name: 'Register an MCP server' });
    await form.getByLabel('Name (lower case, digits, dashes)').fill('calc');
    await form.getByLabel('Description').fill('Arithmetic');
    await form.getByLabel('URL').fill(mcp.url);
    await form.getByLabel('Headers, one a line (never shown again)').fill(`Authorization: Bearer ${MCP_TOKEN}`);
    await form.getByRole('button', { name: 'Register' }).click();

    const servers = page.getByRole('table', { name: 'MCP servers' });
    const row = servers.getByRole('row', { name: /calc/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Authorization/);
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(MCP_TOKEN));
    await row.getByRole('button', { name: 'Test' }).click();
    await row.getByRole('status').filter({ hasText: 'Tools: add, repeat, wait, fail' }).waitFor();

    // Changed without its headers, which stay: the connection still works.
    await row.getByRole('button', { name: 'Change' }).click();
    const change = page.getByRole('form', { name: 'Change calc' });
    await change.getByLabel('Description').fill('Sums and such');
    await change.getByRole('button', { name: 'Save changes' }).click();
    await servers.getByRole('row', { name: /Sums and such/ }).waitFor();
    assert.match(await servers.getByRole('row', { name: /calc/ }).innerText(), /Authorization/);

    await page.goto(app.baseUrl);
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'Hi');
    await page.getByRole('article', { name: /^alpha.* replied$/i }).waitFor();
    await page.getByRole('button', { name: 'Group settings' }).click();
    const tools = page.getByRole('complementary', { name: 'Group settings' }).getByRole('region', { name: 'Tools' });
    await tools.getByRole('checkbox', { name: /calc/ }).click();
    // Ticked once the server has the change and the settings are read back.
    await tools.getByRole('checkbox', { name: /calc/, checked: true }).waitFor();

    const conversationId = new URL(page.url()).pathname.split('/').at(-1)!;
    const details = await page.request.get(`${app.baseUrl}/api/conversations/${conversationId}`);
    const listed = await page.request.get(`${app.baseUrl}/api/tools/servers`);
    const [calc] = ((await listed.json()) as { servers: { id: string }[] }).servers;
    assert.deepEqual(((await details.json()) as { settings: { mcpServerIds?: string[] } }).settings.mcpServerIds, [
      calc!.id,
    ]);
    assert.deepEqual(errors, []);
  });
});
