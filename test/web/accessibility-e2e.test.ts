// Every main screen checked with axe-core in a real browser (see chat-e2e.test.ts for the setting): signing in, a
// chat with two replies, the group settings, the admin's models and usage; each at desktop width and at 375 px, in
// the light and the dark scheme, and with a theme chosen over the system's. No serious or critical finding is allowed.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
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

const WIDTHS = [1280, 375] as const;
const SCHEMES = ['light', 'dark'] as const;

describe('the main screens, checked for accessibility', { skip: skipWithoutChromium }, () => {
  let app: WebApp;

  before(async () => {
    ({ app } = await startWebAppWithFakeProvider({
      models: {
        alpha: { reply: 'Alpha answers with a list:\n\n- one\n- two\n\n```ts\nconst three = 1 + 2;\n```' },
        beta: { reply: 'Beta answers in a sentence, with a [link](https://example.com).' },
      },
    }));
  });
  after(() => app?.close());

  /**
   * The screen at every width and in both schemes: what axe finds, by where it was found. Each is also kept as a
   * screenshot, to be looked at.
   */
  async function check(page: Page, screen: string, findings: Record<string, unknown>) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const colorScheme of SCHEMES) {
        await page.emulateMedia({ colorScheme });
        const problems = await seriousAccessibilityProblems(page);
        if (problems.length > 0) findings[`${screen} at ${width} px, ${colorScheme}`] = problems;
        const name = `themes-${screen.replaceAll(' ', '-')}-${width}-${colorScheme}.png`;
        await page.screenshot({ path: path.join(SCREENSHOTS, name) });
      }
    }
  }

  test('sign-in, chat, group settings, admin models and usage: no serious or critical findings', async () => {
    const { page, errors } = await openPage(app);
    const findings: Record<string, unknown> = {};
    await page.getByRole('tab', { name: 'Sign in' }).waitFor();
    await check(page, 'sign-in', findings);

    await page.setViewportSize({ width: 1280, height: 800 });
    await signUp(page, 'Ada', 'ada@example.com');
    await pickModels(page, ['alpha', 'beta']);
    await sendMessage(page, 'Answer both, please');
    for (const name of [/^alpha.* replied$/i, /^beta.* replied$/i]) {
      await page.getByRole('article', { name }).locator('.reply-usage').waitFor();
    }
    await check(page, 'chat with two replies', findings);

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Group settings' }).click();
    await page.getByRole('complementary', { name: 'Group settings' }).waitFor();
    await check(page, 'group settings', findings);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Close settings' }).click();

    const adminLinks = page.getByRole('navigation', { name: 'Administration' });
    await adminLinks.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('table', { name: 'Models' }).waitFor();
    await check(page, 'admin models', findings);

    await page.setViewportSize({ width: 1280, height: 800 });
    await adminLinks.getByRole('link', { name: 'Usage' }).click();
    await page.getByRole('heading', { name: /usage/i }).first().waitFor();
    await check(page, 'admin usage', findings);

    // A theme chosen in Settings wins over the system's, is kept after a reload, and passes too.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'light' });
    const background = () => page.evaluate<string>('getComputedStyle(document.documentElement).backgroundColor');
    const lightBackground = await background();
    const chooseTheme = async (theme: string) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.getByLabel('Theme').selectOption(theme);
      await settings.getByRole('button', { name: 'Save', exact: true }).click();
      const applied = theme === 'system' ? 'html:not([data-theme])' : `html[data-theme="${theme}"]`;
      await page.locator(applied).waitFor({ state: 'attached' });
      await settings.getByRole('button', { name: 'Close' }).click();
    };
    await chooseTheme('dark');
    assert.equal(await background(), 'rgb(21, 21, 26)');
    await page.reload();
    await page.getByRole('table', { name: 'Usage by model' }).waitFor();
    assert.equal(await background(), 'rgb(21, 21, 26)', 'still dark after a reload');
    const chosen = await seriousAccessibilityProblems(page);
    if (chosen.length > 0) findings['admin usage, dark chosen on a light system'] = chosen;
    await chooseTheme('system');
    assert.equal(await background(), lightBackground);

    assert.deepEqual(findings, {});
    assert.deepEqual(errors, []);
    await page.close();
  });
});
