import { useLocation } from 'react-router-dom';
import type { Entity } from '@backstage/catalog-model';
import { discoveryApiRef, fetchApiRef } from '@backstage/frontend-plugin-api';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  AccessAgreement,
  AccessAgreementRequest,
} from '@akili/plugin-lake-common';
import { LakeClient, lakeApiRef } from '../../../api';
import {
  BASE,
  discoveryApi,
  fetchApi,
  ReceivedRequest,
  recorder,
  reply,
} from '../../../__testUtils__/renderEntity';

export { BASE };

/** ACME's customer-360: two output ports, one with classified columns. */
export const customer360: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'customer-360', namespace: 'acme', title: 'Customer 360' },
  spec: {
    type: 'aggregate',
    lifecycle: 'production',
    owner: 'crm',
    domain: 'sales',
    outputPorts: [
      {
        name: 'customer_360',
        title: 'Customer profiles',
        kind: 'table',
        location: { table: { database: 'crm', table: 'customer_360' } },
        schema: [
          { name: 'customer_key', type: 'string' },
          { name: 'segment', type: 'string', classification: 'public' },
          { name: 'email', type: 'string', classification: 'pii' },
          { name: 'lifetime_value', type: 'decimal' },
        ],
      },
      {
        name: 'segments',
        kind: 'files',
        location: { s3: { bucket: 'akili-acme', prefix: 'segments/' } },
        schema: [{ name: 'segment', type: 'string' }],
      },
    ],
  },
};

/** Globex's shipments: reads ACME's customer-360 and orders, and its own carrier drop. */
export const shipments: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'shipments', namespace: 'globex' },
  spec: {
    type: 'source-aligned',
    lifecycle: 'production',
    owner: 'fleet',
    domain: 'logistics',
    inputPorts: [
      { name: 'customers', product: 'acme/customer-360', port: 'customer_360' },
      { name: 'orders', product: 'dataproduct:acme/orders', port: 'orders' },
      { name: 'segments', product: 'acme/customer-360', port: 'segments' },
      { name: 'bookings', product: 'bookings', port: 'bookings' },
      {
        name: 'carrier_drop',
        external: { system: 's3', location: 's3://drop/' },
      },
    ],
    outputPorts: [],
  },
};

/** A user by their roles. */
export const identities: Record<string, AkiliIdentityInfo> = {
  acmeDeveloper: {
    userEntityRef: 'user:default/dana',
    platformAdmin: false,
    tenants: [{ name: 'acme', roles: ['developer'] }],
  },
  acmeConsumer: {
    userEntityRef: 'user:default/carl',
    platformAdmin: false,
    tenants: [{ name: 'acme', roles: ['consumer'] }],
  },
  globexConsumer: {
    userEntityRef: 'user:default/gina',
    platformAdmin: false,
    tenants: [{ name: 'globex', roles: ['consumer'] }],
  },
  globexAndInitech: {
    userEntityRef: 'user:default/ivan',
    platformAdmin: false,
    tenants: [
      { name: 'globex', roles: ['developer'] },
      { name: 'initech', roles: ['consumer'] },
    ],
  },
  initechConsumer: {
    userEntityRef: 'user:default/ines',
    platformAdmin: false,
    tenants: [{ name: 'initech', roles: ['consumer'] }],
  },
};

const DAY = 24 * 60 * 60 * 1000;
const inDays = (days: number) =>
  new Date(Date.now() + days * DAY).toISOString();

/** An agreement of globex on ACME's customer-360, with `extra` over it. */
export function agreement(
  id: string,
  extra: Partial<AccessAgreement> = {},
): AccessAgreement {
  return {
    id,
    status: 'requested',
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/customer-360',
      port: 'customer_360',
    },
    consumer: { tenant: 'globex', product: 'dataproduct:globex/shipments' },
    purpose: 'Match shipments to customer segments',
    columns: ['customer_key', 'segment'],
    until: inDays(60),
    requestedBy: 'user:default/gina',
    requestedAt: inDays(-2),
    ...extra,
  };
}

/** A request the test backend received. */
export type Received = ReceivedRequest;

/** A Backstage error body. */
const failure = (status: number, name: string, message: string) =>
  reply({ status, name, message });

/**
 * Serves the lake backend's agreement routes over an in-memory list (`state.items`) with the
 * backend's visibility (a user sees the agreements of their tenants only), the akili backend's
 * `/v1/me` and `/v1/tenants`, and a platform health plugin that is not installed. `fail` makes
 * the agreement list answer with an error.
 */
