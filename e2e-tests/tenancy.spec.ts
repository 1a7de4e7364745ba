import { expect, Page, test } from '@playwright/test';
import {
  closeSignInContexts,
  signInWithAuthentik,
  submitAuthentikLogin,
} from './support/authentikSignIn';

test.afterEach(closeSignInContexts);

const SCREENSHOTS = 'test-results/e2e/screenshots';

async function openDataProducts(page: Page) {
  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Data Products' })
    .click();
}

test('through Authentik, a user of ACME sees only ACME products and a user of Globex only Globex', async ({
  browser,
}) => {
  const alice = await signInWithAuthentik(browser, 'alice');
  await openDataProducts(alice);
  await expect(alice.getByText('7 data products')).toBeVisible();
  await expect(alice.getByRole('link', { name: 'Customer 360' })).toBeVisible();
  await expect(
    alice.getByRole('link', { name: 'Vehicle telemetry' }),
  ).toHaveCount(0);
  await alice.screenshot({ path: `${SCREENSHOTS}/tenancy-acme.png` });

  const bob = await signInWithAuthentik(browser, 'bob');
  await openDataProducts(bob);
  await expect(bob.getByText('4 data products')).toBeVisible();
  await expect(
    bob.getByRole('link', { name: 'Vehicle telemetry' }),
  ).toBeVisible();
  await expect(bob.getByRole('link', { name: 'Customer 360' })).toHaveCount(0);
  await bob.screenshot({ path: `${SCREENSHOTS}/tenancy-globex.png` });

  // Guessing the URL of another tenant's product does not get around the policy.
  await bob.goto('/catalog/acme/dataproduct/customer-360');
  await expect(bob.getByText(/not found|no entity/i).first()).toBeVisible();
  await expect(bob.getByText('iceberg_acme.customer.customer_360')).toHaveCount(
    0,
  );
});

test('a platform admin sees every tenant', async ({ browser }) => {
  const root = await signInWithAuthentik(browser, 'root');
  await openDataProducts(root);
  await expect(root.getByText('15 data products')).toBeVisible();
});

test('a user in no tenant group is refused with the reason', async ({
  browser,
}) => {
  const page = await submitAuthentikLogin(browser, 'nobody');
  await expect(
    page.getByText("user 'nobody' is not a member of any Akili tenant"),
  ).toBeVisible();
  // Still on the sign-in page: no session was created.
  await expect(
    page.getByRole('button', { name: 'Sign in' }).first(),
  ).toBeVisible();
  await expect(page.getByText('Build data products')).toHaveCount(0);
  await page.screenshot({ path: `${SCREENSHOTS}/tenancy-refused.png` });
});

test('a platform admin creates and suspends a tenant; its audit trail and Authentik groups show', async ({
  browser,
}) => {
  const root = await signInWithAuthentik(browser, 'root');
  await root
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Tenants' })
    .click();
  for (const name of ['acme', 'globex', 'initech']) {
    await expect(root.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await root.getByRole('button', { name: 'Create tenant' }).click();
  const create = root.getByRole('dialog');
  await create.getByLabel('Name').fill('Umbrella');
  // The name rule is checked before anything is sent.
  await expect(create.getByText(/Not a valid tenant name/)).toBeVisible();
  await create.getByLabel('Name').fill('umbrella');
  await create.getByLabel('Title').fill('Umbrella Research');
  await create.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(create).toHaveCount(0);

  await root.getByRole('link', { name: 'umbrella', exact: true }).click();
  await expect(root.getByText('akili-umbrella-developer')).toBeVisible();
  await root.getByRole('button', { name: 'Suspend' }).click();
  const suspend = root.getByRole('dialog');
  await suspend.getByLabel('Reason').fill('Contract ended');
  await suspend.getByRole('button', { name: 'Suspend', exact: true }).click();
  await expect(root.getByText('Reason: Contract ended').first()).toBeVisible();
  const audit = root.getByRole('table', { name: 'Audit trail' });
  await expect(audit.getByText('Suspended', { exact: true })).toBeVisible();
  await expect(audit.getByText('Created', { exact: true })).toBeVisible();
  // Its tenant.created / tenant.suspended events went through the outbox to the bus; no consumer
  // gave up on any of them.
  await expect(
    root
      .getByRole('table', { name: 'Event topics' })
      .getByText('akili.umbrella.tenant'),
  ).toBeVisible();
  await expect(
    root.getByText(
      'No open dead letters: the consumers processed every event they received.',
    ),
  ).toBeVisible();
  await root.screenshot({
    path: `${SCREENSHOTS}/tenant-admin.png`,
    fullPage: true,
  });

  // A tenant developer sees their tenant only and no admin controls.
  const alice = await signInWithAuthentik(browser, 'alice');
  await alice
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Tenants' })
    .click();
  await expect(
    alice.getByRole('link', { name: 'acme', exact: true }),
  ).toBeVisible();
  await expect(
    alice.getByRole('link', { name: 'globex', exact: true }),
  ).toHaveCount(0);
  await expect(
    alice.getByRole('button', { name: 'Create tenant' }),
  ).toHaveCount(0);
  // Events and dead letters are for operators: a developer is told so.
  await alice.getByRole('link', { name: 'acme', exact: true }).click();
  await expect(
    alice.getByText(
      'Only operators of acme and platform admins can see the dead letters.',
    ),
  ).toBeVisible();
});
