// Getting in, in a real browser: single sign-on with a real OpenID Connect provider on 127.0.0.1 (its login page
// takes any login name), and a guest who chats, then signs up or signs in with the provider, keeping the chat.
// Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { type OpenIdProviderServer, startOpenIdProvider } from '../support/openid-provider.ts';
import {
  freePort,
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebApp,
  type WebApp,
} from '../support/web-browser.ts';

const REPLY = 'Hello from Alpha.';

describe('getting in with single sign-on, and as a guest who stays', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let provider: OpenIdProviderServer;
  let app: WebApp;

  before(async () => {
    fake = await startFakeProvider({ models: { alpha: { reply: REPLY } } });
    const port = await freePort();
    provider = await startOpenIdProvider(`http://localhost:${port}`);
    app = await startWebApp({
      PORT: String(port),
      ...provider.env,
      OIDC_BUTTON_LABEL: 'Sign in with Example ID',
      CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_FAKE_MODELS: 'alpha',
    });
  });
  after(async () => {
    await app?.close();
    await provider?.close();
    await fake?.close();
  });

  /** Clicks the single sign-on button and, when the provider asks, signs in there as `login`. */
  async function signInWithProvider(page: Page, login: string) {
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    await page.getByLabel('Login name').fill(login);
    await page.getByRole('button', { name: 'Sign in at the provider' }).click();
    await page.getByRole('button', { name: '+ New chat' }).waitFor();
  }

  const signedInAs = async (page: Page) => (await page.request.get(`${app.baseUrl}/api/me`)).json();

  const conversationIds = async (page: Page) => {
    const listed = await (await page.request.get(`${app.baseUrl}/api/conversations`)).json();
    return listed.items.map((item: { id: string }) => item.id);
  };

  /** A guest's first message with Alpha, answered; the address of its conversation. */
  async function chatAsGuest(page: Page, text: string) {
    await page.getByRole('button', { name: 'Continue as guest' }).click();
    await page.getByRole('button', { name: '+ New chat' }).waitFor();
    await pickModels(page, ['alpha']);
    await sendMessage(page, text);
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(REPLY)
      .waitFor();
    await page.waitForURL(/\/c\//);
    return new URL(page.url()).pathname;
  }

  test('the provider signs someone new in with an account of their own, and the same one next time', async () => {
    const { page, errors } = await openPage(app);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sso-01-sign-in-screen.png') });
    await signInWithProvider(page, 'ines@example.test');
    const ines = await signedInAs(page);
    assert.equal(ines.email, 'ines@example.test');
    assert.equal(ines.isGuest, false);
    assert.equal(await page.locator('.account-name').innerText(), 'ines');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    // Still signed in at the provider: it sends the browser straight back.
    await page.getByRole('button', { name: '+ New chat' }).waitFor();
    assert.equal((await signedInAs(page)).id, ines.id);
    assert.deepEqual(errors, []);
  });

  test('an account whose email the provider has not verified is not signed in to, and the screen says why', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Uma', 'uma@example.test');
    provider.unverifiedEmails.add('uma@example.test');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with Example ID' }).click();
    await page.getByLabel('Login name').fill('uma@example.test');
    await page.getByRole('button', { name: 'Sign in at the provider' }).click();
    await page.getByText(/provider has not verified the email/).waitFor();
    assert.equal(new URL(page.url()).search, '', 'the reason is shown once, not kept in the address');
    assert.equal((await page.request.get(`${app.baseUrl}/api/auth/get-session`)).status(), 200);
    assert.equal(await (await page.request.get(`${app.baseUrl}/api/auth/get-session`)).text(), 'null');
    assert.deepEqual(errors, []);
  });

  test('a guest who chats, then signs in with the provider, keeps the chat', async () => {
    const { page, errors } = await openPage(app);
    const chatPath = await chatAsGuest(page, 'Remember me through single sign-on');
    await page.getByRole('button', { name: 'Sign up or sign in' }).click();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sso-02-guest-signing-in.png') });
    await signInWithProvider(page, 'gus@example.test');

    assert.equal(new URL(page.url()).pathname, chatPath);
    await page.locator('.user-text', { hasText: 'Remember me through single sign-on' }).waitFor();
    assert.equal((await signedInAs(page)).email, 'gus@example.test');
    assert.deepEqual(await conversationIds(page), [chatPath.split('/').pop()]);
    assert.deepEqual(errors, []);
  });

  test('a guest who chats, then signs up with a password, keeps the chat', async () => {
    const { page, errors } = await openPage(app);
    const chatPath = await chatAsGuest(page, 'Remember me through signing up');
    await page.getByRole('button', { name: 'Sign up or sign in' }).click();
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Name').fill('Gwen');
    await page.getByLabel('Email').fill('gwen@example.test');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.locator('.account-name', { hasText: 'Gwen' }).waitFor();

    assert.equal(new URL(page.url()).pathname, chatPath);
    await page.locator('.user-text', { hasText: 'Remember me through signing up' }).waitFor();
    const gwen = await signedInAs(page);
    assert.equal(gwen.isGuest, false);
    assert.deepEqual(await conversationIds(page), [chatPath.split('/').pop()]);
    assert.deepEqual(errors, []);
  });
});

describe('a server where single sign-on is the only way in', { skip: skipWithoutChromium }, () => {
  let provider: OpenIdProviderServer;
  let app: WebApp;

  before(async () => {
    const port = await freePort();
    provider = await startOpenIdProvider(`http://localhost:${port}`);
    app = await startWebApp({ PORT: String(port), ...provider.env, CHORUS_PASSWORD_LOGIN: 'false' });
  });
  after(async () => {
    await app?.close();
    await provider?.close();
  });

  test('the sign-in screen offers the provider and guests, and no password form', async () => {
    const { page, errors } = await openPage(app);
    await page.getByRole('button', { name: 'Sign in with SSO' }).waitFor();
    await page.getByRole('button', { name: 'Continue as guest' }).waitFor();
    assert.equal(await page.getByLabel('Password').count(), 0);
    assert.equal(await page.getByRole('tab', { name: 'Sign up' }).count(), 0);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'sso-03-single-sign-on-only.png') });
    assert.deepEqual(errors, []);
  });
});
