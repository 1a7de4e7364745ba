import { Browser, expect, Page, test } from '@playwright/test';
import {
  closeSignInContexts,
  signInWithAuthentik,
} from './support/authentikSignIn';

test.afterEach(closeSignInContexts);

const SCREENSHOTS = 'test-results/e2e/screenshots';

// The e2e run's ArgoCD (e2e-tests/support/argocd.ts) holds an Application per example product
// (acme/orders out of sync, acme/clickstream degraded) and its Kubernetes API test server
// (e2e-tests/support/kubernetes.ts) their workloads (acme/clickstream's pods crash-loop).
// Olga is an operator of ACME: she may sync ACME's products and see the platform's health.

const signInAs = (browser: Browser, username: string) =>
  signInWithAuthentik(browser, username, {
    viewport: { width: 1280, height: 900 },
  });

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

test("an operator sees a product's ArgoCD Application, its drift and workloads, syncs it, and sees the platform's health", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await signInAs(browser, 'olga');
  await openProduct(page, 'Shop orders');

  const card = page.getByText('ArgoCD Application acme-orders');
  await expect(card).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Out of sync').first()).toBeVisible();
  // The workloads from the tenant's namespace, through the Kubernetes plugin.
  await expect(page.getByText('Kubernetes workloads')).toBeVisible();
  await page.getByRole('button', { name: /akili-demo/ }).click();
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

  // Operators see every dependency of the platform with its state.
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: /Platform he/ })
    .click();
  await expect(
    page.getByRole('heading', { name: 'Platform health' }),
  ).toBeVisible();
  for (const dependency of ['Dagster', 'ArgoCD', 'Kubernetes']) {
    await expect(
      page
        .getByRole('row')
        .filter({ hasText: dependency })
        .getByText('Up', { exact: true }),
    ).toBeVisible({ timeout: 60_000 });
  }
  await page.screenshot({
    path: `${SCREENSHOTS}/platform-health.png`,
    fullPage: true,
  });
});

test('a developer sees a degraded product with its failing pods, no Sync button, and no platform health', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const page = await signInAs(browser, 'alice');
  await openProduct(page, 'Web & app clickstream');
  await expect(page.getByText('Degraded').first()).toBeVisible({
    timeout: 30_000,
  });
  // The Kubernetes plugin's error report names the crash-looping pods.
  await expect(
    page.getByText(/CrashLoopBackOff|restarting failed container/).first(),
  ).toBeVisible({ timeout: 30_000 });
  await page.screenshot({
    path: `${SCREENSHOTS}/deployment-degraded.png`,
    fullPage: true,
  });
  await expect(
    page.getByRole('button', { name: 'Sync', exact: true }),
  ).toHaveCount(0);

  // Platform health is for operators.
  await page.goto('/platform-health');
  await expect(
    page.getByText(/not allowed|operators|forbidden/i).first(),
  ).toBeVisible();
});
