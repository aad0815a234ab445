// Votes, edits and group conversations in a real browser (see chat-e2e.test.ts for the setting): a vote stays
// after a reload, an edited message replaces the turn, and two people in two browsers share one first-responder
// thread live through the events stream. Screenshots go to test-artifacts/web/.
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
} from '../support/web-browser.ts';

const ALPHA_REPLY = 'Alpha answers first, in small pieces.';
const BETA_REPLY = 'Beta adds another view.';

describe('votes, edits and groups in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({
      models: {
        alpha: { reply: ALPHA_REPLY, chunkSize: 3, chunkDelayMs: 30 },
        beta: { reply: BETA_REPLY, chunkSize: 3, chunkDelayMs: 30 },
      },
    }));
  });
  after(() => app?.close());

  test('a vote on a reply stays after a reload; an edited message replaces its turn', async () => {
    const { page, errors } = await openWebPage(app);
    await signUp(page, 'Vera', 'vera@example.com');
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'What is first?');
    const reply = page.getByRole('article', { name: /^alpha.* replied$/i });
    await reply.getByText(ALPHA_REPLY).waitFor();
    await reply.getByRole('button', { name: 'Good reply' }).click();
    assert.equal(await reply.getByRole('button', { name: 'Good reply' }).getAttribute('aria-pressed'), 'true');
    await page.getByRole('link', { name: 'What is first?' }).waitFor();

    await page.reload();
    const reloaded = page.getByRole('article', { name: /^alpha.* replied$/i });
    await reloaded.getByText(ALPHA_REPLY).waitFor();
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(n: string): string | null } | null };
          }
        ).document.querySelector('.votes button[aria-pressed="true"]') !== null,
      undefined,
      { timeout: 5_000 },
    );
    assert.equal(await reloaded.getByRole('button', { name: 'Good reply' }).getAttribute('aria-pressed'), 'true');
    assert.equal(await reloaded.getByRole('button', { name: 'Bad reply' }).getAttribute('aria-pressed'), 'false');
    await page.screenshot({ path: path.join(SCREENSHOTS, '20-vote-after-reload.png') });

    await page.getByRole('article', { name: 'You wrote' }).getByRole('button', { name: '✎ Edit' }).click();
    await page.getByLabel('Edit your message').fill('What is second?');
    await page.getByRole('button', { name: 'Save and send' }).click();
    await page.getByRole('article', { name: 'You wrote' }).getByText('What is second?').waitFor();
    await page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(ALPHA_REPLY)
      .waitFor();
    await page.locator('.reply-usage').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '21-edited-message.png') });

    // On the server, the edit replaced the message and its reply.
    await page.reload();
    await page.getByRole('article', { name: 'You wrote' }).getByText('What is second?').waitFor();
    assert.equal(await page.locator('.messages').getByText('What is first?', { exact: true }).count(), 0);
    assert.equal(await page.getByRole('article', { name: /replied$/ }).count(), 1);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('two people share a first-responder group live: invited by link, both models answer, the lead marked', async () => {
    const owner = await openWebPage(app);
    await signUp(owner.page, 'Olive', 'olive@example.com');
    await pickModels(owner.page, ['alpha', 'beta']);
    await sendMessage(owner.page, 'Hello, group');
    await owner.page
      .getByRole('article', { name: /^beta.* replied$/i })
      .getByText(BETA_REPLY)
      .waitFor();
    await owner.page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(ALPHA_REPLY)
      .waitFor();

    // The owner makes it a first-responder group and creates an invitation link.
    await owner.page.getByRole('button', { name: 'Group settings' }).click();
    const panel = owner.page.getByRole('complementary', { name: 'Group settings' });
    await panel.getByLabel('Reply mode').selectOption('first_responder');
    await panel.getByLabel('Lead').waitFor();
    await panel.getByRole('button', { name: 'Create invite link' }).click();
    const inviteUrl = await panel.getByLabel('Invite link').inputValue();
    assert.match(inviteUrl, /\/invite\/[^/]+$/);
    await owner.page.screenshot({ path: path.join(SCREENSHOTS, '22-group-panel.png') });

    // A second person, in another browser context, accepts it and lands in the conversation.
    const guest = await openWebPage(app);
    await signUp(guest.page, 'Bruno', 'bruno@example.com');
    await guest.page.goto(new URL(new URL(inviteUrl).pathname, app.baseUrl).toString());
    await guest.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await guest.page.getByRole('article', { name: 'Olive wrote' }).getByText('Hello, group').waitFor();
    await guest.page
      .locator('.char-limit-note')
      .getByText(/280 characters/)
      .waitFor();

    // The owner sees Bruno join; then writes, and Bruno's page shows it all as it happens.
    await panel.getByText('Bruno').waitFor();
    await owner.page.getByRole('button', { name: 'Close settings' }).click();
    await sendMessage(owner.page, 'Who goes first?');
    await guest.page.getByRole('article', { name: 'Olive wrote' }).getByText('Who goes first?').waitFor();
    const alpha = guest.page.getByRole('article', { name: /^alpha.* replied$/i }).last();
    const beta = guest.page.getByRole('article', { name: /^beta.* replied$/i }).last();
    await alpha.getByText(ALPHA_REPLY).waitFor({ timeout: 15_000 });
    await beta.getByText(BETA_REPLY).waitFor({ timeout: 15_000 });
    assert.match(await alpha.locator('.lead-badge').innerText(), /first responder/);
    assert.equal(await beta.locator('.lead-badge').count(), 0);
    await guest.page.screenshot({ path: path.join(SCREENSHOTS, '23-group-live-second-user.png') });
    await owner.page.screenshot({ path: path.join(SCREENSHOTS, '24-group-owner.png') });

    assert.deepEqual(owner.errors, []);
    assert.deepEqual(guest.errors, []);
    await owner.page.close();
    await guest.page.close();
  });
});
