import { expect, test } from '@playwright/test';

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The guest is an ACME developer; the e2e run's Dagster test server (e2e-tests/support/dagster.ts)
// holds 30 runs of every example product, the newest of each still running.

test('the Runs tab of a data product lists its runs, and a launch makes a new run appear', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
  await page.getByRole('link', { name: 'Shop orders' }).click();
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Runs', exact: true })
    .click();

  const table = page.getByRole('table', { name: 'Runs of Shop orders' });
  await expect(table).toBeVisible();
  // Its own runs only: the job of acme/orders, never another product's.
  await expect(table.getByText('orders_hourly').first()).toBeVisible();
  await expect(table.getByText('Running').first()).toBeVisible();
  await expect(table.getByText(/shipments|telemetry/)).toHaveCount(0);
  const rowsBefore = await table.getByRole('row').count();
  await page.screenshot({
    path: `${SCREENSHOTS}/runs-tab.png`,
    fullPage: true,
  });

  await page.getByRole('button', { name: 'Launch run' }).click();
  const dialog = page.getByRole('dialog', {
    name: 'Launch a run of acme/orders',
  });
  await dialog.getByLabel('sales/orders').check();
  await dialog.getByRole('button', { name: 'Launch' }).click();
  await expect(dialog).toHaveCount(0);
  // The new run is the newest: queued (the e2e Dagster starts it after 5 s).
  const first = table.getByRole('row').nth(1);
  await expect(first.getByText(/^(Queued|Running)$/)).toBeVisible();
  await expect(table.getByRole('row')).toHaveCount(rowsBefore + 1);

  // Its page shows the run and its log.
  await page.getByRole('link', { name: 'Follow its logs' }).click();
  await expect(page.getByText('orders_hourly').first()).toBeVisible();
  await expect(page.getByText(/RUN_ENQUEUED|enqueued/i).first()).toBeVisible();
  // The page follows the run live: the e2e Dagster starts it, and its start shows up.
  await expect(page.getByText('RUN_START', { exact: true })).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({
    path: `${SCREENSHOTS}/run-page.png`,
    fullPage: true,
  });
});
