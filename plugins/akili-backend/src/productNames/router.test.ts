import { TestDatabases } from '@backstage/backend-test-utils';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import {
  addProject,
  as,
  startDeploymentsBackend,
} from '../deployments/__testUtils__/deploymentsBackend';

jest.setTimeout(60_000);

const LOCATION =
  'url:https://gitlab.example.test/data-products/acme/discovered/-/blob/main/dataproduct.yaml';

describe.each(requireTestDatabaseIds())('product names on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });
  const gitlab = new GitlabTestServer('platform-token');
  let backend: Awaited<ReturnType<typeof startDeploymentsBackend>>;

  beforeAll(async () => {
    await gitlab.start();
    addProject(gitlab, 1, 'data-products/acme/orders');
    addProject(gitlab, 2, 'data-products/acme/legacy');
    backend = await startDeploymentsBackend({
      knex: await databases.init(databaseId),
      gitlab,
      entities: [
        {
          apiVersion: 'akili.io/v1alpha1',
          kind: 'DataProduct',
          metadata: {
            name: 'discovered',
            namespace: 'acme',
            annotations: { 'backstage.io/managed-by-location': LOCATION },
          },
          spec: {},
        },
      ],
    });
    await backend.register(['acme', 'orders', 'dev']);
  });

  afterAll(async () => {
    await gitlab.stop();
  });

  const check = (name: string, user = 'dev') =>
    backend.get(`tenants/acme/product-names/${name}`, as(user));

  it('answers where a name is taken: the registry, the catalog, GitLab', async () => {
    expect((await check('orders')).body).toEqual({
      tenant: 'acme',
      name: 'orders',
      available: false,
      takenBy: 'registry',
      message:
        'dataproduct:acme/orders is registered already (revision 1): choose another name',
    });
    expect((await check('discovered')).body).toEqual({
      tenant: 'acme',
      name: 'discovered',
      available: false,
      takenBy: 'catalog',
      message: `dataproduct:acme/discovered is in the catalog already (from ${LOCATION}): choose another name`,
    });
    expect((await check('legacy', 'olga')).body).toMatchObject({
      available: false,
      takenBy: 'gitlab',
      message:
        'The GitLab project data-products/acme/legacy exists already: choose another name',
    });
    expect((await check('fresh')).body).toEqual({
      tenant: 'acme',
      name: 'fresh',
      available: true,
    });
  });

  it('refuses an invalid name, consumers and other tenants', async () => {
    const invalid = await check('Bad_Name');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toBe(
      '"Bad_Name" is not a data product name: lowercase letters, digits and dashes',
    );
    expect((await check('fresh', 'con')).status).toBe(403);
    expect((await check('fresh', 'gus')).status).toBe(404);
  });

  it('answers for the registry and the catalog when GitLab is down, saying so, within seconds', async () => {
    const port = Number(new URL(gitlab.baseUrl).port);
    await gitlab.stop();
    const started = Date.now();
    try {
      expect((await check('fresh')).body).toEqual({
        tenant: 'acme',
        name: 'fresh',
        available: true,
        unchecked: ['gitlab'],
      });
      expect((await check('orders')).body.takenBy).toBe('registry');
    } finally {
      await gitlab.start(port);
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
