// Threads in a real browser (see chat-e2e.test.ts for the setting): a reply in a thread beside the chat reaches a
// second person's open thread live, with the model's answer in it and the count under the parent; on a phone-sized
// screen the thread covers the chat. Screenshots go to test-artifacts/web/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FakeProvider } from '../support/fake-provider.ts';
import {
  elementsPastRightEdge,
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  seriousAccessibilityProblems,
  signUp,
  skipWithoutChromium,
  startWebAppWithFakeProvider,
  type WebApp,
} from '../support/web-browser.ts';

const ALPHA_REPLY = 'Alpha answers, in small pieces.';

describe('threads in a browser', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    ({ fake, app } = await startWebAppWithFakeProvider({
      models: { alpha: { reply: ALPHA_REPLY, chunkSize: 3, chunkDelayMs: 30 } },
    }));
  });
  after(() => app?.close());

  test("a thread reply reaches a second person's open thread live, and the parent counts it", async () => {
    const owner = await openPage(app);
    await signUp(owner.page, 'Tess', 'tess@example.com');
    await pickModels(owner.page, ['alpha']);
    await sendMessage(owner.page, 'Shall we talk about tides?');
    await owner.page
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(ALPHA_REPLY)
      .waitFor();

    // Uma joins by an invitation link and opens the thread on Tess's question, which has no replies yet.
    await owner.page.getByRole('button', { name: 'Group settings' }).click();
    const settings = owner.page.getByRole('complementary', { name: 'Group settings' });
    await settings.getByRole('button', { name: 'Create invite link' }).click();
    const inviteUrl = await settings.getByLabel('Invite link').inputValue();
    await owner.page.getByRole('button', { name: 'Close settings' }).click();
    const guest = await openPage(app);
    await signUp(guest.page, 'Uma', 'uma@example.com');
    await guest.page.goto(new URL(new URL(inviteUrl).pathname, app.baseUrl).toString());
    const question = guest.page.getByRole('article', { name: 'Tess wrote' });
    await question.getByText('Shall we talk about tides?').waitFor();
    await question.getByRole('button', { name: 'Reply in thread' }).click();
    const guestsThread = guest.page.getByRole('complementary', { name: 'Thread' });
    await guestsThread.getByText('No replies yet').waitFor();

    // Tess replies in the same thread from her own page.
    await owner.page
      .getByRole('article', { name: 'You wrote' })
      .getByRole('button', { name: 'Reply in thread' })
      .click();
    const ownersThread = owner.page.getByRole('complementary', { name: 'Thread' });
    const threadComposer = ownersThread.getByLabel('Message', { exact: true });
    await threadComposer.fill('What about spring tides?');
    await threadComposer.press('Enter');

    // Uma's open thread shows it, and the model's answer in the thread, without a reload.
    await guestsThread.getByText('What about spring tides?').waitFor();
    await guestsThread
      .getByRole('article', { name: /^alpha.* replied$/i })
      .getByText(ALPHA_REPLY)
      .waitFor({ timeout: 15_000 });
    // The main conversation keeps the thread out, and says how many replies it holds.
    await question.getByRole('button', { name: /^2 replies · last / }).waitFor();
    assert.equal(await guest.page.locator('.messages').getByText('What about spring tides?').count(), 0);
    await guest.page.screenshot({ path: path.join(SCREENSHOTS, '80-thread-live-second-person.png') });

    // The model in the thread was not sent a later main-conversation message, as there is none; it was sent the
    // question the thread hangs on.
    const inThread = fake
      .requestsFor('alpha')
      .findLast((request) => JSON.stringify(request.messages).includes('spring'));
    assert.match(JSON.stringify(inThread?.messages), /Shall we talk about tides/);

    assert.deepEqual(owner.errors, []);
    assert.deepEqual(guest.errors, []);
    await owner.page.close();
    await guest.page.close();
  });

  test('on a 375 px screen the thread covers the chat, fits its width, and closes back to it', async () => {
    const { page, errors } = await openPage(app, { width: 375, height: 740 });
    await signUp(page, 'Nell', 'nell@example.com');
    await pickModels(page, ['alpha']);
    await sendMessage(page, 'A small screen question');
    const reply = page.getByRole('article', { name: /^alpha.* replied$/i });
    await reply.getByText(ALPHA_REPLY).waitFor();
    await reply.getByRole('button', { name: 'Reply in thread' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.getByText('No replies yet').waitFor();
    const box = await thread.boundingBox();
    assert.equal(Math.round(box!.width), 375);
    assert.deepEqual(await elementsPastRightEdge(page), []);
    assert.deepEqual(await seriousAccessibilityProblems(page), []);
    await page.screenshot({ path: path.join(SCREENSHOTS, '81-thread-narrow.png') });
    await thread.getByRole('button', { name: 'Close thread' }).click();
    await thread.waitFor({ state: 'detached' });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
