import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GitlabTestServer, TestProject } from '@akili/gitlab-test-server';
import {
  DEFAULT_EVENT_OUTBOX_TABLE,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import {
  testManifestYaml,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import { Knex } from 'knex';
import { akiliPlugin } from '../../plugin';

/** Developers, an operator and a consumer of acme; a developer of globex. */
const directory: Record<string, string[]> = {
  'user:default/dev': ['user:default/dev', 'group:akili/acme.developer'],
  'user:default/olga': ['user:default/olga', 'group:akili/acme.operator'],
  'user:default/con': ['user:default/con', 'group:akili/acme.consumer'],
  'user:default/gus': ['user:default/gus', 'group:akili/globex.developer'],
};

/** The `Authorization` header of a user of the directory (`dev`, `olga`, `con`, `gus`). */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** An Akili manifest of `tenant`'s product `name` (version 1.4.0). */
export const manifestText = (tenant: string, name: string) =>
  testManifestYaml(tenant, name, { version: '1.4.0', lifecycle: 'production' });

/** Polls `fn` until it returns something truthy (the backend follows pipelines every 50 ms). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>) {
  for (let i = 0; i < 200; i++) {
    const value = await fn();
    if (value) {
      return value;
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  throw new Error('timed out waiting');
}

/** Adds a project on its default branch `main` with a manifest to the GitLab test server. */
export function addProject(
  gitlab: GitlabTestServer,
  id: number,
  path: string,
  extra: Partial<TestProject> = {},
) {
  gitlab.addProject({
    id,
    pathWithNamespace: path,
    defaultBranch: 'main',
    files: { main: { 'dataproduct.yaml': 'x' } },
    ...extra,
  });
}

/**
 * The control plane on `knex` with the GitLab test server (root group `data-products`, tenants
 * acme and globex, pipelines polled every 50 ms), and helpers for its deployment routes.
 */
export async function startDeploymentsBackend(options: {
  knex: Knex;
  gitlab: GitlabTestServer;
  features?: BackendFeature[];
  /** What the catalog holds (default nothing). */
  entities?: Entity[];
}) {
  const { knex, gitlab } = options;
  const backend = await startTestBackend({
    features: [
      akiliPlugin,
      userInfoFromDirectory(directory),
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          integrations: { gitlab: [gitlab.integrationConfig()] },
          akili: {
            tenancy: { gitlab: { rootGroup: 'data-products' } },
            deployments: { pollIntervalMs: 50, gitlabTimeoutMs: 2000 },
            tenants: {
              seed: [
                { name: 'acme', title: 'ACME' },
                { name: 'globex', title: 'Globex' },
              ],
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: options.entities ?? [] }),
      ...(options.features ?? []),
    ],
  });
  const { server } = backend;

  /** Registers products (tenant, name, user), failing the test on anything but 201. */
  const register = async (...products: [string, string, string][]) => {
    for (const [tenant, name, user] of products) {
      const res = await request(server)
        .post(`/api/akili/v1/tenants/${tenant}/products`)
        .set('Authorization', as(user))
        .set('Content-Type', 'application/yaml')
        .send(manifestText(tenant, name));
      if (res.status !== 201) {
        throw new Error(`registering ${tenant}/${name}: ${res.status}`);
      }
    }
  };
  const deploy = (tenant: string, name: string, auth = as('dev')) =>
    request(server)
      .post(`/api/akili/v1/tenants/${tenant}/products/${name}/deploy`)
      .set('Authorization', auth);
  const get = (path: string, auth = as('dev')) =>
    request(server).get(`/api/akili/v1/${path}`).set('Authorization', auth);
  const statusOf = async (tenant: string, name: string, id: string) =>
    (await get(`tenants/${tenant}/products/${name}/deployments/${id}`)).body
      .status;

  return { backend, server, register, deploy, get, statusOf };
}

/** The deployment events in the outbox of `tenant`, oldest first. */
export async function deploymentEvents(knex: Knex, tenant: string) {
  const db = TenantScopedDatabase.create(knex);
  const rows: Array<{ payload: string }> = await db.withTenant(tenant, tx =>
    db.scoped(tx, DEFAULT_EVENT_OUTBOX_TABLE).select('payload').orderBy('id'),
  );
  return rows
    .map(row => JSON.parse(row.payload))
    .filter(event => event.type.startsWith('product.deploy'));
}
