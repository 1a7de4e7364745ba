import { Browser, expect, Locator, Page, test } from '@playwright/test';
import {
  closeSignInContexts,
  signInWithAuthentik,
} from './support/authentikSignIn';

test.afterEach(closeSignInContexts);

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The e2e run's lake is the lake dev server (e2e-tests/support/lake.ts): acme/churn-features'
// port training_snapshots holds Parquet files under snapshot_month=YYYY-MM-01/, whose
// customer_key is confidential. The catalog lets a user read only their own tenants' entities:
// Cora is a consumer of ACME (no unmask), Alice a developer of ACME, Bob a developer of Globex.
// The query API runs on the embedded engine, which reads other tenants' tables under the
// access agreements in force (starrocks.agreements.enabled).

const signInAs = (browser: Browser, username: string) =>
  signInWithAuthentik(browser, username, {
    viewport: { width: 1400, height: 1000 },
  });

/** Opens a product's Files tab, its first month folder and the first Parquet file in it. */
async function previewFirstSnapshot(page: Page) {
  // Through the app, not page.goto: a reload costs a cold bundle load on the e2e dev server.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
  await page
    .getByRole('link', { name: 'Churn model features', exact: true })
    .click();
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Files', exact: true })
    .click();
  await page
    .getByRole('button', { name: /^snapshot_month=\d{4}-\d{2}-01\/$/ })
    .first()
    .click();
  await page
    .getByRole('button', { name: /\.parquet$/ })
    .first()
    .click();
  const rows = page.getByRole('table', { name: 'First rows' });
  await expect(rows).toBeVisible();
  return rows;
}

async function openAgreements(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Access agreements' })
    .click();
}

/** The values of one column of a table of the page (header cells excluded). */
async function columnValues(table: Locator, column: string) {
  const headers = await table.getByRole('columnheader').allInnerTexts();
  const index = headers.findIndex(h => h.trim() === column);
  expect(index, `column ${column} in ${headers.join(', ')}`).toBeGreaterThan(
    -1,
  );
  const cells = table.locator('tbody tr').locator(`td:nth-child(${index + 1})`);
  return (await cells.allInnerTexts()).map(t => t.trim());
}

test('a consumer previews a Parquet snapshot with its confidential column masked; a developer sees it', async ({
  browser,
}) => {
  // Each sign-in loads the app in a fresh context (tens of seconds on a busy e2e machine).
  test.setTimeout(300_000);
  const cora = await signInAs(browser, 'cora');
  const masked = await previewFirstSnapshot(cora);
  await expect(
    cora.getByText(
      /Masked: your role does not see pii\/confidential columns \(customer_key\)/,
    ),
  ).toBeVisible();
  const hidden = await columnValues(masked, 'customer_key');
  expect(hidden.length).toBeGreaterThan(0);
  expect(new Set(hidden)).toEqual(new Set(['masked']));
  await cora.screenshot({
    path: `${SCREENSHOTS}/lake-preview-masked.png`,
    fullPage: true,
  });

  const alice = await signInAs(browser, 'alice');
  const plain = await previewFirstSnapshot(alice);
  await expect(alice.getByText(/^Masked: /)).toHaveCount(0);
  const keys = await columnValues(plain, 'customer_key');
  expect(keys.length).toBe(hidden.length);
  expect(keys.filter(k => k === 'masked' || k === '')).toEqual([]);
});

test("a Globex developer requests access to ACME's Customer 360, an ACME developer grants two columns, and the query API reads just those", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const purpose = `Delivery experience per customer, e2e ${Date.now()}`;

  // Bob cannot read acme's entity: he names the product and port, and asks for all columns.
  const bob = await signInAs(browser, 'bob');
  await openAgreements(bob);
  await bob.getByRole('button', { name: 'Request access' }).click();
  const request = bob.getByRole('dialog');
  await request
    .getByRole('textbox', { name: /^Product/ })
    .fill('acme/customer-360');
  await request
    .getByRole('textbox', { name: /^Output port/ })
    .fill('customer_360');
  await request.getByRole('textbox', { name: /^Purpose/ }).fill(purpose);
  await expect(
    request.getByRole('radio', { name: /^All columns of the port/ }),
  ).toBeChecked();
  await bob.screenshot({ path: `${SCREENSHOTS}/lake-agreement-request.png` });
  await request.getByRole('button', { name: 'Send request' }).click();
  await expect(request).toHaveCount(0);
  await expect(
    bob.getByText(
      /Your request for globex's access to acme\/customer-360 \(port customer_360\) is pending/,
    ),
  ).toBeVisible();

  // Alice decides in "Requests to us": the request asked for every column, she grants two.
  const alice = await signInAs(browser, 'alice');
  await openAgreements(alice);
  await alice.getByRole('tab', { name: 'Requests to us' }).click();
  const row = alice.getByRole('row').filter({ hasText: purpose });
  await row.getByRole('button', { name: /^Approve request / }).click();
  const approve = alice.getByRole('dialog');
  await expect(
    approve.getByText(/asks for all columns of the port/),
  ).toBeVisible();
  await approve.getByRole('checkbox', { name: 'customer_id' }).check();
  await approve.getByRole('checkbox', { name: 'country' }).check();
  await approve.getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(approve).toHaveCount(0);
  await expect(row).toContainText('customer_id');
  await expect(row).toContainText('country');
  await expect(row).not.toContainText('email');
  await alice.screenshot({
    path: `${SCREENSHOTS}/lake-agreement-approved.png`,
    fullPage: true,
  });

  // Bob reads the agreed columns of acme's table in the query workbench, and no other.
  await bob
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Query' })
    .click();
  await expect(bob.getByRole('region', { name: 'SQL editor' })).toBeVisible();
  await typeSql(
    bob,
    'SELECT customer_id, country FROM iceberg_acme.customer.customer_360 ORDER BY customer_id LIMIT 5',
  );
  const grid = bob.getByRole('grid', { name: 'Query result' });
  // The query API forgets a tenant's cached agreements on access.granted; retried in case the
  // event is still on its way.
  await expect(async () => {
    await bob.getByRole('button', { name: 'Run' }).click();
    await expect(grid).toHaveAttribute('aria-rowcount', '6', {
      timeout: 3_000,
    });
  }).toPass({ timeout: 45_000 });
  await bob.screenshot({ path: `${SCREENSHOTS}/lake-agreement-query.png` });

  await typeSql(
    bob,
    'SELECT customer_id, email FROM iceberg_acme.customer.customer_360',
  );
  await bob.getByRole('button', { name: 'Run' }).click();
  await expect(
    bob
      .getByRole('alert')
      .filter({ hasText: 'Query refused' })
      .filter({
        hasText:
          /column 'email' of table .*customer_360.* is not in your tenant's access agreement, which allows customer_id, country/,
      }),
  ).toBeVisible();
});

/** Replaces the editor's text (CodeMirror: typed, as a user would). */
async function typeSql(page: Page, sql: string) {
  const editor = page
    .getByRole('region', { name: 'SQL editor' })
    .getByRole('textbox', { name: 'SQL' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await editor.pressSequentially(sql);
  // Completion may have opened a list: close it so Enter and clicks reach the page.
  await page.keyboard.press('Escape');
}