export function serveAgreements(
  server: SetupServer,
  options: {
    identity: AkiliIdentityInfo;
    items?: AccessAgreement[];
    fail?: { status: number; name: string; message: string };
  },
) {
  const state = { items: [...(options.items ?? [])], next: 100 };
  const received: Received[] = [];
  const member = (tenant: string) =>
    options.identity.platformAdmin ||
    options.identity.tenants.some(t => t.name === tenant);
  const record = recorder(received);
  const decide = (
    action: string,
    change: (a: AccessAgreement, body: any) => AccessAgreement,
  ) =>
    http.post(
      `${BASE}/lake/v1/agreements/:id/${action}`,
      async ({ request, params }) => {
        const { body } = await record(request);
        const index = state.items.findIndex(a => a.id === params.id);
        if (index < 0) {
          return failure(404, 'NotFoundError', `No agreement ${params.id}`);
        }
        // As the backend: a request for all columns is approved only with the columns picked.
        if (
          action === 'approve' &&
          state.items[index].columns.length === 0 &&
          !body?.columns?.length
        ) {
          return failure(400, 'InputError', 'Pick the columns to grant');
        }
        state.items[index] = change(state.items[index], body);
        return HttpResponse.json(state.items[index]);
      },
    );
  const decided = (status: AccessAgreement['status']) => ({
    status,
    decidedBy: options.identity.userEntityRef,
    decidedAt: new Date().toISOString(),
  });

  server.use(
    http.get(`${BASE}/akili/v1/me`, () => HttpResponse.json(options.identity)),
    http.get(`${BASE}/akili/v1/tenants`, () =>
      HttpResponse.json({
        items: [{ name: 'acme' }, { name: 'globex' }, { name: 'initech' }],
      }),
    ),
    http.get(`${BASE}/platform-health/v1/status`, () =>
      failure(404, 'NotFoundError', 'not installed'),
    ),
    http.get(`${BASE}/lake/v1/agreements`, async ({ request }) => {
      const { query } = await record(request);
      if (options.fail) {
        return failure(
          options.fail.status,
          options.fail.name,
          options.fail.message,
        );
      }
      if (!member(query.tenant)) {
        return failure(403, 'NotAllowedError', 'Not a member of the tenant');
      }
      const items = state.items.filter(
        a =>
          (query.side !== 'provider' || a.provider.tenant === query.tenant) &&
          (query.side !== 'consumer' || a.consumer.tenant === query.tenant) &&
          (a.provider.tenant === query.tenant ||
            a.consumer.tenant === query.tenant) &&
          (!query.status || a.status === query.status) &&
          (!query.product || a.provider.product === query.product),
      );
      return HttpResponse.json({ items });
    }),
    http.post(`${BASE}/lake/v1/agreements`, async ({ request }) => {
      const body = (await record(request)).body as AccessAgreementRequest;
      const created = agreement(`a${state.next++}`, {
        provider: {
          tenant: body.provider.product.split(':')[1].split('/')[0],
          product: body.provider.product,
          port: body.provider.port,
        },
        consumer: body.consumer,
        purpose: body.purpose,
        columns: body.columns,
        until: body.until,
        requestedBy: options.identity.userEntityRef,
        requestedAt: new Date().toISOString(),
      });
      state.items.unshift(created);
      return HttpResponse.json(created, { status: 201 });
    }),
    decide('approve', (a, body) => ({
      ...a,
      ...decided('approved'),
      columns: body?.columns ?? a.columns,
      decisionNote: body?.note,
    })),
    decide('reject', (a, body) => ({
      ...a,
      ...decided('rejected'),
      decisionNote: body.note,
    })),
    decide('revoke', (a, body) => ({
      ...a,
      status: 'revoked',
      endedBy: options.identity.userEntityRef,
      endedAt: new Date().toISOString(),
      endReason: body.reason,
    })),
    decide('withdraw', a => ({ ...a, status: 'withdrawn' })),
  );
  return { state, received };
}

/** Shows the current URL's search, so tests can read what the page keeps there. */
const LocationProbe = () => {
  const location = useLocation();
  return <div data-testid="location-search">{location.search}</div>;
};

/**
 * Renders `element` (on the page of `entity` when given) with the real lake client talking to
 * the msw backend, at `path`.
 */
export function renderWithLake(
  element: JSX.Element,
  options: { entity?: Entity; entities?: Entity[]; path?: string } = {},
) {
  const entities = options.entities ?? (options.entity ? [options.entity] : []);
  const content = (
    <>
      {element}
      <LocationProbe />
    </>
  );
  return renderInTestApp(
    options.entity ? (
      <EntityProvider entity={options.entity}>{content}</EntityProvider>
    ) : (
      content
    ),
    {
      apis: [
        catalogApiMock({ entities }),
        [lakeApiRef, new LakeClient({ discoveryApi, fetchApi })],
        [discoveryApiRef, discoveryApi],
        [fetchApiRef, fetchApi],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: options.path ? [options.path] : undefined,
    },
  );
}
