import { expect, Page, test } from '@playwright/test';

const SCREENSHOTS = 'test-results/e2e/screenshots';

// Navigation stays inside the app (no full page loads): a reload makes Backstage restore the
// guest session, which can lose a race on a loaded machine and show the sign-in page again.

async function openDataProducts(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
}

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Akili Portal' }),
  ).toBeVisible();
}

test('the marketplace lists the example data products and filters them by tenant', async ({
  page,
}) => {
  await signIn(page);
  await openDataProducts(page);
  await expect(page.getByText('15 data products')).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/data-products.png` });

  await page.getByRole('button', { name: 'Tenant filter' }).click();
  await page.getByRole('option', { name: 'globex' }).click();
  await expect(page.getByText('4 of 15 data products')).toBeVisible();
  await expect(page).toHaveURL(/tenant=globex/);
  await expect(
    page.getByRole('link', { name: 'Vehicle telemetry' }),
  ).toBeVisible();
  await expect(page.getByRole('link', { name: 'Customer 360' })).toHaveCount(0);
});

test('a data product page shows its ports with schema and classification, and its lineage', async ({
  page,
}) => {
  await signIn(page);
  await openDataProducts(page);
  await page.getByRole('link', { name: 'Customer 360', exact: true }).click();
  await expect(
    page.getByRole('heading', { name: 'Customer 360' }).first(),
  ).toBeVisible();

  await page.getByRole('link', { name: 'Ports', exact: true }).click();
  await expect(page.getByText('Input ports', { exact: true })).toBeVisible();
  // Upstream products resolve to links, the output schema lists classified columns.
  await expect(page.getByRole('link', { name: 'Shop orders' })).toBeVisible();
  await expect(
    page.getByText('iceberg_acme.customer.customer_360'),
  ).toBeVisible();
  const email = page.getByRole('row', { name: /email/ }).first();
  await expect(email.getByText('PII')).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/data-product-ports.png`,
    fullPage: true,
  });

  await page.getByRole('link', { name: 'Lineage', exact: true }).click();
  const neighbours = page
    .getByText('Upstream (this product reads)')
    .locator('..');
  await expect(
    neighbours.getByRole('link', { name: 'Shipments' }),
  ).toBeVisible();
  await expect(page.getByText('Downstream (read by)')).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Churn model features' }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/data-product-lineage.png`,
    fullPage: true,
  });
});

test('data products are found by a column name through search', async ({
  page,
}) => {
  await signIn(page);
  // The catalog collator indexes 15 s after start-up (app-config.yaml): retry until it has.
  await expect(async () => {
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Home', exact: true })
      .first()
      .click();
    const search = page.getByPlaceholder(
      'Search data products, columns, owners...',
    );
    await search.fill('driver_card_id');
    await search.press('Enter');
    await expect(
      page.getByRole('link', { name: 'Vehicle telemetry' }).first(),
    ).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/search-column.png` });
});
