// Sharing, long threads and the people of a conversation in a real browser (see chat-e2e.test.ts for the setting):
// a public conversation reads read-only for someone else, a long thread loads its older messages as the reader
// scrolls up without losing their place, and the owner manages roles, invitation links and members.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
  withoutRefusedRequests,
} from '../support/web-browser.ts';

const REPLY = 'Noted.';

/** What the functions evaluated in the page use of its document (this file is typed for Node, not the DOM). */
type Box = { top: number };
type Element = { getBoundingClientRect(): Box; scrollTop: number };
declare const document: {
  querySelector(selector: string): Element | null;
  querySelectorAll(selector: string): Element[];
};

describe('sharing, paging and people in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({ models: { alpha: { reply: REPLY, chunkSize: 50 } } }));
  });
  after(() => app?.close());

  async function sendAndWaitForReply(page: Page, text: string) {
    await sendMessage(page, text);
    await page
      .getByRole('article', { name: /replied$/ })
      .last()
      .locator('.reply-usage')
      .waitFor();
  }

  const conversationIdOf = (page: Page) => /\/c\/([0-9a-f-]{36})$/.exec(new URL(page.url()).pathname)![1]!;

  test('a public conversation reads read-only for someone else; private again, it no longer opens', async () => {
    const owner = await openPage(app);
    await signUp(owner.page, 'Paula', 'paula@example.com');
    await pickModels(owner.page, ['alpha']);
    await sendAndWaitForReply(owner.page, 'Something worth sharing');
    await owner.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);

    await owner.page.getByRole('button', { name: 'Share' }).click();
    const dialog = owner.page.getByRole('dialog', { name: 'Share this conversation' });
    await dialog.getByRole('radio', { name: /^Public/ }).check();
    await owner.page.getByRole('button', { name: 'Shared: public' }).waitFor();
    const link = await dialog.getByRole('textbox', { name: 'Link' }).inputValue();
    assert.equal(link, `${app.baseUrl}/c/${conversationIdOf(owner.page)}`);
    await owner.page.screenshot({ path: path.join(SCREENSHOTS, '50-share-dialog.png') });
    await dialog.getByRole('button', { name: 'Done' }).click();

    const reader = await openPage(app);
    await signUp(reader.page, 'Quentin', 'quentin@example.com');
    await reader.page.goto(link);
    await reader.page.getByRole('article', { name: 'Paula wrote' }).getByText('Something worth sharing').waitFor();
    await reader.page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(REPLY)
      .waitFor();
    await reader.page
      .getByRole('note')
      .getByText(/reading a public conversation/)
      .waitFor();
    assert.equal(await reader.page.getByLabel('Message', { exact: true }).count(), 0, 'no composer');
    assert.equal(await reader.page.getByRole('button', { name: '✎ Edit' }).count(), 0, 'nothing to edit');
    assert.equal(await reader.page.getByRole('button', { name: 'Good reply' }).count(), 0, 'no votes');
    assert.equal(await reader.page.getByRole('button', { name: /Regenerate/ }).count(), 0, 'nothing to regenerate');
    assert.equal(await reader.page.getByRole('button', { name: 'Group settings' }).count(), 0);
    await reader.page.screenshot({ path: path.join(SCREENSHOTS, '51-public-read-only.png') });

    await owner.page.getByRole('button', { name: 'Shared: public' }).click();
    await dialog.getByRole('radio', { name: /^Private/ }).check();
    await owner.page.getByRole('button', { name: 'Share', exact: true }).waitFor();
    await reader.page.reload();
    await reader.page
      .getByRole('alert')
      .getByText(/cannot be opened: it does not exist, or it is private/)
      .waitFor();
    withoutRefusedRequests(reader.errors, 404);
    assert.deepEqual(owner.errors, []);
    assert.deepEqual(reader.errors, []);
    await owner.page.close();
    await reader.page.close();
  });

  test('a long thread shows its newest messages; scrolling up loads the older ones and keeps the reader in place', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Lena', 'lena@example.com');
    // Thirty turns (sixty messages, more than one page), sent straight to the API with this browser's session, as
    // the page itself would send them (with its Origin: a cookie's write from anywhere else is refused).
    const conversationId = randomUUID();
    for (let turn = 1; turn <= 30; turn++) {
      const answer = await page.request.post(`${app.baseUrl}/api/chat`, {
        headers: { origin: app.baseUrl },
        data: {
          id: conversationId,
          message: { id: randomUUID(), role: 'user', parts: [{ type: 'text', text: `Message ${turn}` }] },
          modelIds: ['fake:alpha'],
        },
      });
      assert.equal(answer.status(), 200, await answer.text());
    }

    await page.goto(`${app.baseUrl}/c/${conversationId}`);
    // (The sidebar names the conversation after its first message: only the thread is looked at.)
    const thread = page.locator('.messages');
    await thread.getByText('Message 30', { exact: true }).waitFor();
    await thread.getByRole('button', { name: 'Load earlier messages' }).waitFor();
    assert.equal(
      await thread.getByText('Message 1', { exact: true }).count(),
      0,
      'the oldest messages are not loaded yet',
    );
    const oldestShown = await page.locator('.user-text').first().innerText();
    assert.notEqual(oldestShown, 'Message 1');

    // Scroll to the top: where the oldest shown message is in the thread is where it must stay on screen.
    const placeInThread = await page.evaluate(() => {
      const scroller = document.querySelector('.messages')!;
      const oldest = document.querySelectorAll('.user-message')[0]!;
      const place = oldest.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop;
      scroller.scrollTop = 0;
      return place;
    });
    await thread.getByText('Message 1', { exact: true }).waitFor();
    await thread.getByText('The beginning of the conversation').waitFor();
    const anchor = page.locator('.user-message', { hasText: new RegExp(`^${oldestShown}`) });
    const onScreen = await anchor.evaluate((element) => {
      const scroller = document.querySelector('.messages')!;
      return (element as unknown as Element).getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    });
    assert.ok(Math.abs(onScreen - placeInThread) <= 2, `the reader stays in place: ${onScreen} vs ${placeInThread}`);
    assert.equal(await page.locator('.user-text').count(), 30, 'every message once');
    assert.equal(await page.getByRole('article', { name: /replied$/ }).count(), 30);
    await page.screenshot({ path: path.join(SCREENSHOTS, '52-older-messages-loaded.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('the owner makes someone an admin, revokes a link and removes a member; a member leaves', async () => {
    const owner = await openPage(app);
    await signUp(owner.page, 'Otto', 'otto@example.com');
    await pickModels(owner.page, ['alpha']);
    await sendAndWaitForReply(owner.page, 'Our group');
    await owner.page.getByRole('button', { name: 'Group settings' }).click();
    const panel = owner.page.getByRole('complementary', { name: 'Group settings' });
    await panel.getByRole('button', { name: 'Create invite link' }).click();
    const inviteUrl = await panel.getByLabel('Invite link').inputValue();
    const invitePath = new URL(inviteUrl).pathname;

    const member = await openPage(app);
    await signUp(member.page, 'Mia', 'mia@example.com');
    await member.page.goto(`${app.baseUrl}${invitePath}`);
    await member.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await member.page.getByRole('article', { name: 'Otto wrote' }).getByText('Our group').waitFor();

    // The owner sees Mia arrive, makes her an admin; Mia's page hears of it.
    await panel.getByLabel('Role of Mia').selectOption('admin');
    await member.page.getByRole('button', { name: 'Group settings' }).click();
    const memberPanel = member.page.getByRole('complementary', { name: 'Group settings' });
    await memberPanel.locator('.group-people li', { hasText: 'Mia' }).locator('.badge', { hasText: 'admin' }).waitFor();

    // The link was used once; revoked, it says so and can no longer be used.
    const links = panel.getByRole('list', { name: 'All invitation links' });
    await links.getByText(/used 1/).waitFor();
    await links.getByRole('button', { name: /^Revoke/ }).click();
    await links.getByText(/revoked/).waitFor();
    await owner.page.screenshot({ path: path.join(SCREENSHOTS, '53-people-and-links.png') });

    // Mia leaves: the conversation leaves her list, and the owner's panel.
    await memberPanel.getByRole('button', { name: 'Leave conversation' }).click();
    await member.page
      .getByRole('dialog', { name: 'Leave this conversation?' })
      .getByRole('button', { name: 'Leave' })
      .click();
    await member.page.waitForURL(`${app.baseUrl}/`);
    await member.page.getByRole('navigation', { name: 'Conversations' }).getByText('No conversations yet.').waitFor();
    await panel.locator('.group-people li', { hasText: 'Mia' }).waitFor({ state: 'detached' });

    // Invited again with a new link, and this time removed by the owner.
    await panel.getByRole('button', { name: 'Create invite link' }).click();
    await links.getByText(/used 0/).waitFor();
    await member.page.goto(`${app.baseUrl}${new URL(await panel.getByLabel('Invite link').inputValue()).pathname}`);
    await member.page.waitForURL(/\/c\/[0-9a-f-]{36}$/);
    await panel.getByRole('button', { name: 'Remove Mia' }).click();
    await owner.page.getByRole('dialog', { name: 'Remove Mia?' }).getByRole('button', { name: 'Remove' }).click();
    await panel.locator('.group-people li', { hasText: 'Mia' }).waitFor({ state: 'detached' });
    const conversationId = conversationIdOf(owner.page);
    assert.equal(
      (await member.page.request.get(`${app.baseUrl}/api/conversations/${conversationId}`)).status(),
      404,
      'Mia can no longer read it',
    );
    assert.deepEqual(owner.errors, []);
    assert.deepEqual(member.errors, []);
    await owner.page.close();
    await member.page.close();
  });
});
