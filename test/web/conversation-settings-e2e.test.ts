// What the models are told, set on screen in a browser: the conversation's system prompt, temperature and reply
// length, and one model's persona and instructions, reach the provider with the next message; they are shown again
// when the panel is opened anew. Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FakeProvider } from '../support/fake-provider.ts';
import {
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

const REPLY = 'Aye.';

describe('conversation settings on screen', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({ models: { alpha: { reply: REPLY } } }));
  });
  after(() => app?.close());

  /** Everything the provider was told as system instructions in a request, as one text. */
  const systemTextOf = (messages: unknown[]) =>
    messages
      .filter((message) => (message as { role?: string }).role === 'system')
      .map((message) => JSON.stringify((message as { content: unknown }).content))
      .join('\n');

  test("a conversation's system prompt, temperature and reply length, and a model's persona, reach the model", async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Pia', 'pia@example.test');
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'Hello');
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(REPLY)
      .waitFor();

    await page.getByRole('button', { name: 'Group settings' }).click();
    const conversation = page.getByRole('form', { name: 'Conversation instructions' });
    await conversation.getByLabel('System prompt (every model)').fill('Answer in one word.');
    await conversation.getByLabel(/^Temperature/).fill('0.3');
    await conversation.getByLabel(/^Longest reply/).fill('64');
    await conversation.getByRole('button', { name: 'Save instructions' }).click();

    await page.locator('.model-instructions summary', { hasText: 'persona and instructions' }).click();
    const model = page.getByRole('form', { name: /instructions$/ }).filter({ has: page.getByLabel('Persona') });
    await model.getByLabel('Persona').fill('a ship captain');
    await model.getByLabel(/^Instructions for/).fill('Say aye a lot.');
    await model.getByRole('button', { name: /^Save .* instructions$/ }).click();
    // Saved: the panel reloads the conversation and shows the stored values.
    await page.getByRole('button', { name: 'Close settings' }).click();
    await page.getByRole('button', { name: 'Group settings' }).click();
    await page.getByLabel('System prompt (every model)').and(page.locator('textarea')).waitFor();
    assert.equal(await page.getByLabel('System prompt (every model)').inputValue(), 'Answer in one word.');
    await page.locator('.model-instructions summary').click();
    assert.equal(await page.getByLabel('Persona').inputValue(), 'a ship captain');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'conversation-settings.png') });

    fake.reset();
    await sendMessage(page, 'Ready?');
    const [request] = await fake.waitForRequests(1);
    const system = systemTextOf(request!.messages);
    assert.match(system, /Answer in one word\./);
    assert.match(system, /Say aye a lot\./);
    assert.match(system, /a ship captain/);
    assert.equal(request!.body.temperature, 0.3);
    assert.equal(
      request!.body.max_tokens ?? request!.body.max_completion_tokens ?? request!.body.max_output_tokens,
      64,
    );
    assert.deepEqual(errors, []);
  });
});
