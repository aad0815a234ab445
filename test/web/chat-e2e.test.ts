// The web app in a real browser (Debian's chromium driven by playwright-core), against `chorus serve` started as
// `npm start` runs it (the UI built first) on a fresh data directory, with a fake OpenAI-compatible provider.
// Screenshots of each screen go to test-artifacts/web/ (git-ignored). Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  openPage as openWebPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
  withoutRefusedRequests,
} from '../support/web-browser.ts';

/** What the functions evaluated in the page use of its document (this file is typed for Node, not the DOM). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const ALPHA_REPLY =
  'Hello from Alpha. This answer arrives in small pieces, one after another, so you can watch it grow.';
const BETA_REPLY = 'Beta here, with a different view of the same question.';

describe('the web app in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({
      models: {
        alpha: { reply: ALPHA_REPLY, chunkSize: 3, chunkDelayMs: 25 },
        beta: { reply: BETA_REPLY, chunkSize: 3, chunkDelayMs: 15 },
      },
    }));
  });
  after(() => app?.close());

  /** A page that fails the test on any console error or uncaught exception. */
  const openPage = (width = 1280, height = 800) => openWebPage(app, { width, height });

  test('sign up, send a message: the reply streams in, named with its model', async () => {
    const { page, errors } = await openPage();
    await page.getByRole('tab', { name: 'Sign up' }).click();
    await page.getByLabel('Email').fill('not an email');
    await page.getByLabel('Name').fill('Ada');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    // The API refuses; the form says why, next to the field concerned.
    await page.getByLabel('Email').and(page.locator('[aria-invalid="true"]')).waitFor();
    assert.match(await page.locator('.field-problem').innerText(), /email/i);
    await page.screenshot({ path: path.join(SCREENSHOTS, '01-sign-up-error.png') });
    // The browser logs the refused request itself; that one was expected.
    withoutRefusedRequests(errors, 400);

    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: '+ New chat' }).waitFor();
    await pickModels(page, ['alpha']);

    await sendMessage(page, 'Say hello');
    const reply = page.getByRole('article', { name: /^alpha.* replied$/i });
    // Token by token: the reply is on screen before it is whole.
    await page.waitForFunction(
      (whole) => {
        const text = document.querySelector('.reply .reply-text')?.textContent ?? '';
        return text.length > 0 && text.length < whole.length;
      },
      ALPHA_REPLY,
      { polling: 10, timeout: 10_000 },
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, '02-reply-streaming.png') });
    await reply.getByText(ALPHA_REPLY).waitFor();
    assert.match(await reply.locator('.model-name').innerText(), /alpha/i);
    await page.locator('.reply-usage').waitFor();
    // The conversation is in the sidebar and has its own address.
    await page.getByRole('link', { name: 'Say hello' }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/c\/[0-9a-f-]{36}$/);
    await page.screenshot({ path: path.join(SCREENSHOTS, '03-reply-complete.png') });

    // Loading the conversation again shows its messages, still named.
    await page.reload();
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(ALPHA_REPLY)
      .waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('two models answer side by side, each named; stacked on a narrow screen', async () => {
    const { page, errors } = await openPage();
    await signUp(page, 'Grace', 'grace@example.com');
    // The picker: the arrow keys move through it, Escape closes it and gives focus back to its toggle, and a click
    // outside (say, into the message, to send it) closes it.
    const picker = page.locator('.model-picker');
    const isOpen = async () => (await picker.getAttribute('open')) !== null;
    // Closing is React's state: give it its render before reading the element.
    const closed = () => page.locator('.model-picker:not([open])').waitFor({ timeout: 2_000 });
    const focused = () =>
      page.evaluate<string>('document.activeElement?.getAttribute("type") ?? document.activeElement?.tagName');
    await picker.locator('summary').click();
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'search');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focused(), 'checkbox');
    await page.keyboard.press('ArrowUp');
    assert.equal(await focused(), 'search');
    await page.keyboard.press('Escape');
    await closed();
    assert.equal(await isOpen(), false);
    assert.equal(await focused(), 'SUMMARY');
    await picker.locator('summary').click();
    assert.equal(await isOpen(), true);
    await page.getByLabel('Message').click();
    await closed();
    assert.equal(await isOpen(), false);
    await pickModels(page, ['alpha', 'beta']);
    await page.getByLabel('Message').fill('Compare yourselves');
    await page.getByRole('button', { name: 'Send' }).click();
    const alpha = page.getByRole('article', { name: /^alpha.* replied$/i });
    const beta = page.getByRole('article', { name: /^beta.* replied$/i });
    await alpha.getByText(ALPHA_REPLY).waitFor();
    await beta.getByText(BETA_REPLY).waitFor();
    // Both finished (their usage shown), so the thread no longer grows and scrolls between the two measurements.
    await alpha.locator('.reply-usage').waitFor();
    await beta.locator('.reply-usage').waitFor();
    const [alphaBox, betaBox] = [await alpha.boundingBox(), await beta.boundingBox()];
    assert.ok(alphaBox && betaBox);
    assert.equal(Math.round(alphaBox.y), Math.round(betaBox.y), 'side by side: the replies start at the same height');
    assert.ok(betaBox.x > alphaBox.x + alphaBox.width - 1, 'side by side: beta to the right of alpha');
    await page.screenshot({ path: path.join(SCREENSHOTS, '04-two-models-side-by-side.png') });

    await page.setViewportSize({ width: 375, height: 800 });
    await page.waitForTimeout(300); // the conversations drawer slides shut
    const [narrowAlpha, narrowBeta] = [await alpha.boundingBox(), await beta.boundingBox()];
    assert.ok(narrowAlpha && narrowBeta);
    assert.ok(narrowBeta.y >= narrowAlpha.y + narrowAlpha.height - 1, 'stacked: beta below alpha');
    await page.screenshot({ path: path.join(SCREENSHOTS, '05-two-models-375px.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.close();
  });
  test('keyboard: a new chat, the message box, moving between conversations, and ? listing them all', async () => {
    const { page, errors } = await openPage();
    await signUp(page, 'Kay', 'kay@example.com');
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'The first chat');
    await page.getByRole('link', { name: 'The first chat' }).waitFor();
    const first = new URL(page.url()).pathname;
    // Pressed while typing in the message box: these work there too.
    await page.keyboard.press('Control+Shift+O');
    await page.waitForURL((url) => url.pathname === '/');
    await sendMessage(page, 'The second chat');
    await page.getByRole('link', { name: 'The second chat' }).waitFor();
    const second = new URL(page.url()).pathname;
    // Newest first: the first chat is below the second.
    await page.keyboard.press('Alt+ArrowDown');
    await page.waitForURL((url) => url.pathname === first);
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForURL((url) => url.pathname === second);

    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('Shift+Escape');
    assert.equal(await page.evaluate<string>('document.activeElement?.id'), 'composer-input');
    await page.keyboard.press('?');
    assert.equal(await page.getByLabel('Message').inputValue(), '?', 'typed, not a shortcut, in the message box');
    await page.getByLabel('Message').fill('');
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.getByText('Start a new chat').waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
