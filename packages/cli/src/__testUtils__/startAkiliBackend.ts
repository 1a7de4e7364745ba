import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockApiTokenHeader,
  mockApiTokenResolverFactory,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import akiliPlugin from '@akili/plugin-akili-backend';
import { GitlabTestServer } from '@akili/gitlab-test-server';

/**
 * The Akili control plane as the CLI meets it: the real akili-backend plugin on a real HTTP
 * port (SQLite), with users of tenant roles and API tokens of one tenant each. With `gitlab`,
 * deployments run pipelines there (tenant groups under `data-products`), followed every 50 ms.
 */
export async function startAkiliBackend(
  options: { gitlab?: GitlabTestServer } = {},
) {
  const { server } = await startTestBackend({
    features: [
      akiliPlugin,
      userInfoFromDirectory({
        'user:default/olga': [
          'user:default/olga',
          'group:akili/acme.operator',
          'group:akili/globex.consumer',
        ],
      }),
      mockApiTokenResolverFactory([
        {
          tokenId: 'acme.ci',
          tenant: 'acme',
          permissions: [
            'akili.product.read',
            'akili.product.submit',
            'akili.product.deploy',
          ],
        },
        {
          tokenId: 'acme.reader',
          tenant: 'acme',
          permissions: ['akili.product.read'],
        },
      ]),
      mockServices.rootConfig.factory({
        data: {
          ...(options.gitlab
            ? {
                integrations: {
                  gitlab: [options.gitlab.integrationConfig()],
                },
              }
            : {}),
          akili: {
            ...(options.gitlab
              ? {
                  tenancy: { gitlab: { rootGroup: 'data-products' } },
                  deployments: { pollIntervalMs: 50 },
                }
              : {}),
            tenants: {
              seed: [
                { name: 'acme', title: 'ACME Retail' },
                { name: 'globex', title: 'Globex Logistics' },
              ],
            },
          },
        },
      }),
      catalogServiceMock.factory({ entities: [] }),
    ],
  });
  const { port } = server.address() as AddressInfo;
  /** The `Authorization: Bearer` value without its scheme: what `akili login --token` takes. */
  const bearer = (header: string) => header.replace(/^Bearer /, '');
  return {
    url: `http://localhost:${port}`,
    tokens: {
      acmeCi: bearer(mockApiTokenHeader('acme.ci')),
      acmeReader: bearer(mockApiTokenHeader('acme.reader')),
      olga: mockCredentials.user.token('user:default/olga'),
    },
  };
}
