// Finding and keeping conversations in order in a real browser (see chat-e2e.test.ts for the setting), on a 375 px
// phone: Ctrl+K opens the drawer at the search box, a hit opens its conversation at the matching message; a
// conversation's menu pins it, files it in a new folder and archives and restores it. Nothing sticks out past the
// right edge; screenshots go to test-artifacts/web/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  elementsPastRightEdge,
  openPage,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

const REPLY = 'Quokkas live on Rottnest Island and are famously friendly.';

describe('search and keeping conversations in order at 375 px', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({ models: { alpha: { reply: REPLY, chunkSize: 20 } } }));
  });
  after(() => app?.close());

  async function screen(page: Page, name: string) {
    await page.screenshot({ path: path.join(SCREENSHOTS, name) });
    assert.deepEqual(await elementsPastRightEdge(page), [], `${name}: nothing wider than the screen`);
  }

  async function chat(page: Page, text: string) {
    await sendMessage(page, text);
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .locator('.reply-usage')
      .waitFor();
  }

  const openDrawer = async (page: Page) => {
    await page.getByRole('button', { name: 'Show conversations' }).click();
    await page.waitForTimeout(300); // the drawer slides open
  };
  const listed = (page: Page) => page.locator('.conversation-list .conversation a');

  test('a search hit opens its message; pin, a folder, archive and restore from the menu', async () => {
    const { page, errors } = await openPage(app, { width: 375, height: 740 });
    await signUp(page, 'Olive', 'olive@example.com');
    await chat(page, 'Where do quokkas live?');
    await openDrawer(page);
    await page.getByRole('button', { name: '+ New chat' }).click();
    await chat(page, 'Plan my garden beds');

    // Ctrl+K: the drawer opens with the search box focused.
    await page.keyboard.press('Control+K');
    const box = page.getByRole('searchbox', { name: 'Search your conversations' });
    await box.waitFor();
    assert.equal(await box.evaluate((element) => element.matches(':focus')), true);
    await box.fill('rottnest');
    const hit = page.locator('.search-hit').first();
    await hit.locator('mark').waitFor();
    assert.equal(await hit.locator('mark').innerText(), 'Rottnest');
    await screen(page, '70-narrow-search.png');
    await hit.click();
    const found = page.locator('.message.found');
    await found.waitFor();
    assert.match(await found.innerText(), /Quokkas live on Rottnest Island/);
    assert.match(page.url(), /\/c\/[0-9a-f-]{36}#m-[0-9a-f-]{36}$/);

    // Pinning the older chat puts it first.
    await openDrawer(page);
    await box.fill('');
    assert.match(await listed(page).first().innerText(), /garden/i);
    await page.getByRole('button', { name: /^More for Where do quokkas/ }).click();
    await page.getByRole('menuitem', { name: 'Pin to top' }).click();
    await page.locator('.pin-mark').waitFor();
    assert.match(await listed(page).first().innerText(), /quokkas/i);

    // A new folder, and the quokka chat moved into it: out of All, in the folder.
    await page.getByRole('button', { name: '+ Folder' }).click();
    await page.getByPlaceholder('Folder name').fill('Trips');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: /Trips/ }).waitFor();
    await page.getByRole('button', { name: /^More for Where do quokkas/ }).click();
    await page.getByRole('menuitem', { name: 'Move to Trips' }).click();
    // Out of All: only the garden chat is left there.
    await page.locator('.conversation-list .conversation').nth(1).waitFor({ state: 'detached' });
    assert.match(await listed(page).first().innerText(), /garden/i);
    await page.getByRole('button', { name: /Trips/ }).click();
    await listed(page)
      .filter({ hasText: /quokkas/i })
      .waitFor();

    // Archived: gone from All, listed under Archived, restored from there.
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await page.getByRole('button', { name: /^More for Plan my garden/ }).click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    await page.getByText('No conversations yet.').waitFor();
    await page.getByRole('button', { name: 'Archived', exact: true }).click();
    await page.getByRole('button', { name: /^More for Plan my garden/ }).click();
    await page.getByRole('menuitem', { name: 'Restore from archive' }).click();
    await page.getByText('Nothing archived.').waitFor();
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await listed(page)
      .filter({ hasText: /garden/i })
      .waitFor();
    await screen(page, '72-narrow-organised.png');
    assert.deepEqual(errors, []);
  });
});
