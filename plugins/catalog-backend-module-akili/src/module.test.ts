import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import eventsPlugin from '@backstage/plugin-events-backend';
import { ConfigReader } from '@backstage/config';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import {
  EventsService,
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { requireTestDatabaseIds } from '@akili/plugin-akili-node/testUtils';
import { eventsModuleGitlabFeatures } from './__testUtils__/eventsModuleGitlab';
import { testManifestYaml } from './__testUtils__/manifests';
import catalogModuleAkili, { assertGitlabEventsNeedTheSecret } from '.';

jest.setTimeout(120_000);

/** The module inside a real catalog, on PostgreSQL and on SQLite. */
describe.each(requireTestDatabaseIds())(
  'catalog module akili on %s',
  databaseId => {
    const databases = TestDatabases.create({ ids: [databaseId] });

    it('ingests products with lineage, and keeps the last good version of a product that turns bad', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-module-'));
      const write = (rel: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      };
      write(
        'orders/dataproduct.yaml',
        testManifestYaml('acme', 'orders', { title: 'Orders v1' }),
      );
      write(
        'revenue/dataproduct.yaml',
        testManifestYaml('acme', 'revenue', {
          inputs: [
            { product: 'orders', port: 'main' },
            { product: 'ghost', port: 'main' },
          ],
        }),
      );

      const knex = await databases.init(databaseId);
      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleAkili,
          eventsServiceFactory,
          // The real scheduler, so the provider rescans the folder every second.
          schedulerServiceFactory,
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                processingInterval: { seconds: 1 },
                providers: {
                  akiliDataProducts: {
                    test: {
                      folder: dir,
                      tenant: 'acme',
                      schedule: {
                        frequency: { seconds: 1 },
                        timeout: { seconds: 30 },
                      },
                    },
                  },
                },
              },
            },
          }),
        ],
      });
      const auth = mockCredentials.user.header();
      const get = (url: string) =>
        request(server).get(url).set('Authorization', auth);
      const waitFor = async <T>(
        fn: () => Promise<T | undefined>,
        what: string,
      ): Promise<T> => {
        for (let i = 0; i < 300; i++) {
          const value = await fn();
          if (value !== undefined) return value;
          await new Promise(r => setTimeout(r, 200));
        }
        throw new Error(`timed out waiting for ${what}`);
      };

      const revenue = await waitFor(async () => {
        const res = await get(
          '/api/catalog/entities/by-name/dataproduct/acme/revenue',
        );
        const deps =
          res.body?.relations?.filter((r: any) => r.type === 'dependsOn') ?? [];
        return res.status === 200 && deps.length === 2 ? res.body : undefined;
      }, 'revenue with its lineage');
      expect(
        revenue.relations.map((r: any) => `${r.type} ${r.targetRef}`).sort(),
      ).toEqual([
        'dependsOn dataproduct:acme/ghost', // unresolved upstream: a relation to nothing, not a crash
        'dependsOn dataproduct:acme/orders',
        'ownedBy group:acme/acme-team', // the owner's short name, in the product's tenant
        'partOf domain:default/sales',
      ]);
      const orders = await waitFor(async () => {
        const res = await get(
          '/api/catalog/entities/by-name/dataproduct/acme/orders',
        );
        return res.body?.relations?.some((r: any) => r.type === 'dependencyOf')
          ? res.body
          : undefined;
      }, 'orders with its downstream');
      expect(orders.metadata.title).toBe('Orders v1');

      // The file turns bad: the catalog keeps "Orders v1" and shows the problem on it.
      write(
        'orders/dataproduct.yaml',
        testManifestYaml('acme', 'orders', { title: 'Orders v2' }).replace(
          'lifecycle: production',
          'lifecycle: [1, 2]',
        ),
      );
      const failing = await waitFor(async () => {
        const res = await get(
          '/api/catalog/entities/by-name/dataproduct/acme/orders',
        );
        return res.body?.status?.items?.length ? res.body : undefined;
      }, 'the processing error on orders');
      expect(failing.metadata.title).toBe('Orders v1');
      expect(failing.status.items[0].error.message).toContain(
        '$.spec.lifecycle',
      );
      // The other product is untouched.
      expect(
        (await get('/api/catalog/entities/by-name/dataproduct/acme/revenue'))
          .status,
      ).toBe(200);

      // Fixed again: the new version replaces the old one and the error goes away.
      write(
        'orders/dataproduct.yaml',
        testManifestYaml('acme', 'orders', { title: 'Orders v2' }),
      );
      const fixed = await waitFor(async () => {
        const res = await get(
          '/api/catalog/entities/by-name/dataproduct/acme/orders',
        );
        return res.body?.metadata?.title === 'Orders v2' &&
          !res.body.status?.items?.length
          ? res.body
          : undefined;
      }, 'the fixed orders');
      expect(fixed.spec.outputPorts[0].schema[1].classification).toBe('pii');
    });

    it('reprocesses a product at once when an Akili event says it was registered or deployed', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-refresh-'));
      fs.mkdirSync(path.join(dir, 'orders'));
      fs.writeFileSync(
        path.join(dir, 'orders/dataproduct.yaml'),
        testManifestYaml('acme', 'orders'),
      );
      fs.mkdirSync(path.join(dir, 'revenue'));
      fs.writeFileSync(
        path.join(dir, 'revenue/dataproduct.yaml'),
        testManifestYaml('acme', 'revenue'),
      );
      const processed: string[] = [];
      let events: EventsService | undefined;
      const knex = await databases.init(databaseId);
      await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleAkili,
          eventsServiceFactory,
          schedulerServiceFactory,
          // Counts each processing of a data product.
          createBackendModule({
            pluginId: 'catalog',
            moduleId: 'processing-spy',
            register(reg) {
              reg.registerInit({
                deps: { catalog: catalogProcessingExtensionPoint },
                async init({ catalog }) {
                  catalog.addProcessor({
                    getProcessorName: () => 'ProcessingSpy',
                    async preProcessEntity(entity: Entity) {
                      if (entity.kind === 'DataProduct') {
                        processed.push(stringifyEntityRef(entity));
                      }
                      return entity;
                    },
                  });
                },
              });
            },
          }),
          createBackendPlugin({
            pluginId: 'publisher',
            register(reg) {
              reg.registerInit({
                deps: { service: eventsServiceRef },
                async init({ service }) {
                  events = service;
                },
              });
            },
          }),
          mockServices.database.factory({ knex }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                // Without the event, the products would not be processed again for an hour.
                processingInterval: { minutes: 60 },
                providers: {
                  akiliDataProducts: {
                    test: {
                      folder: dir,
                      tenant: 'acme',
                      schedule: {
                        frequency: { minutes: 60 },
                        timeout: { seconds: 30 },
                      },
                    },
                  },
                },
              },
            },
          }),
        ],
      });
      const count = (ref: string) => processed.filter(r => r === ref).length;
      const until = async (what: string, ok: () => boolean) => {
        for (let i = 0; i < 300 && !ok(); i++) {
          await new Promise(r => setTimeout(r, 100));
        }
        if (!ok()) throw new Error(`timed out waiting for ${what}`);
      };
      await until(
        'the first processing',
        () =>
          count('dataproduct:acme/orders') >= 1 &&
          count('dataproduct:acme/revenue') >= 1,
      );
      // Let the first round settle (the stitching may process an entity twice).
      await new Promise(r => setTimeout(r, 1500));
      const ordersBefore = count('dataproduct:acme/orders');
      const revenueBefore = count('dataproduct:acme/revenue');

      const publish = (type: string, tenant: string, subject: string) =>
        events!.publish({
          topic: `akili.${type}`,
          eventPayload: { type, tenant, subject, id: 'x', version: 1 },
        });
      await publish('product.registered', 'acme', 'dataproduct:acme/orders');
      await until(
        'orders processed again',
        () => count('dataproduct:acme/orders') > ordersBefore,
      );
      // Only the product the event is about; an event naming another tenant's product as its
      // subject changes nothing.
      await publish('product.deployed', 'globex', 'dataproduct:acme/revenue');
      await publish('product.deployed', 'acme', 'dataproduct:acme/orders');
      await until(
        'orders processed a third time',
        () => count('dataproduct:acme/orders') > ordersBefore + 1,
      );
      expect(count('dataproduct:acme/revenue')).toBe(revenueBefore);
    });
  },
);

