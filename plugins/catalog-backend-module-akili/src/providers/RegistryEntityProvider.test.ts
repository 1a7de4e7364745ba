import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
// eslint-disable-next-line @backstage/no-mixed-plugin-imports -- the real control plane, in tests only
import akiliPlugin from '@akili/plugin-akili-backend';
import { userInfoFromDirectory } from '@akili/plugin-akili-node/testUtils';
import { testManifestYaml } from '../__testUtils__/manifests';
import catalogModuleAkili from '..';

jest.setTimeout(120_000);

const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
};

/**
 * The registry provider inside a real catalog, beside the real control plane (each plugin on the
 * test backend's SQLite) and a folder provider: products submitted to the registry appear in
 * their registry tenant's namespace; a product the folder gives stays the folder's.
 */
describe('the registry provider (real catalog and control plane)', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'akili-registry-'));

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'revenue'));
    fs.writeFileSync(
      path.join(dir, 'revenue/dataproduct.yaml'),
      testManifestYaml('acme', 'revenue', { title: 'Revenue from the folder' }),
    );
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleAkili,
        akiliPlugin,
        eventsServiceFactory,
        schedulerServiceFactory,
        userInfoFromDirectory(directory),
        mockServices.rootConfig.factory({
          data: {
            akili: {
              tenants: {
                seed: [
                  { name: 'acme', title: 'ACME' },
                  { name: 'globex', title: 'Globex' },
                ],
              },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              providers: {
                akiliDataProducts: {
                  folder: {
                    folder: dir,
                    tenant: 'acme',
                    schedule: {
                      frequency: { seconds: 2 },
                      timeout: { seconds: 30 },
                    },
                  },
                },
                // Rarely on schedule: the product.registered event brings the products.
                akiliRegistry: {
                  schedule: {
                    frequency: { minutes: 10 },
                    timeout: { seconds: 30 },
                  },
                },
              },
            },
          },
        }),
      ],
    }));
  });

  const entity = (ref: string) =>
    request(server)
      .get(`/api/catalog/entities/by-name/${ref}`)
      .set('Authorization', mockCredentials.user.header());
  const waitFor = async <T>(
    fn: () => Promise<T | undefined>,
    what: string,
  ): Promise<T> => {
    for (let i = 0; i < 150; i++) {
      const value = await fn();
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const submit = (tenant: string, text: string) =>
    request(server)
      .post(`/api/akili/v1/tenants/${tenant}/products`)
      .set('Authorization', mockCredentials.user.header('user:default/dev'))
      .set('Content-Type', 'application/yaml')
      .send(text);

  it('emits a submitted product in its registry tenant, whatever namespace its text claims', async () => {
    // Submitted to acme with a text claiming globex: the registry stores it as acme's.
    const submitted = await submit(
      'acme',
      testManifestYaml('globex', 'orders', { title: 'Orders', owner: 'sales' }),
    );
    expect(submitted.status).toBe(201);

    const orders = await waitFor(async () => {
      const res = await entity('dataproduct/acme/orders');
      return res.status === 200 ? res.body : undefined;
    }, 'dataproduct:acme/orders from the registry');
    expect(orders.metadata.namespace).toBe('acme');
    expect(orders.metadata.title).toBe('Orders');
    expect(orders.metadata.annotations['akili.io/registry-revision']).toBe('1');
    expect(orders.metadata.annotations['akili.io/manifest-source']).toMatch(
      /\/api\/akili\/v1\/tenants\/acme\/products\/orders$/,
    );
    expect(
      orders.relations.map((r: any) => `${r.type} ${r.targetRef}`),
    ).toEqual(expect.arrayContaining(['ownedBy group:acme/sales']));
    expect((await entity('dataproduct/globex/orders')).status).toBe(404);
  });

  it('leaves a product the folder gives to the folder', async () => {
    await waitFor(async () => {
      const res = await entity('dataproduct/acme/revenue');
      return res.status === 200 ? res.body : undefined;
    }, 'revenue from the folder');
    const submitted = await submit(
      'acme',
      testManifestYaml('acme', 'revenue', {
        title: 'Revenue from the registry',
      }),
    );
    expect(submitted.status).toBe(201);
    // Something else registered after it, so the registry has been read since.
    expect(
      (await submit('acme', testManifestYaml('acme', 'later'))).status,
    ).toBe(201);
    await waitFor(async () => {
      const res = await entity('dataproduct/acme/later');
      return res.status === 200 ? res.body : undefined;
    }, 'a later registered product');

    const revenue = await entity('dataproduct/acme/revenue');
    expect(revenue.body.metadata.title).toBe('Revenue from the folder');
    expect(revenue.body.metadata.annotations['akili.io/manifest-source']).toBe(
      path.join(dir, 'revenue/dataproduct.yaml'),
    );
    const all = await request(server)
      .get(
        '/api/catalog/entities?filter=kind=DataProduct,metadata.name=revenue',
      )
      .set('Authorization', mockCredentials.user.header());
    expect(all.body).toHaveLength(1);
  });

  it('hands a registered product over when its source appears in the folder', async () => {
    expect(
      (
        await submit(
          'acme',
          testManifestYaml('acme', 'shipments', { title: 'From the registry' }),
        )
      ).status,
    ).toBe(201);
    await waitFor(async () => {
      const res = await entity('dataproduct/acme/shipments');
      return res.body?.metadata?.title === 'From the registry'
        ? res.body
        : undefined;
    }, 'shipments from the registry');

    fs.mkdirSync(path.join(dir, 'shipments'));
    fs.writeFileSync(
      path.join(dir, 'shipments/dataproduct.yaml'),
      testManifestYaml('acme', 'shipments', { title: 'From the folder' }),
    );
    // The registry releases it and the folder's version replaces it (no scan of 10 minutes).
    const taken = await waitFor(async () => {
      const res = await entity('dataproduct/acme/shipments');
      return res.body?.metadata?.title === 'From the folder'
        ? res.body
        : undefined;
    }, 'shipments from the folder');
    expect(
      taken.metadata.annotations['akili.io/registry-revision'],
    ).toBeUndefined();
  });
});
