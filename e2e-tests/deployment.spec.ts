import { Browser, BrowserContext, expect, Page, test } from '@playwright/test';
import { E2E_PASSWORD } from './support/users';

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The e2e run's ArgoCD (e2e-tests/support/argocd.ts) holds an Application per example product
// (acme/orders out of sync, acme/clickstream degraded) and its Kubernetes API test server
// (e2e-tests/support/kubernetes.ts) their workloads (acme/clickstream's pods crash-loop).
// Olga is an operator of ACME: she may sync ACME's products and see the platform's health.

const contexts: BrowserContext[] = [];
test.afterEach(async () => {
  await Promise.all(contexts.splice(0).map(context => context.close()));
});

async function signInAs(browser: Browser, username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/');
  const popupPromise = page.waitForEvent('popup');
  await page
    .getByRole('listitem')
    .filter({ hasText: 'Authentik' })
    .getByRole('button', { name: 'Sign in' })
    .click();
  const popup = await popupPromise;
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(E2E_PASSWORD);
  await popup.getByRole('button', { name: 'Log in' }).click();
  await expect(
    page.getByText('Build data products', { exact: true }),
  ).toBeVisible();
  return page;
}

async function openProduct(page: Page, title: string) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
  await page.getByRole('link', { name: title }).click();
  await page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'Deployment', exact: true })
    .click();
}

test("the Deployment tab shows a product's ArgoCD Application, its drift and its workloads, and an operator syncs it", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const page = await signInAs(browser, 'olga');
  await openProduct(page, 'Shop orders');

  const card = page.getByText('ArgoCD Application acme-orders');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Out of sync').first()).toBeVisible();
  // The workloads from the tenant's namespace, through the Kubernetes plugin.
  await expect(page.getByText('Kubernetes workloads')).toBeVisible();
  await expect(page.getByText('orders', { exact: true }).first()).toBeVisible();

  // Drift, resource by resource.
  const showDrift = page
    .getByRole('button', { name: /^Show drift of/ })
    .first();
  await showDrift.click();
  await expect(page.getByLabel(/^Drift of /).first()).toBeVisible();
  await page.screenshot({
    path: `${SCREENSHOTS}/deployment-tab.png`,
    fullPage: true,
  });

  // An operator of the tenant syncs it; ArgoCD's operation runs, then succeeds.
  await page.getByRole('button', { name: 'Sync', exact: true }).click();
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByLabel('Sync in progress')).toBeVisible({
    timeout: 15_000,
  });
  await page.screenshot({
    path: `${SCREENSHOTS}/deployment-sync.png`,
    fullPage: true,
  });
});

test('a degraded product shows its failing pods, and a developer sees no Sync button', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await signInAs(browser, 'alice');
  await openProduct(page, 'Web & app clickstream');
  await expect(page.getByText('Degraded').first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText(/CrashLoopBackOff/).first()).toBeVisible({
    timeout: 30_000,
  });
  await expect(
    page.getByRole('button', { name: 'Sync', exact: true }),
  ).toHaveCount(0);
});

test('operators see every dependency of the platform with its state on the Platform health page', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await signInAs(browser, 'olga');
  await page.goto('/platform-health');
  await expect(
    page.getByRole('heading', { name: 'Platform health' }),
  ).toBeVisible();
  for (const dependency of ['Dagster', 'ArgoCD', 'Kubernetes']) {
    await expect(page.getByText(dependency, { exact: true })).toBeVisible({
      timeout: 60_000,
    });
  }
  await page.screenshot({
    path: `${SCREENSHOTS}/platform-health.png`,
    fullPage: true,
  });

  // A developer of the same tenant may not see it.
  const alice = await signInAs(browser, 'alice');
  await alice.goto('/platform-health');
  await expect(
    alice.getByText(/not allowed|operators|forbidden/i).first(),
  ).toBeVisible();
});
