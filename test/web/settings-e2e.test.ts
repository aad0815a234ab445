// A person's Settings in a browser: a picture chosen from a file becomes their avatar (made small in the browser)
// and can be removed; an API key is created, shown once, listed, works, and stops working once revoked.
// Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { temporaryDirectory } from '../support/cli.ts';
import { solidPng } from '../support/png.ts';
import {
  openPage,
  SCREENSHOTS,
  signUp,
  skipWithoutChromium,
  startWebApp,
  type WebApp,
} from '../support/web-browser.ts';

describe('Settings in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;
  const files = temporaryDirectory('chorus-settings-');

  before(async () => {
    app = await startWebApp({});
  });
  after(async () => {
    await app?.close();
    files.remove();
  });

  const openSettings = async (page: Page) => {
    await page.getByRole('button', { name: 'Settings' }).click();
    return page.getByRole('dialog', { name: 'Settings' });
  };
  const me = async (page: Page) => (await page.request.get(`${app.baseUrl}/api/me`)).json();

  test('a picture chosen from a file becomes the avatar, small enough to keep, and can be removed', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Pip', 'pip@example.test');
    const photo = path.join(files.path, 'photo.png');
    // Larger than the picture may be stored: the browser shrinks it.
    writeFileSync(photo, solidPng(640, 480, [30, 140, 90]));
    const settings = await openSettings(page);
    await settings.getByLabel('Picture').setInputFiles(photo);
    await settings.getByRole('button', { name: 'Remove picture' }).waitFor();

    const avatarUrl: string = (await me(page)).avatarUrl;
    assert.match(avatarUrl, /^data:image\/(webp|jpeg);base64,/);
    assert.ok(avatarUrl.length <= 16 * 1024);
    assert.equal(await settings.locator('img.person-avatar').getAttribute('src'), avatarUrl);
    // Beside their name in the sidebar too.
    assert.equal(await page.locator('.account-name img.person-avatar').getAttribute('src'), avatarUrl);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'settings-picture.png') });

    await settings.getByRole('button', { name: 'Remove picture' }).click();
    await settings.getByRole('button', { name: 'Remove picture' }).waitFor({ state: 'detached' });
    assert.equal((await me(page)).avatarUrl, null);
    assert.equal(await settings.locator('img.person-avatar').count(), 0);
    assert.deepEqual(errors, []);
  });

  test('an API key is created and shown once, listed, works, and stops working once revoked', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Kit', 'kit@example.test');
    const settings = await openSettings(page);
    await settings.getByLabel('Key name').fill('laptop script');
    await settings.getByRole('button', { name: 'Create key' }).click();
    const key = (await settings.getByRole('status').locator('code').innerText()).trim();
    const listed = settings.locator('.settings-keys li', { hasText: 'laptop script' });
    await listed.waitFor();
    assert.match(await listed.innerText(), /Last used never/);

    const withKey = () => fetch(`${app.baseUrl}/api/me`, { headers: { authorization: `Bearer ${key}` } });
    const answer = await withKey();
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { email: string }).email, 'kit@example.test');

    await listed.getByRole('button', { name: 'Revoke' }).click();
    await settings.getByText('No keys.').waitFor();
    assert.equal((await withKey()).status, 401);
    assert.deepEqual(errors, []);
  });
});
