// A reply's life in a real browser (see chat-e2e.test.ts for the setting): reloading the page while a reply streams
// re-attaches to it and sees it finish; Stop (and Esc) ends it, keeping what it said, marked stopped, also after a
// reload. The fake provider paces its chunks so the reply is still streaming when the test acts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

/** Long enough, at 3 characters every 40 ms, to stream for about three seconds. */
const SLOW_REPLY =
  'This reply takes its time on purpose. It arrives three characters at a time, with a pause after each piece, ' +
  'so that a test can reload the page or press Stop while it is still being written, and then look at what stayed.';

/** What the functions evaluated in the page use of its document (this file is typed for Node, not the DOM). */
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

describe('a reply streaming in a browser: reload and stop', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({
      models: { slow: { reply: SLOW_REPLY, chunkSize: 3, chunkDelayMs: 40 } },
    }));
  });
  after(() => app?.close());

  async function sendAndWaitForPartialReply(page: Page, text: string) {
    await sendMessage(page, text);
    await page.waitForFunction(
      (whole) => {
        const shown = document.querySelector('.reply .reply-text')?.textContent ?? '';
        return shown.length > 10 && shown.length < whole.length;
      },
      SLOW_REPLY,
      { polling: 20, timeout: 10_000 },
    );
  }

  test('reloading while a reply streams re-attaches to it, and the reply finishes', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Rita', 'rita@example.com');
    await pickModels(page, ['slow']);
    await sendAndWaitForPartialReply(page, 'Take your time');
    await page.waitForURL(/\/c\/[0-9a-f-]{36}$/);

    await page.reload();
    const reply = page.getByRole('article', { name: /^slow.* replied$/i });
    // Back on the page, the reply is still being written: shown as busy, then whole, with its usage.
    await page.locator('.reply[aria-busy="true"]').waitFor({ timeout: 5_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, '30-reattached-mid-reply.png') });
    await reply.getByText(SLOW_REPLY).waitFor({ timeout: 15_000 });
    await reply.locator('.reply-usage').waitFor();
    assert.equal(await reply.getAttribute('aria-busy'), 'false');
    assert.equal(await reply.locator('.badge', { hasText: 'stopped' }).count(), 0);
    assert.equal(fake.requestsFor('slow').length, 1, 'the reload did not ask the model again');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Stop (here by Esc) ends the reply: its words so far are kept, marked stopped, also after a reload', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Stan', 'stan@example.com');
    await pickModels(page, ['slow']);
    await sendAndWaitForPartialReply(page, 'Say a lot');
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await page.keyboard.press('Escape');

    const reply = page.getByRole('article', { name: /^slow.* replied$/i });
    await reply.locator('.badge', { hasText: 'stopped' }).waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Send' }).waitFor();
    const kept = (await reply.locator('.reply-text').innerText()).trim();
    assert.ok(kept.length > 0 && kept.length < SLOW_REPLY.length, `part of the reply is kept: “${kept}”`);
    assert.ok(SLOW_REPLY.startsWith(kept), 'what is kept is how the reply began');
    await page.screenshot({ path: path.join(SCREENSHOTS, '31-stopped-reply.png') });

    await page.reload();
    const stored = page.getByRole('article', { name: /^slow.* replied$/i });
    await stored.locator('.badge', { hasText: 'stopped' }).waitFor();
    assert.equal((await stored.locator('.reply-text').innerText()).trim(), kept, 'the server kept the same words');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
