import { readFile } from 'node:fs/promises';
import { expect, Page, test } from '@playwright/test';

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The e2e run answers the query API on the embedded engine (app-config.e2e.yaml): DuckDB inside
// the backend over generated rows of the example products' tables. The MySQL path is proven
// against MariaDB by the query plugin's own tests.

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Akili Portal' }),
  ).toBeVisible();
}

async function openQuery(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Query' })
    .click();
  await expect(page.getByRole('region', { name: 'SQL editor' })).toBeVisible();
}

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

test('the guest, an ACME developer, queries a product table, sees masked columns and downloads CSV', async ({
  page,
}) => {
  await signIn(page);
  await openQuery(page);

  await typeSql(
    page,
    'SELECT customer_id, email, country, lifetime_revenue_eur FROM iceberg_acme.customer.customer_360 ORDER BY customer_id LIMIT 250',
  );
  await page.getByRole('button', { name: 'Run' }).click();

  const grid = page.getByRole('grid', { name: 'Query result' });
  await expect(grid).toBeVisible();
  // 250 rows and the header row.
  await expect(grid).toHaveAttribute('aria-rowcount', '251');
  await expect(
    page.getByRole('status').filter({ hasText: /250 rows/ }),
  ).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/query.png` });

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const file = await (await download).path();
  const lines = (await readFile(file, 'utf8')).trimEnd().split(/\r\n/);
  expect(lines[0]).toBe('customer_id,email,country,lifetime_revenue_eur');
  expect(lines).toHaveLength(251);
  // The guest is a developer of ACME: pii is visible to them, so emails are there (the
  // generated rows leave some optional values NULL).
  const emails = lines
    .slice(1)
    .filter(line => line.split(',')[1].includes('@'));
  expect(emails.length).toBeGreaterThan(200);
});

test('a statement over another tenant’s table is refused with its position, and nothing runs', async ({
  page,
}) => {
  await signIn(page);
  await openQuery(page);
  await typeSql(page, 'SELECT * FROM iceberg_globex.logistics.shipments');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Query refused' }).filter({
      hasText:
        "table 'iceberg_globex.logistics.shipments' is not readable by this tenant (line 1, column 15)",
    }),
  ).toBeVisible();
  await expect(
    page.getByText('Marked in the editor at line 1, column 15.'),
  ).toBeVisible();
  await expect(page.getByRole('grid', { name: 'Query result' })).toHaveCount(0);
});

test('the Query tab of a data product runs its starter query', async ({
  page,
}) => {
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
  await page.getByRole('link', { name: 'Customer 360', exact: true }).click();
  // The entity page's tab (the sidebar has a Query link of its own).
  await page.locator('a[href$="/customer-360/query"]').click();
  await expect(page.getByRole('region', { name: 'SQL editor' })).toBeVisible();
  await expect(
    page.getByText(
      'SELECT * FROM iceberg_acme.customer.customer_360 LIMIT 100',
    ),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(
    page.getByRole('grid', { name: 'Query result' }),
  ).toHaveAttribute('aria-rowcount', '101');
});
