import { expect, test } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { E2E_GITLAB_TOKEN, E2E_GITLAB_URL } from './support/gitlabSettings';

const SCREENSHOTS = 'test-results/e2e/screenshots';

test('a developer creates a SQL data product from the template: the project is pushed to GitLab and the product is registered and in the catalog', async ({
  page,
  request,
}) => {
  // A name of its own per run: the registry keeps what earlier runs registered.
  const name = `e2e-${Date.now().toString(36)}`;
  const backend = process.env.AKILI_BACKEND_URL ?? 'http://localhost:7007';

  // The user's own token, as the app sends it to the backend.
  let authorization: string | undefined;
  page.on('request', req => {
    const header = req.headers().authorization;
    if (header?.startsWith('Bearer ') && req.url().startsWith(backend)) {
      authorization = header;
    }
  });

  // The guest is an ACME developer.
  await page.goto('/');
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Akili Portal' }),
  ).toBeVisible();

  await page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: /Create/ })
    .click();
  // The innermost element holding both the template's title and a Choose button is its card.
  await page
    .locator('div')
    .filter({
      has: page.getByRole('heading', {
        name: 'SQL data product on StarRocks',
        exact: true,
      }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last()
    .getByRole('button', { name: 'Choose' })
    .click();

  // Product: the tenant is chosen already (the guest's only one).
  await expect(page.getByRole('button', { name: 'acme' })).toBeVisible();
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  await page.getByLabel('Title').fill('E2E order statistics');
  await page.getByLabel('Domain').click();
  await page.getByRole('option', { name: /sales/i }).first().click();
  await page.getByLabel('Owning team').fill('sales-analytics');
  await page.getByLabel('Description').fill('Created by the e2e test');
  await page.getByRole('button', { name: 'Next' }).click();

  // Output ports: one port with one column.
  await page.getByLabel('Port name').fill('daily_orders');
  await page.getByLabel('Column').fill('order_date');
  await page.screenshot({ path: `${SCREENSHOTS}/create-product-form.png` });
  await page.getByRole('button', { name: 'Next' }).click();

  // The manifest the run will create, shown before the review.
  await expect(page.getByText('The manifest is valid.')).toBeVisible();
  await expect(page.getByText(`name: ${name}`)).toBeVisible();
  await page.getByRole('button', { name: 'Review' }).click();
  await page.getByRole('button', { name: 'Create' }).click();

  // The run: every step, up to the registration, succeeds.
  await expect(page.getByText('Register the data product')).toBeVisible();
  await expect(page.getByRole('link', { name: 'GitLab project' })).toBeVisible({
    timeout: 45_000,
  });
  await page.screenshot({ path: `${SCREENSHOTS}/create-product-done.png` });

  // The project on the GitLab test server, with the files the template pushed.
  const project = `data-products%2Facme%2F${name}`;
  const gitlab = (path: string) =>
    request.get(`${E2E_GITLAB_URL}/api/v4/projects/${project}${path}`, {
      headers: { 'private-token': E2E_GITLAB_TOKEN },
    });
  const tree = await gitlab('/repository/tree?recursive=true&per_page=100');
  expect(tree.status()).toBe(200);
  expect(
    (await tree.json()).map((item: { path: string }) => item.path),
  ).toEqual(
    expect.arrayContaining([
      'dataproduct.yaml',
      'README.md',
      '.gitlab-ci.yml',
      'models/daily_orders.sql',
      'tests/test_models.py',
    ]),
  );
  const manifest = parseYaml(
    await (
      await gitlab('/repository/files/dataproduct.yaml/raw?ref=main')
    ).text(),
  );
  expect(manifest.metadata).toMatchObject({ name, namespace: 'acme' });

  // The registry, asked as the user.
  expect(authorization).toBeDefined();
  const entry = await request.get(
    `${backend}/api/akili/v1/tenants/acme/products/${name}`,
    { headers: { authorization: authorization! } },
  );
  expect(entry.status()).toBe(200);
  expect(await entry.json()).toMatchObject({
    entityRef: `dataproduct:acme/${name}`,
    status: 'registered',
  });

  // The catalog, from the registry (the registration's event refreshes it): the run's link
  // opens the product's page once the catalog has processed the entity.
  await expect
    .poll(
      async () =>
        (
          await request.get(
            `${backend}/api/catalog/entities/by-name/dataproduct/acme/${name}`,
            { headers: { authorization: authorization! } },
          )
        ).status(),
      { timeout: 30_000 },
    )
    .toBe(200);
  await page
    .getByRole('link', {
      name: 'Data product (in the catalog from the registry)',
    })
    .click();
  await expect(
    page.getByRole('heading', { name: 'E2E order statistics' }).first(),
  ).toBeVisible();
});
