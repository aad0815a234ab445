// Saved prompts in a real browser: saved in Settings, then put in the composer by typing `/` and part of a name —
// picked with the arrow keys and Enter (which inserts rather than sends), or with a click. Esc closes the menu and
// leaves the text as it is.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { FakeProvider } from '../support/fake-provider.ts';
import {
  openPage,
  pickModels,
  SCREENSHOTS,
  seriousAccessibilityProblems,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

describe('saved prompts in a browser', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({ models: { alpha: { reply: 'Noted.', chunkDelayMs: 2 } } }));
  });
  after(() => app?.close());

  async function savePrompt(page: Page, name: string, text: string) {
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('Prompt name').fill(name);
    await settings.getByLabel('Prompt text').fill(text);
    await settings.getByRole('button', { name: 'Save prompt' }).click();
    await settings.getByText(`/${name}`, { exact: true }).waitFor();
  }

  test('saved in Settings, inserted with / in the composer', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Pia', 'pia-prompts@example.com');
    await pickModels(page, ['alpha']);
    await page.getByRole('button', { name: 'Settings' }).click();
    await savePrompt(page, 'review', 'Review this code for bugs, then for style.');
    await savePrompt(page, 'brief', 'Answer in one short paragraph.');
    await savePrompt(page, 'rewrite', 'Rewrite this more plainly.');
    await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();

    const composer = page.getByLabel('Message', { exact: true });
    await composer.fill('/re');
    const menu = page.getByRole('listbox', { name: 'Saved prompts' });
    await menu.waitFor();
    const options = menu.getByRole('option');
    assert.deepEqual(await options.allInnerTexts().then((texts) => texts.map((text) => text.split(' ')[0])), [
      '/review',
      '/rewrite',
    ]);
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    assert.deepEqual(
      (await seriousAccessibilityProblems(page)).map((problem) => problem.rule),
      [],
      'the open menu has no serious accessibility problem',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, '38-saved-prompt-menu.png') });

    await composer.press('ArrowDown');
    await menu.locator('[role="option"][aria-selected="true"]', { hasText: '/rewrite' }).waitFor({ timeout: 2_000 });
    // The message box points assistive technology at the option the keys moved to (set once the menu has rendered).
    const secondId = await options.nth(1).getAttribute('id');
    await page.locator(`#composer-input[aria-activedescendant="${secondId}"]`).waitFor({ timeout: 2_000 });
    await composer.press('Enter');
    assert.equal(await composer.inputValue(), 'Rewrite this more plainly.');
    assert.equal(await menu.count(), 0, 'the menu closed');
    assert.equal(fake.requests.length, 0, 'Enter in the menu inserted the prompt; it sent nothing');

    // Esc closes the menu and keeps the text; a click picks an option.
    await composer.fill('/b');
    await menu.waitFor();
    await composer.press('Escape');
    assert.equal(await menu.count(), 0);
    assert.equal(await composer.inputValue(), '/b');
    await composer.fill('/br');
    await menu.getByRole('option', { name: /brief/ }).click();
    assert.equal(await composer.inputValue(), 'Answer in one short paragraph.');

    await composer.press('Enter');
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText('Noted.')
      .waitFor();
    assert.match(JSON.stringify(fake.requestsFor('alpha')[0]!.messages), /Answer in one short paragraph\./);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
