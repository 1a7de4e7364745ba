import {
  Browser,
  BrowserContext,
  BrowserContextOptions,
  expect,
  Page,
} from '@playwright/test';
import { E2E_PASSWORD } from './users';

// Each user gets a browser context of their own.
const contexts: BrowserContext[] = [];

/**
 * Closes the contexts the sign-ins opened, so no session outlives its test. Each spec that signs
 * in registers it: `test.afterEach(closeSignInContexts)` (a hook in an imported module would be
 * registered for the first spec file of a worker only).
 */
export async function closeSignInContexts() {
  await Promise.all(contexts.splice(0).map(context => context.close()));
}

/**
 * Opens the sign-in page in a fresh context and logs `username` in at the Authentik-like
 * OpenID Provider that `make test` starts (e2e-tests/support/authentik.ts).
 */
export async function submitAuthentikLogin(
  browser: Browser,
  username: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext(options);
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
  return page;
}

/** Signs `username` in through Authentik in a fresh context and waits for the home page. */
export async function signInWithAuthentik(
  browser: Browser,
  username: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await submitAuthentikLogin(browser, username, options);
  await expect(
    page.getByText('Build data products', { exact: true }),
  ).toBeVisible();
  return page;
}
