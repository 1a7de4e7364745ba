import { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  KubernetesAuthProviders,
  KubernetesBackendClient,
  kubernetesApiRef,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import type { ObjectsByEntityResponse } from '@backstage/plugin-kubernetes-common';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  DeploymentDrift,
  ProductDeployment,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import { ArgocdClient, argocdApiRef } from '../api';
import { ordersEntity } from './fixtures';

export const BASE = 'http://localhost:7007/api';

/** An answer of the test backend: a body, or a Backstage error with its status. */
export type Answer<T> = T | { status: number; name: string; message: string };

/** What the test backend answers, per route. */
export interface BackendAnswers {
  deployment: Answer<ProductDeployment>;
  drift?: Answer<DeploymentDrift>;
  sync?: Answer<SyncResponse>;
  identity?: AkiliIdentityInfo;
  kubernetes?: ObjectsByEntityResponse;
}

/** A request the test backend received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  body?: unknown;
}

function reply<T>(answer: Answer<T>) {
  if (
    answer &&
    typeof answer === 'object' &&
    'status' in answer &&
    typeof (answer as { status: unknown }).status === 'number'
  ) {
    const error = answer as { status: number; name: string; message: string };
    return HttpResponse.json(
      {
        error: { name: error.name, message: error.message },
        request: { method: 'GET', url: '' },
        response: { statusCode: error.status },
      },
      { status: error.status },
    );
  }
  return HttpResponse.json(answer as any);
}

/**
 * Serves the argocd backend's routes (`/api/argocd/v1/products/:namespace/:name/deployment...`),
 * the akili backend's `/v1/me` and the Kubernetes backend's routes through msw, with the
 * shapes the backends answer, and records every request.
 */
export function serveBackend(
  server: SetupServer,
  answers: BackendAnswers,
): ReceivedRequest[] {
  const received: ReceivedRequest[] = [];
  const record = async (request: Request) => {
    const text = request.method === 'POST' ? await request.text() : '';
    received.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body: text ? JSON.parse(text) : undefined,
    });
  };
  const product = `${BASE}/argocd/v1/products/:namespace/:name/deployment`;
  server.use(
    http.get(product, async ({ request }) => {
      await record(request);
      return reply(answers.deployment);
    }),
    http.get(`${product}/drift`, async ({ request }) => {
      await record(request);
      return reply(
        answers.drift ?? { status: 500, name: 'Error', message: 'no drift' },
      );
    }),
    http.post(`${product}/sync`, async ({ request }) => {
      await record(request);
      return reply(
        answers.sync ?? { status: 500, name: 'Error', message: 'no sync' },
      );
    }),
    http.get(`${BASE}/akili/v1/me`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(
        answers.identity ?? {
          userEntityRef: 'user:default/nobody',
          platformAdmin: false,
          tenants: [],
        },
      );
    }),
    http.get(`${BASE}/kubernetes/clusters`, () =>
      HttpResponse.json({
        items: [{ name: 'akili', authProvider: 'serviceAccount' }],
      }),
    ),
    http.post(`${BASE}/kubernetes/services/:name`, async ({ request }) => {
      await record(request);
      return HttpResponse.json(answers.kubernetes ?? { items: [] });
    }),
  );
  return received;
}

const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `${BASE}/${pluginId}`,
};
const fetchApi = { fetch: (input: any, init?: any) => fetch(input, init) };

/**
 * Renders `element` on the page of `entity` with the real clients (ArgoCD, Kubernetes) talking
 * to the msw backend, and a permission API that allows what `allow` names.
 */
export function renderForEntity(
  element: JSX.Element,
  options: { allow?: (permission: string) => boolean; entity?: Entity } = {},
) {
  const entity = options.entity ?? ordersEntity;
  const allow = options.allow ?? (() => true);
  const kubernetesAuthProvidersApi = new KubernetesAuthProviders({
    microsoftAuthApi: undefined as any,
    googleAuthApi: undefined as any,
  });
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        catalogApiMock({ entities: [entity] }),
        [argocdApiRef, new ArgocdClient({ discoveryApi, fetchApi })],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allow(request.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
        [kubernetesAuthProvidersApiRef, kubernetesAuthProvidersApi],
        [
          kubernetesApiRef,
          new KubernetesBackendClient({
            discoveryApi,
            fetchApi,
            kubernetesAuthProvidersApi,
          }),
        ],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
      ],
    },
  );
}
