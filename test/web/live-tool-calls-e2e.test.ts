// A reply's tool calls reach everyone following the conversation as they happen, not only once the reply is done:
// here the same person follows it in a second browser (any follower is told through the same events stream), which
// shows the call running while the tool still works, then done, then the reply.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FakeProvider } from '../support/fake-provider.ts';
import {
  letModelCallTools,
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

const POEM = 'Rain on the roof, a kettle on the hob, and nothing at all that needs doing today.';

describe('tool calls live to followers', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({ models: { writer: { reply: 'Hello.' } } }));
  });
  after(() => app?.close());

  test('a second browser sees the call running, then done, before the reply ends', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Tove', 'tove@example.com');
    await letModelCallTools(page, app, 'fake:writer');
    await pickModels(page, ['writer']);
    await sendMessage(page, 'Hello');
    await page.getByText('Hello.', { exact: true }).waitFor();
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);

    // The same person in another browser: signed in with the session of the first.
    const followerContext = await app.browser.newContext({ storageState: await page.context().storageState() });
    const follower = await followerContext.newPage();
    const followerErrors: string[] = [];
    follower.on('pageerror', (error) => followerErrors.push(error.message));
    await follower.goto(page.url());
    await follower.getByText('Hello.', { exact: true }).waitFor();

    fake.scriptNextRequest({
      reply: '',
      toolCalls: [{ id: 'call_poem', name: 'createDocument', input: { title: 'Rain', kind: 'text' } }],
    });
    // The document is written slowly: the call runs for a few seconds.
    fake.scriptNextRequest({ reply: POEM, chunkSize: 2, chunkDelayMs: 60 });
    fake.scriptNextRequest({ reply: 'The poem is written.' });
    await sendMessage(page, 'Write me a poem about rain');

    const call = follower.locator('.tool-call', { hasText: 'createDocument' });
    await call.locator('.tool-state', { hasText: 'running…' }).waitFor({ timeout: 10_000 });
    assert.equal(await follower.getByText('The poem is written.').count(), 0, 'the reply has not ended yet');
    const regenerate = follower.getByRole('button', { name: '↻ Regenerate' });
    assert.equal(await regenerate.count(), 0, 'a reply still being written is not offered to regenerate');
    await follower.screenshot({ path: path.join(SCREENSHOTS, '92-tool-call-live-follower.png') });
    await call.locator('.tool-state', { hasText: 'done' }).waitFor({ timeout: 15_000 });
    await follower.getByText('The poem is written.').waitFor({ timeout: 10_000 });
    await regenerate.waitFor({ timeout: 5_000 });
    assert.equal(await call.count(), 1, 'the call is shown once');
    assert.deepEqual(errors, []);
    assert.deepEqual(followerErrors, []);
    await followerContext.close();
  });
});
