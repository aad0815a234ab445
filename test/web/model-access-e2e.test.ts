// Who may use which model, in a browser: the admin makes a group on the Access page, adds someone to it and opens
// a model only to it; that person can pick the model, someone outside the group never sees it in the picker, nor
// can add it to a conversation. Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

describe('model access in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({
      models: { alpha: { reply: 'Alpha here.' }, beta: { reply: 'Beta here.' } },
    }));
  });
  after(() => app?.close());

  /** The models the picker offers, by the start of their label. */
  async function pickable(page: Page): Promise<string[]> {
    await page.locator('.model-picker summary').click();
    const names = await page.locator('.model-option .model-option-name').allInnerTexts();
    await page.keyboard.press('Escape');
    return names.map((name) => name.trim().toLowerCase());
  }

  test('a model open to one group: its member picks it, someone outside never sees it', async () => {
    const admin = await openPage(app);
    await signUp(admin.page, 'Ada Admin', 'ada@example.test');
    const rita = await openPage(app);
    await signUp(rita.page, 'Rita Researcher', 'rita@example.test');
    const otto = await openPage(app);
    await signUp(otto.page, 'Otto Outsider', 'otto@example.test');
    assert.ok(
      (await pickable(otto.page)).some((name) => name.startsWith('beta')),
      'open to all at first',
    );

    const { page } = admin;
    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Access' }).click();
    await page.getByLabel('New group').fill('Researchers');
    await page.getByRole('button', { name: 'Create group' }).click();
    const group = page.getByRole('region', { name: 'Group Researchers' });
    await group.getByRole('textbox', { name: 'Add to Researchers' }).fill('rita@example.test');
    await group.getByRole('button', { name: 'Add' }).click();
    await group.getByText('rita@example.test').or(group.getByText('Rita Researcher')).first().waitFor();
    await page.getByLabel('Model id').fill('fake:beta');
    await page.getByRole('checkbox', { name: 'Researchers' }).check();
    await page.getByRole('button', { name: 'Restrict model' }).click();
    await page
      .getByRole('table', { name: 'Restricted models' })
      .getByRole('row', { name: /fake:beta/ })
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'model-access-admin.png') });

    await rita.page.reload();
    await rita.page.getByRole('button', { name: '+ New chat' }).waitFor();
    assert.ok((await pickable(rita.page)).some((name) => name.startsWith('beta')));
    await pickModels(rita.page, ['beta']);
    await sendMessage(rita.page, 'Hello, Beta');
    await rita.page
      .getByRole('article', { name: /^beta.* replied$/i })
      .getByText('Beta here.')
      .waitFor();

    await otto.page.reload();
    await otto.page.getByRole('button', { name: '+ New chat' }).waitFor();
    const ottoSees = await pickable(otto.page);
    assert.ok(ottoSees.some((name) => name.startsWith('alpha')));
    assert.ok(!ottoSees.some((name) => name.startsWith('beta')), `Otto sees ${ottoSees.join(', ')}`);
    // Nor can he add it to a conversation of his: the settings panel offers only what he may use.
    await pickModels(otto.page, ['alpha']);
    await sendMessage(otto.page, 'Hello, Alpha');
    await otto.page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText('Alpha here.')
      .waitFor();
    await otto.page.getByRole('button', { name: 'Group settings' }).click();
    const addable = await otto.page.getByLabel('Add a model').locator('option').allInnerTexts();
    assert.ok(!addable.some((name) => /beta/i.test(name)), `Otto may add ${addable.join(', ')}`);

    for (const { errors } of [admin, rita, otto]) assert.deepEqual(errors, []);
  });
});
