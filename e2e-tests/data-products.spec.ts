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

test('the guest, an ACME developer, sees only ACME data products and filters them', async ({
  page,
}) => {
  await signIn(page);
  await openDataProducts(page);
  // 15 example products in three tenants; the tenant policy lets an ACME member read ACME's 7.
  await expect(page.getByText('7 data products')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Customer 360' })).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Vehicle telemetry' }),
  ).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/data-products.png` });

  await page.getByRole('button', { name: 'Type filter' }).click();
  await page.getByRole('option', { name: 'source-aligned' }).click();
  await expect(page.getByText('3 of 7 data products')).toBeVisible();
  await expect(page).toHaveURL(/type=source-aligned/);
  await expect(page.getByRole('link', { name: 'Shop orders' })).toBeVisible();
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
  const upstream = page.getByRole('list', { name: 'Upstream products' });
  await expect(
    upstream.getByRole('link', { name: 'Customers', exact: true }),
  ).toBeVisible();
  // Its Globex upstream is named by Customer 360's own manifest, but Globex's entity (title
  // "Shipments") is not readable by an ACME member.
  await expect(upstream.getByText('globex/shipments')).toBeVisible();
  await expect(upstream.getByText('Shipments', { exact: true })).toHaveCount(0);
  await expect(page.getByText('Downstream (read by)')).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Churn model features' }).first(),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/data-product-lineage.png`,
    fullPage: true,
  });
});

test('search finds the tenant products by column name, never those of another tenant', async ({
  page,
}) => {
  await signIn(page);
  const search = async (term: string) => {
    await page
      .getByRole('navigation', { name: 'sidebar nav' })
      .getByRole('link', { name: 'Home', exact: true })
      .first()
      .click();
    const box = page.getByPlaceholder(
      'Search data products, columns, owners...',
    );
    await box.fill(term);
    await box.press('Enter');
  };
  // The catalog collator indexes 15 s after start-up (app-config.yaml): retry until it has.
  await expect(async () => {
    await search('late_delivery_share_90d');
    await expect(
      page.getByRole('link', { name: 'Churn model features' }).first(),
    ).toBeVisible({ timeout: 3000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/search-column.png` });

  // A Globex column is in the index too, but the search backend filters Globex's documents out
  // of what it sends an ACME member (it still finds ACME products on parts of the term).
  // The query of the results themselves (not the per-type counts, asked with pageLimit=0).
  const answer = page.waitForResponse(res => {
    const url = new URL(res.url());
    return (
      url.pathname.endsWith('/api/search/query') &&
      url.searchParams.get('term') === 'driver_card_id' &&
      !url.searchParams.has('pageLimit')
    );
  });
  await search('driver_card_id');
  const response = await answer;
  expect(response.status()).toBe(200);
  const { results } = await response.json();
  const locations = results.map(
    (r: { document: { location: string } }) => r.document.location,
  );
  expect(locations.filter((l: string) => l.includes('/globex/'))).toEqual([]);
  await expect(
    page.getByRole('link', { name: 'Vehicle telemetry' }),
  ).toHaveCount(0);
});
