// Administering people in a real browser: the admin finds someone on the People page, gives them a daily limit
// and deactivates them, and that person's open page finds itself signed out. Skipped where /usr/bin/chromium is absent.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  openPage,
  SCREENSHOTS,
  signUp,
  skipWithoutChromium,
  startWebApp,
  type WebApp,
  withoutRefusedRequests,
} from '../support/web-browser.ts';

describe('the People admin page in a browser', { skip: skipWithoutChromium }, () => {
  let app: WebApp;
  before(async () => {
    app = await startWebApp({});
  });
  after(() => app?.close());

  test('the admin finds someone, gives them a daily limit and deactivates them: their session ends', async () => {
    const { page, errors } = await openPage(app);
    await signUp(page, 'Ada Admin', 'ada@example.com');
    const other = await openPage(app);
    await signUp(other.page, 'Bea Member', 'bea@example.com');

    await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'People' }).click();
    assert.equal(new URL(page.url()).pathname, '/admin/users');
    await page.getByRole('searchbox', { name: 'Search people' }).fill('bea');
    const table = page.getByRole('table', { name: 'People' });
    const bea = table.getByRole('row', { name: 'Bea Member' });
    await bea.waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.models-table tbody tr').length === 1);

    await bea.getByRole('button', { name: 'Limit…' }).click();
    await page.getByLabel('Messages a day (empty: the limit of their kind)').fill('5');
    await page.getByRole('button', { name: 'Save' }).click();
    await bea.getByRole('cell', { name: '5', exact: true }).waitFor();

    await bea.getByRole('button', { name: 'Deactivate' }).click();
    await bea.getByRole('cell', { name: 'deactivated' }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, '30-admin-people.png') });

    // Ada is the only admin: demoting her is refused, and the page says why.
    await page.getByRole('searchbox', { name: 'Search people' }).fill('ada');
    await table.getByRole('row', { name: 'Ada Admin' }).getByRole('button', { name: 'Demote' }).click();
    await page.getByText(/last active admin/).waitFor();
    withoutRefusedRequests(errors, 409);
    assert.deepEqual(errors, []);

    await other.page.reload();
    await other.page.getByRole('tab', { name: 'Sign up' }).waitFor();
  });
});

/** What the functions evaluated in the page use of its document (this file is typed for Node, not the DOM). */
declare const document: { querySelectorAll(selector: string): { length: number } };
