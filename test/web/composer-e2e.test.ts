// The composer's attachments and web search in a real browser (see chat-e2e.test.ts for the setting). The fake
// provider stands in for OpenAI too (OPENAI_BASE_URL), so the catalog's OpenAI models answer: GPT-4.1 mini reads
// images and PDFs and searches the web, GPT-4.1 nano reads only images, the fake's own model none of it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type FakeProvider, startFakeProvider } from '../support/fake-provider.ts';
import { solidPng } from '../support/png.ts';
import {
  openPage,
  pickModels,
  SCREENSHOTS,
  sendMessage,
  signUp,
  skipWithoutChromium,
  startWebApp,
  type WebApp,
  withoutRefusedRequests,
} from '../support/web-browser.ts';

/** An indigo square. */
const SQUARE_PNG = solidPng(96, 96, [79, 70, 229]);
const MAX_UPLOAD_BYTES = 64 * 1024;
const SOURCE = { url: 'https://example.com/squares', title: 'All about squares' };

describe('attachments and web search in a browser', { skip: skipWithoutChromium }, () => {
  let fake: FakeProvider;
  let app: WebApp;

  before(async () => {
    fake = await startFakeProvider({
      models: {
        'gpt-4.1-mini': { reply: 'An indigo square.', sources: [SOURCE] },
        'gpt-4.1-nano': { reply: 'Nano sees it too.' },
        alpha: { reply: 'Alpha reads text only.' },
      },
    });
    app = await startWebApp({
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_FAKE_BASE_URL: fake.baseURL,
      CHORUS_PROVIDER_FAKE_MODELS: 'alpha',
      CHORUS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES),
    });
  });

  after(async () => {
    await app?.close();
    await fake?.close();
  });

  /** Chooses files through the composer's attach button, as a person does. */
  async function attach(page: Page, files: Array<{ name: string; mimeType: string; buffer: Buffer }>) {
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /^Attach/ }).click();
    await (await chooser).setFiles(files);
  }

  test('an image is uploaded, shown in the message and sent to the model; refused files say why', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Iris', 'iris@example.com');

    // A model that reads no files: attaching is explained instead of offered.
    await pickModels(page, ['alpha']);
    await page.getByRole('button', { name: /^Attach a file \(not available/ }).click();
    await page
      .getByRole('status')
      .getByText(/alpha \(fake\) cannot read images or PDFs/)
      .waitFor();

    await pickModels(page, ['gpt-4.1 mini']);
    // Bytes that are no image: the API's 415 is shown on the file, and it cannot be sent.
    await attach(page, [{ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('just some text') }]);
    const tray = page.getByRole('list', { name: 'Attached files' });
    await tray.getByText(/notes\.png .*is not a PNG, JPEG, WebP or GIF image or a PDF/).waitFor();
    // Too large: the API's 413.
    const large = Buffer.concat([SQUARE_PNG, Buffer.alloc(MAX_UPLOAD_BYTES * 2)]);
    await attach(page, [{ name: 'huge.png', mimeType: 'image/png', buffer: large }]);
    await tray.getByText(/larger than the limit|too large/).waitFor();
    await page.getByLabel('Message').fill('What is this?');
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true, 'refused files block sending');
    await page.screenshot({ path: path.join(SCREENSHOTS, '40-attachment-refused.png') });
    withoutRefusedRequests(errors, 413, 415);
    await tray.getByRole('button', { name: 'Remove notes.png' }).click();
    await tray.getByRole('button', { name: 'Remove huge.png' }).click();

    // A real image goes up, is sent with the message, and the model is given it.
    await attach(page, [{ name: 'square.png', mimeType: 'image/png', buffer: SQUARE_PNG }]);
    await tray.getByText('square.png').waitFor();
    await page.getByRole('button', { name: 'Send' }).and(page.locator(':enabled')).waitFor();
    await page.getByRole('button', { name: 'Send' }).click();
    const sent = page.getByRole('article', { name: 'You wrote' });
    await sent.getByRole('img', { name: 'square.png' }).waitFor();
    await page
      .getByRole('article', { name: /^GPT-4\.1 mini replied$/ })
      .getByText('An indigo square.')
      .waitFor();
    const [request] = fake.requestsFor('gpt-4.1-mini');
    assert.ok(request, 'the model was asked');
    assert.match(JSON.stringify(request.messages), /image/, 'the model was sent the image');
    const servedWidth = await sent.getByRole('img', { name: 'square.png' }).evaluate(async (element) => {
      const image = element as unknown as { decode(): Promise<void>; naturalWidth: number };
      await image.decode();
      return image.naturalWidth;
    });
    assert.equal(servedWidth, 96, 'the image is served back to the page');
    await page.screenshot({ path: path.join(SCREENSHOTS, '41-attachment-sent.png') });
    // Stored with the message: still there after a reload.
    await page.reload();
    await page.getByRole('article', { name: 'You wrote' }).getByRole('img', { name: 'square.png' }).waitFor();

    // A PDF for a model that reads only images: said before anything is sent.
    await pickModels(page, ['gpt-4.1 nano']);
    await attach(page, [{ name: 'paper.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') }]);
    await tray.getByText('GPT-4.1 nano cannot read PDFs.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('web search is offered only when every picked model can search; its context size is sent; sources are shown', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Sam', 'sam@example.com');
    const toggle = page.getByRole('checkbox', { name: 'Search the web' });

    await pickModels(page, ['alpha']);
    assert.equal(await toggle.count(), 0, 'not offered for a model that cannot search');
    await pickModels(page, ['alpha', 'gpt-4.1 mini']);
    await page.getByText('Web search: alpha (fake) cannot search the web').waitFor();
    assert.equal(await toggle.count(), 0);

    await pickModels(page, ['gpt-4.1 mini']);
    await toggle.check();
    await page.getByLabel('Context size').selectOption('high');
    await page.screenshot({ path: path.join(SCREENSHOTS, '42-web-search-on.png') });
    await sendMessage(page, 'Find me squares');
    const reply = page.getByRole('article', { name: /^GPT-4\.1 mini replied$/ });
    await reply.getByText('An indigo square.').waitFor();
    await reply.getByRole('list', { name: 'Sources' }).getByRole('link', { name: SOURCE.title }).waitFor();
    assert.equal(await reply.getByRole('link', { name: SOURCE.title }).getAttribute('href'), SOURCE.url);

    const searched = fake.requestsFor('gpt-4.1-mini').at(-1);
    assert.equal(searched?.api, 'openai-responses', 'web search goes through the Responses API');
    const tools = (searched?.body.tools ?? []) as Array<{ type?: string; search_context_size?: string }>;
    assert.ok(
      tools.some((tool) => /web_search/.test(tool.type ?? '') && tool.search_context_size === 'high'),
      `the model was given web search with the chosen size: ${JSON.stringify(tools)}`,
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, '43-web-search-sources.png') });

    // The sources stay with the stored reply.
    await page.reload();
    await page
      .getByRole('article', { name: /^GPT-4\.1 mini replied$/ })
      .getByRole('link', { name: SOURCE.title })
      .waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
