import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';

const repoRoot = path.resolve(__dirname, '../../..');

jest.setTimeout(120_000);

/**
 * The catalog of the portal, with the example catalog of `make dev`, on each store the
 * portal supports: SQLite (local default) and PostgreSQL (production).
 */
describe.each(requireTestDatabaseIds())('catalog on %s', databaseId => {
  const databases = TestDatabases.create({ ids: [databaseId] });

  it('ingests and serves the example catalog', async () => {
    const knex = await databases.init(databaseId);
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'Resource',
                    'Location',
                    'Domain',
                    'Group',
                    'User',
                  ],
                },
              ],
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'examples/all.yaml'),
                },
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog-info.yaml'),
                },
                // As app-config.yaml: the generated API entities, APIs only.
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog/apis.yaml'),
                  rules: [{ allow: ['API'] }],
                },
              ],
            },
          },
        }),
      ],
    });

    const auth = mockCredentials.user.header();
    const expected = {
      // The portal and the CLI (catalog-info.yaml), and the Akili APIs (catalog/apis.yaml).
      Component: 2,
      API: 7,
      System: 1,
      Resource: 6,
      Domain: 3,
      Group: 18,
      User: 3,
    };
    let kinds: Record<string, number> = {};
    // Ingestion is asynchronous: poll until every kind has arrived (or give up after ~60 s).
    for (let attempt = 0; attempt < 300; attempt++) {
      const res = await request(server)
        .get('/api/catalog/entity-facets?facet=kind')
        .set('Authorization', auth);
      expect(res.status).toBe(200);
      const seen: Record<string, number> = Object.fromEntries(
        res.body.facets.kind.map((f: { value: string; count: number }) => [
          f.value,
          f.count,
        ]),
      );
      kinds = seen;
      if (Object.entries(expected).every(([k, n]) => seen[k] === n)) break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    expect(kinds).toMatchObject(expected);

    // Relations are stitched: the portal depends on the platform's resources.
    const portal = await request(server)
      .get('/api/catalog/entities/by-name/component/default/akili-portal')
      .set('Authorization', auth);
    expect(portal.status).toBe(200);
    expect(
      portal.body.relations
        .filter((r: { type: string }) => r.type === 'dependsOn')
        .map((r: { targetRef: string }) => r.targetRef)
        .sort(),
    ).toContain('resource:default/akili-postgres');
    // It provides the Akili APIs, generated from the backend plugins' OpenAPI specs.
    expect(
      portal.body.relations
        .filter((r: { type: string }) => r.type === 'providesApi')
        .map((r: { targetRef: string }) => r.targetRef),
    ).toContain('api:default/akili-starrocks-api');

    // The guest of `make dev` is an ACME developer through the role group the tenant policy reads;
    // a shared user is a member of shared groups only (a tenant's team would show to everyone).
    const guest = await request(server)
      .get('/api/catalog/entities/by-name/user/default/guest')
      .set('Authorization', auth);
    expect(
      guest.body.relations
        .filter((r: { type: string }) => r.type === 'memberOf')
        .map((r: { targetRef: string }) => r.targetRef)
        .sort(),
    ).toEqual(['group:akili/acme.developer']);
  });
});
