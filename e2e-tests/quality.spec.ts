import { expect, Page, test } from '@playwright/test';

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The e2e run's Dagster (e2e-tests/support/dagster.ts) holds 90 days of asset check executions
// for the example products' contract rules; the Dagster plugin reports them as quality.checked
// events and the quality plugin ingests them. Nothing here posts results itself: the tab shows
// what came through the real ingestion path. The guest is an ACME developer.

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Akili Portal' }),
  ).toBeVisible();
}

function tab(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });
}

test('the Quality tab of a data product shows its score, dimensions, rules and trend from Dagster’s asset checks', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
  await page.getByRole('link', { name: 'Shop orders' }).click();
  await tab(page, 'Quality').click();

  // The check history arrives at the backend's start-up, oldest first; until its newest
  // executions are in, some rules have not reported. Switch tabs (no reload: it could lose the
  // guest session) until every rule of the contract has a result.
  const score = page.getByLabel('Quality score', { exact: true });
  await expect(async () => {
    await tab(page, 'Overview').click();
    await tab(page, 'Quality').click();
    await expect(page.getByText('Rules (8 of 8 rules ran)')).toBeVisible({
      timeout: 5_000,
    });
    // ...and its newest: every rule's last result is of the last runs, hours ago, not days.
    const rules = page
      .getByRole('table')
      .filter({ hasText: 'customer_id_complete' });
    await expect(rules.getByText(/\b\d+ d\b.* ago/)).toHaveCount(0, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  await expect(score).toHaveText(/^\d{1,3}(\.\d)?$/);

  // Every contract rule of acme/orders, each with its latest outcome from the checks.
  await expect(page.getByText('order_id_unique').first()).toBeVisible();
  await expect(page.getByText('customer_id_complete').first()).toBeVisible();
  // The daily trend over 30 days, then 90: the history goes back 90 days.
  const trend = page.getByTestId('quality-trend-chart');
  await expect(trend).toBeVisible();
  await page.getByRole('button', { name: '90 days' }).click();
  await expect(
    page.getByRole('img', { name: /Daily quality score of .* over 90 days/ }),
  ).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/quality-tab.png`,
    fullPage: true,
  });
});

test('the Incidents page lists the tenant’s incidents, and an incident shows its timeline', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Incidents' })
    .click();
  // Every state: the runs of the last two days include failed ones (each opens an incident,
  // which the job's next success resolves), and failing checks open incidents too.
  await page.getByRole('button', { name: 'State filter' }).click();
  await page.getByRole('option', { name: 'All' }).click();
  await expect(page).toHaveURL(/state=all/);
  const table = page.getByRole('table').first();
  await expect(async () => {
    await page.getByRole('button', { name: 'State filter' }).click();
    await page.getByRole('option', { name: 'Open (not resolved)' }).click();
    await page.getByRole('button', { name: 'State filter' }).click();
    await page.getByRole('option', { name: 'All' }).click();
    await expect(table.getByRole('row').nth(1)).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 150_000, intervals: [5_000] });
  // ACME's incidents only: no product of Globex or Initech.
  await expect(page.getByText('Incidents of acme')).toBeVisible();
  await expect(
    table.getByText(
      /globex|initech|shipments|vehicle-telemetry|delivery-performance|fleet-ops|card-transactions|fraud-features|payments-ledger|risk-exposure/,
    ),
  ).toHaveCount(0);
  await page.screenshot({
    path: `${SCREENSHOTS}/incidents.png`,
    fullPage: true,
  });

  await table.getByRole('row').nth(1).getByRole('link').first().click();
  await expect(page.getByText('Timeline').first()).toBeVisible();
  await expect(page.getByText(/opened/i).first()).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/incident.png`,
    fullPage: true,
  });
});
