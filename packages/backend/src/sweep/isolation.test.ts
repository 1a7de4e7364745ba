import type { Server } from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import {
  akiliCoverage,
  Coverage,
  coverageMessage,
  dropSweepDatabases,
  send,
  sweepDatabases,
} from './__testUtils__/harness';
import {
  findLeaks,
  TenantMarkers,
  tenantMarkers,
} from './__testUtils__/markers';
import {
  requestFor,
  TENANT_A,
  TENANT_B,
  TenantFixture,
} from './__testUtils__/routeTable';
import {
  repoRoot,
  startSweepBackend,
  SweepUser,
} from './__testUtils__/sweepBackend';
import { issueUserToken } from './__testUtils__/tokens';

jest.setTimeout(300_000);

interface Viewer {
  user: SweepUser;
  own: TenantFixture;
  other: TenantFixture;
}

/** alice is a developer and operator of acme, bob of globex; neither is a platform admin. */
const VIEWERS: Viewer[] = [
  { user: 'alice', own: TENANT_A, other: TENANT_B },
  { user: 'bob', own: TENANT_B, other: TENANT_A },
];

const productCount = (tenant: string) =>
  fs.readdirSync(path.join(repoRoot, 'examples/data-products', tenant)).length;

async function poll<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

/**
 * Every Akili route, called by a member of one tenant with their own tenant's resources and
 * with another tenant's, plus the catalog and search reads: no tenant's data reaches a member
 * of another tenant.
 */
