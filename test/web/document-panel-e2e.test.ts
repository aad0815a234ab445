// The document panel in a real browser on a 375 px wide phone (see chat-e2e.test.ts for the setting): a model's
// createDocument call opens the panel while the document is being written, which then shows the saved version;
// the suggestions the model makes on it are accepted from the panel, which lists the new version.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FakeProvider } from '../support/fake-provider.ts';
import {
  elementsPastRightEdge,
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

const ODE = 'Tea is warm and tea is kind; a cup of tea will ease the mind. Steep it long and drink it slow.';

describe('the document panel in a browser', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({ models: { writer: { reply: 'Done.' } } }));
  });
  after(() => app?.close());

  test('a document streams into the panel as it is written; a suggestion accepted there is its version 2', async () => {
    const { page, errors } = await openPage(app, { width: 375, height: 740 });
    // The first to sign up is the site admin, who lets the model call tools.
    await signUp(page, 'Dora', 'dora@example.com');
    await letModelCallTools(page, app, 'fake:writer');
    await pickModels(page, ['writer']);

    fake.scriptNextRequest({
      reply: 'Writing it now.',
      toolCalls: [{ id: 'call_create', name: 'createDocument', input: { title: 'Ode to tea', kind: 'text' } }],
    });
    fake.scriptNextRequest({ reply: ODE, chunkSize: 3, chunkDelayMs: 60 });
    fake.scriptNextRequest({ reply: 'Your ode is in the panel.' });
    await sendMessage(page, 'Write an ode to tea');

    const panel = page.getByRole('complementary', { name: 'Document: Ode to tea' });
    // Live: the panel opens while the model is still writing, with part of the text.
    await panel.getByText('writing…').waitFor();
    const partial = await panel.locator('.document-body').innerText();
    assert.ok(partial.length < ODE.length, 'the panel showed the document before it was all written');
    await page.screenshot({ path: path.join(SCREENSHOTS, '90-document-writing.png') });
    // Saved: the whole text, as version 1.
    await panel.getByRole('button', { name: /^Version 1/ }).waitFor();
    assert.equal((await panel.locator('.document-body').innerText()).trim(), ODE);
    assert.deepEqual(await elementsPastRightEdge(page), []);

    await panel.getByRole('button', { name: 'Close' }).click();
    // The model names the document it was told of; the fake must be given its id, read from the tool block.
    const documentId = await page.evaluate(async () => {
      const { location } = globalThis as unknown as { location: { pathname: string } };
      const conversationId = location.pathname.split('/').at(-1);
      const response = await fetch(`/api/conversations/${conversationId}/messages`);
      const body = (await response.json()) as { items: { parts: { type: string; output?: { id: string } }[] }[] };
      return body.items.flatMap((message) => message.parts).find((part) => part.type === 'tool-createDocument')!.output!
        .id;
    });
    fake.scriptNextRequest({
      reply: '',
      toolCalls: [{ id: 'call_suggest', name: 'requestSuggestions', input: { documentId } }],
    });
    fake.scriptNextRequest({
      reply: JSON.stringify([
        { originalText: 'Tea is warm', suggestedText: 'Tea is hot', description: 'a stronger start' },
      ]),
    });
    fake.scriptNextRequest({ reply: 'One idea for you.' });
    await sendMessage(page, 'Any suggestions?');
    await page.getByText('One idea for you.').waitFor();
    await page.getByRole('button', { name: 'Open document' }).last().click();

    // The suggestion sits in the text where it would apply: the original struck out, the suggestion beside it.
    const suggestions = panel.getByRole('region', { name: 'Suggestions' });
    await suggestions.getByText('a stronger start').waitFor();
    assert.equal(await suggestions.locator('.suggestion-inline del').innerText(), 'Tea is warm');
    assert.equal(await suggestions.locator('.suggestion-inline ins').innerText(), 'Tea is hot');
    assert.match(await suggestions.innerText(), /and tea is kind/);
    await page.screenshot({ path: path.join(SCREENSHOTS, '91-document-suggestion.png') });
    await panel.getByRole('button', { name: 'Accept' }).click();
    await panel.getByRole('button', { name: /^Version 2/ }).waitFor();
    await panel.getByText(/^Tea is hot and tea is kind/).waitFor();
    assert.equal(await panel.getByRole('region', { name: 'Suggestions' }).count(), 0);
    // What version 2 changed, line by line.
    await panel.getByRole('button', { name: 'Show changes' }).click();
    const changes = panel.getByRole('region', { name: 'Changes from the version before' });
    // The version before is fetched first.
    await changes.locator('del').first().waitFor();
    assert.deepEqual(await changes.locator('del').allInnerTexts(), [`− ${ODE.split('\n')[0]}`]);
    assert.equal((await changes.locator('ins').allInnerTexts()).length, 1);
    await panel.getByRole('button', { name: 'Hide changes' }).click();
    await panel.getByText(/^Tea is hot and tea is kind/).waitFor();
    assert.deepEqual(await elementsPastRightEdge(page), []);
    assert.deepEqual(errors, []);
  });
});
