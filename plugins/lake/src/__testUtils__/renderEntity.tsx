import type { ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import { LakeClient, lakeApiRef } from '../api';
import { churnEntity } from './fixtures';

export const BASE = 'http://localhost:7007/api';

/** A Backstage error answer: its status, `error.name` and message. */
export interface ErrorAnswer {
  status: number;
  name: string;
  message: string;
}

/** An answer of the test backend: a body, or a Backstage error. */
export type Answer = unknown | ErrorAnswer;

function isError(answer: Answer): answer is ErrorAnswer {
  return (
    typeof answer === 'object' &&
    answer !== null &&
    typeof (answer as ErrorAnswer).status === 'number' &&
    typeof (answer as ErrorAnswer).name === 'string'
  );
}

/** Answers as the Backstage backend does: the body, or its error JSON with the status. */
export function reply(answer: Answer) {
  if (isError(answer)) {
    return HttpResponse.json(
      {
        error: { name: answer.name, message: answer.message },
        request: { method: 'GET', url: '' },
        response: { statusCode: answer.status },
      },
      { status: answer.status },
    );
  }
  return HttpResponse.json(answer as any);
}

/** A request the test backend received: method, path, query and JSON body. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: any;
}

/** Reads a request the test backend received and keeps it in `received`. */
export function recorder(received: ReceivedRequest[]) {
  return async (request: Request): Promise<ReceivedRequest> => {
    const url = new URL(request.url);
    const text = request.method === 'POST' ? await request.text() : '';
    const entry = {
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
    };
    received.push(entry);
    return entry;
  };
}

/** Per route, the answer to a request (so a test can page or fail one call). */
export interface LakeRoutes {
  ports?: (req: ReceivedRequest) => Answer;
  objects?: (req: ReceivedRequest) => Answer;
  preview?: (req: ReceivedRequest) => Answer;
  download?: (req: ReceivedRequest) => Answer;
  usage?: (req: ReceivedRequest) => Answer;
  identity?: AkiliIdentityInfo;
  /** The platform health status (DependencyNotice); 404 by default (not installed). */
  platformStatus?: Answer;
}

const notServed = (route: string): ErrorAnswer => ({
  status: 500,
  name: 'Error',
  message: `the test serves no ${route}`,
});

/**
 * Serves the lake backend's routes (`/api/lake/v1/...`), the akili backend's `/v1/me` and the
 * platform health status through msw, with the shapes the backends answer, and records every
 * request to the lake.
 */
export function serveLake(
  server: SetupServer,
  routes: LakeRoutes,
): ReceivedRequest[] {
  const received: ReceivedRequest[] = [];
  const record = recorder(received);
  const port = `${BASE}/lake/v1/products/:namespace/:name/ports`;
  const handle =
    (route: keyof LakeRoutes) =>
    async ({ request }: { request: Request }) => {
      const entry = await record(request);
      const answer = routes[route] as
        | ((req: ReceivedRequest) => Answer)
        | undefined;
      return reply(answer ? answer(entry) : notServed(route));
    };
  server.use(
    http.get(port, handle('ports')),
    http.get(`${port}/:port/objects`, handle('objects')),
    http.get(`${port}/:port/preview`, handle('preview')),
    http.post(`${port}/:port/download`, handle('download')),
    http.get(`${BASE}/lake/v1/usage`, handle('usage')),
    http.get(`${BASE}/akili/v1/me`, () =>
      HttpResponse.json(
        routes.identity ?? {
          userEntityRef: 'user:default/nobody',
          platformAdmin: false,
          tenants: [],
        },
      ),
    ),
    http.get(`${BASE}/platform-health/v1/status`, () =>
      reply(
        routes.platformStatus ?? {
          status: 404,
          name: 'NotFoundError',
          message: 'no platform-health',
        },
      ),
    ),
  );
  return received;
}

/** Discovery of the msw backend's plugins. */
export const discoveryApi = {
  getBaseUrl: async (pluginId: string) => `${BASE}/${pluginId}`,
};
/** The global fetch, which msw answers. */
export const fetchApi = {
  fetch: (input: any, init?: any) => fetch(input, init),
};

/** Shows the current URL's query and goes back in history, for tests of the position in the URL. */
export const LocationProbe = () => {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <>
      <div data-testid="location">{location.search}</div>
      <button type="button" onClick={() => navigate(-1)}>
        Browser back
      </button>
    </>
  );
};

/**
 * Renders `element` with the real LakeClient talking to the msw backend, a permission API that
 * allows what `allow` names, on the page of `entity` when given, at `url`.
 */
export function renderWithLake(
  element: ReactNode,
  options: {
    allow?: (permission: string) => boolean;
    entity?: Entity;
    url?: string;
  } = {},
) {
  const entity = options.entity ?? churnEntity;
  const allow = options.allow ?? (() => true);
  return renderInTestApp(
    <EntityProvider entity={entity}>
      {element}
      <LocationProbe />
    </EntityProvider>,
    {
      initialRouteEntries: options.url ? [options.url] : undefined,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        catalogApiMock({ entities: [entity] }),
        [lakeApiRef, new LakeClient({ discoveryApi, fetchApi })],
        [
          permissionApiRef,
          mockApis.permission({
            authorize: request =>
              allow(request.permission.name)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          }),
        ],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
      ],
    },
  );
}
