// Every main screen on a 375 px wide phone, in a real browser (see chat-e2e.test.ts for the setting): getting in,
// the chat with two models, a code block and math, the model picker, the conversations drawer, the conversation panel,
// sharing, and the admin pages. Nothing may stick out past the right edge (wide tables and code scroll inside
// their own box); a screenshot of each goes to test-artifacts/web/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  elementsPastRightEdge,
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

const CODE_REPLY = [
  'Here is a function that adds two numbers:',
  '',
  '```ts',
  'export function add(first: number, second: number): number {',
  '  // Both are numbers, so the sum is too.',
  '  return first + second;',
  '}',
  '```',
  '',
  'Call it as `add(1, 2)`. The order does not matter, $a + b = b + a$, and the first $n$ numbers add up to',
  '',
  '$$',
  '\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}',
  '$$',
].join('\n');
const BETA_REPLY = [
  'Beta agrees, and would name the parameters the same way. Compared:',
  '',
  '| parameter name | what it holds | its type in TypeScript | its type in Python |',
  '| --- | --- | --- | --- |',
  '| first | the number on the left of the sign | number | int or float |',
  '| second | the number on the right of the sign | number | int or float |',
].join('\n');

describe('every main screen at 375 px wide', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({
      models: { alpha: { reply: CODE_REPLY, chunkSize: 20 }, beta: { reply: BETA_REPLY, chunkSize: 20 } },
    }));
  });
  after(() => app?.close());

  /** Saves the screen and checks that it fits the phone's width. */
  async function screen(page: Page, name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
    assert.deepEqual(await elementsPastRightEdge(page), [], `${name}: nothing wider than the screen`);
  }

  test('getting in, chatting, the panels and the admin pages all fit a phone', async () => {
    const { page, errors } = await openPage(app, { width: 375, height: 740 });
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await screen(page, '60-narrow-sign-up.png');
    // The first to sign up is the admin.
    await signUp(page, 'Nora', 'nora@example.com');

    await pickModels(page, ['alpha', 'beta']);
    await sendMessage(page, 'How do I add two numbers?');
    const alpha = page.getByRole('article', { name: /^alpha.* replied$/i });
    await alpha.locator('.reply-usage').waitFor();
    await page
      .getByRole('article', { name: /^beta.* replied$/i })
      .locator('.reply-usage')
      .waitFor();
    // The code block is highlighted once its grammar has loaded, and names its language.
    await alpha.locator('.code-block .hljs-keyword').first().waitFor();
    assert.equal(await alpha.locator('.code-language').innerText(), 'ts');
    await alpha.getByRole('button', { name: 'Copy', exact: true }).waitFor();
    // Math is typeset once KaTeX has loaded: inline and as a block, its source no longer shown.
    await alpha.locator('.katex-display').waitFor();
    assert.equal(await alpha.locator('.katex').count(), 3, 'two inline formulas and a block');
    assert.doesNotMatch(await alpha.locator('.reply-text').innerText(), /\$/);
    // GitHub's tables are read; a wide one scrolls in its own box on a phone.
    const beta = page.getByRole('article', { name: /^beta.* replied$/i });
    const comparison = beta.getByRole('region', { name: 'Table' }).getByRole('table');
    await comparison.getByRole('columnheader', { name: 'its type in Python' }).waitFor();
    assert.equal(await comparison.getByRole('row').count(), 3);
    await comparison.scrollIntoViewIfNeeded();
    await screen(page, '61-narrow-chat-table.png');
    // The whole reply copies as the Markdown it was written in, fences and formulas included.
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseUrl });
    await alpha.getByRole('button', { name: "Copy alpha (fake)'s reply as Markdown" }).click();
    await alpha
      .getByRole('button', { name: "Copy alpha (fake)'s reply as Markdown" })
      .filter({ hasText: 'Copied' })
      .waitFor();
    assert.equal(await page.evaluate<string>('navigator.clipboard.readText()'), CODE_REPLY);
    await alpha.locator('.code-block').scrollIntoViewIfNeeded();
    await screen(page, '61-narrow-chat-code.png');

    await page.locator('.model-picker summary').click();
    await screen(page, '62-narrow-model-picker.png');
    await page.locator('.model-picker summary').click();

    await page.getByRole('button', { name: 'Show conversations' }).click();
    await page.getByRole('link', { name: 'How do I add two numbers?' }).waitFor();
    await page.waitForTimeout(300); // the drawer slides open
    await screen(page, '63-narrow-conversations.png');
    await page.getByRole('button', { name: 'Hide conversations' }).click();

    await page.getByRole('button', { name: 'Group settings' }).click();
    await page
      .getByRole('complementary', { name: 'Group settings' })
      .getByRole('button', { name: 'Create invite link' })
      .click();
    await page.getByLabel('Invite link').waitFor();
    await screen(page, '64-narrow-conversation-panel.png');
    await page.getByRole('button', { name: 'Close settings' }).click();

    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByRole('dialog', { name: 'Share this conversation' }).waitFor();
    await screen(page, '65-narrow-share.png');
    await page.getByRole('button', { name: 'Done' }).click();

    const adminLinks = page.getByRole('navigation', { name: 'Administration' });
    await adminLinks.getByRole('link', { name: 'Models' }).click();
    const table = page.getByRole('table', { name: 'Models' });
    await page.getByRole('searchbox', { name: 'Search models' }).fill('fake');
    await table.getByText('fake:alpha').waitFor();
    await screen(page, '66-narrow-admin-models.png');
    await table.getByRole('button', { name: 'alpha (fake)' }).click();
    await page.locator('.model-form').waitFor();
    await screen(page, '67-narrow-admin-model-form.png');
    await page.getByRole('tab', { name: 'History' }).click();
    await page.getByRole('list', { name: 'History of fake:alpha' }).waitFor();
    await screen(page, '68-narrow-admin-model-history.png');

    await adminLinks.getByRole('link', { name: 'Usage' }).click();
    await page.locator('.usage-chart canvas').first().waitFor();
    await screen(page, '69-narrow-admin-usage.png');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
