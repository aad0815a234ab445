// "Ask another model" in a real browser: under the newest reply, a model picked on the spot answers the same message;
// its reply streams in beside the first, which stays, and both are still there side by side after a reload.
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

describe('asking another model in a browser', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({
      models: {
        alpha: { reply: 'Alpha thinks it is Everest.', chunkDelayMs: 5 },
        beta: { reply: 'Beta would say Mauna Kea, measured from its base.', chunkDelayMs: 20 },
      },
    }));
  });
  after(() => app?.close());

  test('the picked model answers beside the first reply, which stays', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Ada', 'ada-another@example.com');
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'Which mountain is the tallest?');
    const alpha = page.getByRole('article', { name: /^alpha.* replied$/i });
    await alpha.getByText('Alpha thinks it is Everest.').waitFor();
    await page.getByRole('button', { name: 'Send' }).waitFor();

    await page.getByText('⇄ Ask another model').click();
    const choice = page.locator('.another-model-list').getByRole('button', { name: /^beta/i });
    await choice.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '36-ask-another-model.png') });
    await choice.click();

    const beta = page.getByRole('article', { name: /^beta.* replied$/i });
    await beta.getByText('Beta would say Mauna Kea, measured from its base.').waitFor({ timeout: 10_000 });
    assert.equal(await alpha.getByText('Alpha thinks it is Everest.').count(), 1, 'the first reply is still shown');
    await page.locator('.replies[data-count="2"]').waitFor();
    assert.equal(await page.locator('.another-model-list').count(), 0, 'the list closed on picking');

    await page.reload();
    await page.locator('.replies[data-count="2"]').waitFor();
    await alpha.getByText('Alpha thinks it is Everest.').waitFor();
    await beta.getByText('Beta would say Mauna Kea, measured from its base.').waitFor();
    assert.equal(fake.requestsFor('alpha').length, 1, 'the first model was not asked again');
    assert.equal(fake.requestsFor('beta').length, 1);
    await page.screenshot({ path: path.join(SCREENSHOTS, '37-another-model-beside.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