/**
 * The module with the events backend and its GitLab module, as the portal loads them. These
 * tests are about who may change products, not about the store: SQLite only.
 */
describe('catalog module akili with GitLab push events', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const gitlab = new GitlabTestServer();
  beforeAll(() => gitlab.start());
  afterAll(() => gitlab.stop());

  const until = async <T>(
    what: string,
    fn: () => Promise<T | undefined>,
  ): Promise<T> => {
    for (let i = 0; i < 150; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  it("applies a push only with GitLab's webhook secret", async () => {
    gitlab.addProject({
      id: 1,
      pathWithNamespace: 'data/acme/orders',
      defaultBranch: 'main',
      files: {
        main: {
          'dataproduct.yaml': testManifestYaml('acme', 'orders', {
            title: 'Orders v1',
          }),
        },
      },
    });
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleAkili,
        eventsPlugin,
        ...eventsModuleGitlabFeatures(),
        eventsServiceFactory,
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            integrations: { gitlab: [gitlab.integrationConfig()] },
            events: { modules: { gitlab: { webhookSecret: 'the-secret' } } },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: {
                akiliDataProducts: {
                  gl: {
                    gitlab: { host: gitlab.host, group: 'data' },
                    // One scan at start-up: later changes arrive only through pushes.
                    schedule: {
                      frequency: { minutes: 60 },
                      timeout: { seconds: 30 },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const title = async () =>
      (
        await request(server)
          .get('/api/catalog/entities/by-name/dataproduct/acme/orders')
          .set('Authorization', mockCredentials.user.header())
      ).body?.metadata?.title as string | undefined;
    await until('orders v1', async () =>
      (await title()) === 'Orders v1' ? true : undefined,
    );

    gitlab.projects.get(1)!.files.main['dataproduct.yaml'] = testManifestYaml(
      'acme',
      'orders',
      { title: 'Orders v2' },
    );
    const push = gitlab.pushEvent(1, { modified: ['dataproduct.yaml'] });
    const post = (token?: string) => {
      const req = request(server)
        .post('/api/events/http/gitlab')
        .set('X-Gitlab-Event', 'Push Hook')
        .set('Content-Type', 'application/json');
      return (token ? req.set('X-Gitlab-Token', token) : req).send(push);
    };
    expect((await post()).status).toBe(403);
    expect((await post('not-the-secret')).status).toBe(403);
    // GitLab was not even asked about the project, and processing rounds later nothing changed.
    await new Promise(r => setTimeout(r, 1500));
    expect(
      gitlab.requests.filter(r => r.startsWith('GET /api/v4/projects/1')),
    ).toEqual([
      expect.stringMatching(/^GET \/api\/v4\/projects\/1\/repository\/tree/),
      expect.stringMatching(/^GET \/api\/v4\/projects\/1\/repository\/files/),
    ]);
    expect(await title()).toBe('Orders v1');

    expect((await post('the-secret')).status).toBe(202);
    await until('orders v2', async () =>
      (await title()) === 'Orders v2' ? true : undefined,
    );
  });

  it("refuses to start with an events ingress that would take GitLab's topics without the secret", async () => {
    for (const topic of ['gitlab', 'gitlab.push']) {
      expect(() =>
        assertGitlabEventsNeedTheSecret(
          new ConfigReader({ events: { http: { topics: ['other', topic] } } }),
        ),
      ).toThrow(
        `events.http.topics must not list ${topic}: it would accept GitLab push events without GitLab's webhook secret`,
      );
    }
    expect(() =>
      assertGitlabEventsNeedTheSecret(
        new ConfigReader({ events: { http: { topics: ['other'] } } }),
      ),
    ).not.toThrow();
  });

  it("keeps one provider's tenant from taking another provider's product", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-two-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    // acme's folder (scanned first) holds a manifest naming globex's product.
    write(
      'acme/fleet/dataproduct.yaml',
      testManifestYaml('globex', 'fleet', { title: 'Forged by acme' }),
    );
    write(
      'globex/fleet/dataproduct.yaml',
      testManifestYaml('globex', 'fleet', { title: 'Fleet' }),
    );
    const knex = await databases.init('SQLITE_3');
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleAkili,
        eventsServiceFactory,
        schedulerServiceFactory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              providers: {
                akiliDataProducts: {
                  acme: {
                    folder: path.join(root, 'acme'),
                    tenant: 'acme',
                    schedule: {
                      frequency: { minutes: 60 },
                      timeout: { seconds: 30 },
                      initialDelay: { seconds: 0 },
                    },
                  },
                  globex: {
                    folder: path.join(root, 'globex'),
                    tenant: 'globex',
                    schedule: {
                      frequency: { minutes: 60 },
                      timeout: { seconds: 30 },
                      initialDelay: { seconds: 2 },
                    },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    const fleet = await until('globex/fleet', async () => {
      const res = await request(server)
        .get('/api/catalog/entities/by-name/dataproduct/globex/fleet')
        .set('Authorization', mockCredentials.user.header());
      return res.status === 200 ? res.body : undefined;
    });
    expect(fleet.metadata.title).toBe('Fleet');
    expect(fleet.metadata.annotations['backstage.io/managed-by-location']).toBe(
      `file:${path.join(root, 'globex/fleet/dataproduct.yaml')}`,
    );
  });
});