describe.each(sweepDatabases())(
  'tenant isolation sweep on %s',
  (_id, database) => {
    let stop: () => Promise<void>;
    let server: Server;
    let coverage: Coverage;
    const tokens = {} as Record<SweepUser, string>;
    const markers = {} as Record<SweepUser, TenantMarkers>;

    const as = (user: SweepUser) => `Bearer ${tokens[user]}`;
    const get = (user: SweepUser, url: string) =>
      send(server, 'GET', url, { authorization: as(user) });

    beforeAll(async () => {
      const started = await startSweepBackend(database);
      stop = () => started.backend.stop();
      server = started.server;
      coverage = akiliCoverage(server);
      for (const { user, own, other } of VIEWERS) {
        tokens[user] = await issueUserToken(server, user);
        markers[user] = tenantMarkers(other.tenant, own.tenant);
      }
      // Wait until each tenant's members see all of its example data products.
      for (const { user, own } of VIEWERS) {
        await poll(`the data products of ${own.tenant}`, async () => {
          const res = await get(
            user,
            `/api/catalog/entities/by-query?filter=kind=dataproduct,metadata.namespace=${own.tenant}&limit=100`,
          );
          return res.body.totalItems === productCount(own.tenant) || undefined;
        });
      }
      // The shared org (examples/all.yaml) is another location, ingested on its own schedule:
      // wait for the tenants' shared groups too, which every signed-in user may read.
      for (const { user, other } of VIEWERS) {
        await poll(`the shared group default/${other.tenant}`, async () => {
          const res = await get(
            user,
            `/api/catalog/entities/by-name/group/default/${other.tenant}`,
          );
          return res.status === 200 || undefined;
        });
      }
    });

    afterAll(async () => {
      await stop?.();
      await dropSweepDatabases(database);
    });

    it('knows how to call every mounted Akili route', () => {
      expect(coverageMessage(coverage)).toBe('');
    });

    it("has markers that recognise the other tenant's data", async () => {
      expect(markers.alice.strings).toEqual(
        expect.arrayContaining(['driver_card_id', 'Vehicle telemetry']),
      );
      expect(markers.alice.allowedRefs).toEqual(new Set(['globex/shipments']));
      // The markers trip on globex's data as its own members get it.
      const export_ = await get(
        'bob',
        '/api/akili/v1/products/globex/vehicle-telemetry/export?format=odcs&port=positions',
      );
      expect(export_.status).toBe(200);
      expect(findLeaks(export_.text, markers.alice)).toEqual(
        expect.arrayContaining(['driver_card_id']),
      );
      const entity = await get(
        'bob',
        '/api/catalog/entities/by-name/dataproduct/globex/shipments',
      );
      expect(findLeaks(entity.text, markers.alice)).toContain(
        '"namespace":"globex"',
      );
      const tenant = await get('bob', '/api/akili/v1/tenants/globex');
      expect(findLeaks(tenant.text, markers.alice)).toContain(
        'akili-globex-developer',
      );
    });

    describe.each(VIEWERS)('as $user', ({ user, own, other }) => {
      it(`answers as the table says with ${own.tenant}'s own resources`, async () => {
        const problems: string[] = [];
        for (const route of coverage.routes) {
          const { url, body } = requestFor(route.path, route.call, own);
          const res = await send(server, route.method, url, {
            authorization: as(user),
            body,
          });
          if (res.status !== route.call.own) {
            problems.push(
              `${route.method} ${url}: ${res.status}, the table says ${
                route.call.own
              }: ${res.text.slice(0, 300)}`,
            );
          }
          const leaks = findLeaks(res.text, markers[user]);
          if (leaks.length) {
            problems.push(
              `${route.method} ${url}: ${other.tenant} data ${leaks.join(
                ', ',
              )}`,
            );
          }
        }
        expect(problems).toEqual([]);
        // Not vacuous: reads answered 2xx.
        expect(
          coverage.routes.filter(r => r.call.own < 300).length,
        ).toBeGreaterThanOrEqual(5);
      });

      it(`gets nothing of ${other.tenant} through its resources`, async () => {
        const problems: string[] = [];
        const answers: string[] = [];
        for (const route of coverage.routes) {
          const { url, body } = requestFor(route.path, route.call, other);
          const res = await send(server, route.method, url, {
            authorization: as(user),
            body,
          });
          answers.push(`${route.method} ${url} ${res.status}`);
          // 403 and 404 may echo the request (the other tenant's name): no data in them.
          if (res.status === 403 || res.status === 404) continue;
          const leaks = findLeaks(res.text, markers[user]);
          if (leaks.length) {
            problems.push(
              `${route.method} ${url}: ${res.status} with ${
                other.tenant
              } data ${leaks.join(', ')}`,
            );
          }
        }
        expect(problems).toEqual([]);
        expect(answers.length).toBe(coverage.routes.length);
      });

      it(`reads the catalog without ${other.tenant}'s entities`, async () => {
        const reads = [
          '/api/catalog/entities',
          '/api/catalog/entities?filter=kind=dataproduct',
          '/api/catalog/entities/by-query?limit=500',
          `/api/catalog/entities/by-query?filter=metadata.namespace=${other.tenant}`,
          '/api/catalog/entity-facets?facet=metadata.namespace',
          '/api/catalog/entity-facets?facet=spec.type',
          `/api/catalog/entities/by-name/group/default/${other.tenant}`,
        ];
        const problems: string[] = [];
        for (const url of reads) {
          const res = await get(user, url);
          if (res.status !== 200) problems.push(`GET ${url}: ${res.status}`);
          const leaks = findLeaks(res.text, markers[user]);
          if (leaks.length) {
            problems.push(
              `GET ${url}: ${other.tenant} data ${leaks.join(', ')}`,
            );
          }
        }
        expect(problems).toEqual([]);

        // Own products are there (not vacuous), the other tenant's are not.
        const products = await get(
          user,
          '/api/catalog/entities/by-query?filter=kind=dataproduct&limit=100',
        );
        expect(products.body.totalItems).toBe(productCount(own.tenant));
        const namespaces = await get(
          user,
          '/api/catalog/entity-facets?facet=metadata.namespace',
        );
        const seen = namespaces.body.facets['metadata.namespace'].map(
          (f: { value: string }) => f.value,
        );
        expect(seen).toContain(own.tenant);
        expect(seen).not.toContain(other.tenant);

        const byName = await get(
          user,
          `/api/catalog/entities/by-name/dataproduct/${other.tenant}/${other.product}`,
        );
        expect(byName.status).toBe(404);

        const byRefs = await send(
          server,
          'POST',
          '/api/catalog/entities/by-refs',
          {
            authorization: as(user),
            body: {
              contentType: 'application/json',
              data: {
                entityRefs: [
                  `dataproduct:${own.tenant}/${own.product}`,
                  `dataproduct:${other.tenant}/${other.product}`,
                  `group:default/${other.tenant}`,
                ],
              },
            },
          },
        );
        expect(byRefs.status).toBe(200);
        expect(byRefs.body.items[0]?.metadata.name).toBe(own.product);
        expect(byRefs.body.items[1]).toBeNull();
        expect(byRefs.body.items[2]?.metadata.name).toBe(other.tenant);
        expect(findLeaks(byRefs.text, markers[user])).toEqual([]);
      });
    });

    it('finds data products in search only for their own tenant', async () => {
      const term = 'driver_card_id';
      // The collator has indexed globex's products once bob finds the column's product.
      await poll('the search index', async () => {
        const res = await get('bob', `/api/search/query?term=${term}`);
        return (
          res.text.includes('/catalog/globex/dataproduct/vehicle-telemetry') ||
          undefined
        );
      });

      for (const { user } of VIEWERS) {
        for (const query of [
          `term=${term}`,
          'term=globex',
          'term=acme',
          'term=shipments',
          'term=&types%5B0%5D=software-catalog&pageLimit=100',
        ]) {
          const res = await get(user, `/api/search/query?${query}`);
          expect({ query, status: res.status }).toEqual({ query, status: 200 });
          expect({
            user,
            query,
            leaks: findLeaks(res.text, markers[user]),
          }).toEqual({ user, query, leaks: [] });
        }
      }
      // The engine matches parts of the term too ("card", "id"): alice may get acme's documents.
      const alice = await get('alice', `/api/search/query?term=${term}`);
      expect(
        alice.body.results.map(
          (r: { document: { location: string } }) => r.document.location,
        ),
      ).not.toContainEqual(expect.stringContaining('/catalog/globex/'));
    });
  },
);
