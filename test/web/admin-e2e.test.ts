// The admin pages in a real browser: the first person to sign up is the admin and manages the model registry
// from /admin/models (create, reprice, history, import, deprecate); anyone else sees no admin link and gets the
// not-allowed page. Screenshots go to test-artifacts/web/. Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  openPage,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
  withoutRefusedRequests,
} from '../support/web-browser.ts';

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, name) });

/**
 * Leaves the admin pages for a new chat and waits for the model list the app fetches on the way (until then the
 * picker still shows the list from before).
 */
async function newChatWithFreshModels(page: Page) {
  const listed = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/models');
  await page.getByRole('button', { name: '+ New chat' }).click();
  const { models } = (await (await listed).json()) as { models: unknown[] };
  await page.waitForFunction((count) => document.querySelectorAll('.model-option').length === count, models.length);
}

/** The names the chat's model picker offers. */
async function pickerNames(page: Page): Promise<string[]> {
  await page.locator('.model-picker summary').click();
  const names = await page.locator('.model-option-name').allInnerTexts();
  await page.locator('.model-picker summary').click();
  return names.map((name) => name.trim());
}

describe('the admin pages in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({ models: { alpha: { reply: 'Alpha here.' } } }));
  });
  after(() => app?.close());

  test('the admin creates a model, reprices it, reads the diff, imports, deprecates: the picker follows', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Ada Admin', 'admin@example.com');
    // One reply, so the usage page has something to chart.
    await sendMessage(page, 'Hello');
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText('Alpha here.')
      .waitFor();
    const adminLinks = page.getByRole('navigation', { name: 'Administration' });
    await adminLinks.getByRole('link', { name: 'Models' }).click();
    assert.equal(new URL(page.url()).pathname, '/admin/models');
    const table = page.getByRole('table', { name: 'Models' });
    await table.getByText('anthropic:', { exact: false }).first().waitFor();
    await screenshot(page, '10-admin-models.png');
    // The catalog's models are many: a search narrows the table to the fake provider's.
    await page.getByRole('searchbox', { name: 'Search models' }).fill('fake');
    await table.getByText('fake:alpha').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.models-table tbody tr').length === 1);
    await screenshot(page, '10-admin-models-searched.png');

    // A new model; a negative price is refused by the API, which says so beside the field.
    await page.getByRole('button', { name: 'New model' }).click();
    const form = page.locator('.model-form');
    await form.getByLabel('Provider', { exact: true }).fill('fake');
    await form.getByLabel('Provider model id').fill('gamma');
    await form.getByLabel('Name', { exact: true }).fill('Gamma');
    await form.getByLabel('Input price').fill('-1');
    await form.getByLabel('Output price').fill('4');
    await page.getByRole('button', { name: 'Create model' }).click();
    await form.getByLabel('Input price').and(page.locator('[aria-invalid="true"]')).waitFor();
    assert.match(await form.locator('.field-problem').first().innerText(), /0|negative|greater/i);
    await form.getByLabel('Input price').scrollIntoViewIfNeeded();
    await screenshot(page, '11-admin-model-form-error.png');
    withoutRefusedRequests(errors, 400);
    await page.getByLabel('Input price').fill('1');
    await page.getByLabel('Reason (kept in the history)').fill('A new model to try');
    await page.getByRole('button', { name: 'Create model' }).click();
    await page.getByRole('status').getByText('Created fake:gamma').waitFor();
    await table.getByText('fake:gamma').waitFor();

    // Reprice it: the history shows the field's diff, who and why.
    await page.getByRole('tab', { name: 'Edit' }).click();
    await page.getByLabel('Input price').fill('2');
    await page.getByLabel('Reason (kept in the history)').fill('The provider raised its price');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page
      .getByRole('status')
      .getByText(/Saved version 2/)
      .waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByRole('list', { name: 'History of fake:gamma' });
    await history.getByText('pricing.input: 1 → 2').waitFor();
    await history.getByText('The provider raised its price').waitFor();
    assert.match(await history.locator('.history-entry').first().innerText(), /by you/);
    await screenshot(page, '12-admin-model-history.png');

    // Reverting asks why in the page's own dialog; the reason lands in the history with the diff back.
    await history.getByRole('button', { name: 'Revert to version 1' }).click();
    const revertDialog = page.getByRole('dialog', { name: 'Revert fake:gamma to version 1?' });
    await revertDialog.getByLabel('Reason (kept in the history)').fill('The raise was a mistake');
    await screenshot(page, '12-admin-revert-dialog.png');
    await revertDialog.getByRole('button', { name: 'Revert to version 1' }).click();
    await page
      .getByRole('status')
      .getByText(/Reverted to version 1: now version 3/)
      .waitFor();
    await history.getByText('The raise was a mistake').waitFor();
    await history.getByText('pricing.input: 2 → 1').waitFor();

    // The new model is offered in the chat.
    await newChatWithFreshModels(page);
    assert.ok(
      (await pickerNames(page)).some((name) => name.startsWith('Gamma')),
      'Gamma is in the picker',
    );

    // An import with one bad row is refused whole, that row's problem shown, nothing written.
    await adminLinks.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('button', { name: 'Import…' }).click();
    const entries = [
      {
        id: 'fake:delta',
        provider: 'fake',
        providerModelId: 'delta',
        name: 'Delta',
        contextWindow: 64000,
        pricing: { input: 1, output: 2 },
      },
      {
        id: 'fake:epsilon',
        provider: 'fake',
        providerModelId: 'epsilon',
        name: 'Epsilon',
        contextWindow: -5,
        pricing: { input: 1, output: 2 },
      },
    ];
    await page.getByLabel('JSON file').setInputFiles({
      name: 'models.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(entries)),
    });
    const refused = page.locator('.import-refused');
    await refused.getByText(/was refused/).waitFor();
    const row = await refused.locator('tbody tr').first().innerText();
    assert.match(row, /index 1/);
    assert.match(row, /contextWindow/);
    assert.equal(
      await page.getByRole('button', { name: 'Confirm import' }).count(),
      0,
      'a refused file cannot be confirmed',
    );
    await screenshot(page, '13-admin-import-refused.png');
    withoutRefusedRequests(errors, 400);
    const delta = await page.request.get(`${app.baseUrl}/api/admin/models/${encodeURIComponent('fake:delta')}`);
    assert.equal(delta.status(), 404, 'nothing was written');

    // A good file is previewed before it is confirmed.
    await page.getByLabel('JSON file').setInputFiles({
      name: 'models.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(entries.slice(0, 1))),
    });
    await page.getByLabel('Import preview').getByText('fake:delta').waitFor();
    await screenshot(page, '14-admin-import-preview.png');
    await page.getByRole('button', { name: 'Confirm import' }).click();
    await page
      .getByRole('status')
      .getByText(/1 created/)
      .waitFor();
    await table.getByText('fake:delta').waitFor();

    // Deprecated: gone from the picker.
    await table.getByRole('button', { name: 'Gamma' }).click();
    await page.getByRole('button', { name: 'Deprecate' }).click();
    const deprecateDialog = page.getByRole('dialog', { name: 'Deprecate Gamma?' });
    await deprecateDialog.getByLabel('Reason (kept in the history)').fill('Retired by the end-to-end test');
    await deprecateDialog.getByRole('button', { name: 'Deprecate' }).click();
    await page.getByRole('status').getByText('fake:gamma is now deprecated.').waitFor();
    await page.getByRole('button', { name: 'Restore' }).waitFor();
    await page.getByRole('tab', { name: 'History' }).click();
    await history.getByText('Retired by the end-to-end test').waitFor();
    await screenshot(page, '15-admin-model-deprecated.png');
    await newChatWithFreshModels(page);
    const offered = await pickerNames(page);
    assert.ok(!offered.some((name) => name.startsWith('Gamma')), `Gamma is no longer offered: ${offered.join(', ')}`);
    assert.ok(
      offered.some((name) => name.startsWith('Delta')),
      'the imported model is offered',
    );

    // Duplicating asks for the copy's id; an id already taken is refused in the dialog, which stays open.
    await adminLinks.getByRole('link', { name: 'Models' }).click();
    await table.getByRole('button', { name: 'Delta' }).click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    const duplicateDialog = page.getByRole('dialog', { name: 'Duplicate Delta' });
    await duplicateDialog.getByLabel('Id of the copy').fill('fake:gamma');
    await duplicateDialog.getByRole('button', { name: 'Duplicate' }).click();
    await duplicateDialog.getByRole('alert').waitFor();
    withoutRefusedRequests(errors, 409);
    await screenshot(page, '15-admin-duplicate-refused.png');
    await duplicateDialog.getByLabel('Id of the copy').fill('fake:delta-large');
    await duplicateDialog.getByRole('button', { name: 'Duplicate' }).click();
    await page.getByRole('status').getByText('Duplicated fake:delta as fake:delta-large.').waitFor();
    await table.getByText('fake:delta-large').waitFor();

    // Usage as charts over a date range.
    await adminLinks.getByRole('link', { name: 'Usage' }).click();
    await page.getByLabel('From').waitFor();
    await page.locator('.usage-totals, .admin-usage .muted').first().waitFor();
    await screenshot(page, '16-admin-usage.png');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('someone who is not an admin sees no admin link and gets the not-allowed page', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Bob', 'bob@example.com');
    assert.equal(await page.getByRole('navigation', { name: 'Administration' }).count(), 0);
    await page.goto(`${app.baseUrl}/admin/models`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    await screenshot(page, '17-admin-not-allowed.png');
    const answer = await page.request.get(`${app.baseUrl}/api/admin/models`);
    assert.equal(answer.status(), 403, 'the API refuses too');
    assert.deepEqual(errors, []);
    await page.close();
  });
});

/** What the functions evaluated in the page use of its document (this file is typed for Node, not the DOM). */
declare const document: { querySelectorAll(selector: string): { length: number } };
