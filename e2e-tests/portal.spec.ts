import { expect, test } from '@playwright/test';

// Screenshots kept as test artifacts for people (and CI logs) to look at.
const SCREENSHOTS = 'test-results/e2e/screenshots';

test('guest signs in, sees the Akili home page and the catalog lists entities', async ({
  page,
}) => {
  await page.goto('/');

  // Local sign-in offers the guest (a demo developer of the demo tenant).
  await expect(page.getByText('Akili Portal').first()).toBeVisible();
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  // Akili's home page serves the three user groups.
  await expect(
    page.getByRole('heading', { level: 1, name: 'Akili Portal' }),
  ).toBeVisible();
  for (const title of [
    'Build data products',
    'Operate the platform',
    'Discover and use data',
  ]) {
    await expect(page.getByText(title, { exact: true })).toBeVisible();
  }
  // The catalog summary is read from the backend, not hard-coded. Right after the portal starts
  // the catalog may still be ingesting the examples: leave the page and come back (in-app
  // navigation, no reload) until the summary has them.
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  const glance = page.getByRole('list', { name: 'Catalog contents' });
  await expect(async () => {
    await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
    await nav.getByRole('link', { name: 'Home', exact: true }).last().click();
    await expect(glance.getByRole('link', { name: 'Resource' })).toBeVisible({
      timeout: 5_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${SCREENSHOTS}/home.png`, fullPage: true });

  // The catalog lists the example entities.
  await nav.getByRole('link', { name: 'Catalog', exact: true }).click();
  await expect(
    page.getByRole('link', { name: 'Akili Portal', exact: true }),
  ).toBeVisible();
  await page.screenshot({ path: `${SCREENSHOTS}/catalog.png`, fullPage: true });

  await page.getByRole('link', { name: 'Akili Portal', exact: true }).click();
  await expect(
    page.getByText('Developer portal and control plane').first(),
  ).toBeVisible();
});

test('the backend refuses callers without credentials', async ({ request }) => {
  const backend = process.env.AKILI_BACKEND_URL ?? 'http://localhost:7007';
  const res = await request.get(`${backend}/api/catalog/entities`);
  expect(res.status()).toBe(401);
});
