import { ResponseError } from '@backstage/errors';
import type {
  AkiliApiToken,
  AkiliDeadLetter,
  AkiliIdentityInfo,
  Tenant,
  TenantAuditEntry,
  TenantEventsStatus,
  TenantMember,
} from '@akili/plugin-akili-common';
import type { AkiliTenantsApi } from '../api';

/** A `ResponseError` as the client throws it for a Backstage error body. */
export async function responseError(
  statusCode: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name, message },
    response: { statusCode },
  });
  return ResponseError.fromResponse({
    status: statusCode,
    statusText: '',
    headers: { get: () => 'application/json' },
    text: async () => body,
  } as unknown as Response);
}

export const acmeTenant: Tenant = {
  name: 'acme',
  title: 'ACME Corp',
  description: 'Sales and order data of ACME',
  status: 'active',
  quotas: { queryRowLimit: 10000, maxConcurrentQueries: 4 },
  groups: [
    { role: 'consumer', group: 'akili-acme-consumer' },
    { role: 'developer', group: 'akili-acme-developer' },
    { role: 'operator', group: 'akili-acme-operator' },
  ],
  memberCount: 2,
  createdAt: '2025-03-01T09:00:00Z',
  createdBy: 'user:default/admin',
  updatedAt: '2025-03-02T09:00:00Z',
};

export const globexTenant: Tenant = {
  ...acmeTenant,
  name: 'globex',
  title: 'Globex',
  description: undefined,
  status: 'suspended',
  suspendedReason: 'Contract ended',
  quotas: { queryRowLimit: 500, maxConcurrentQueries: 1 },
  groups: [{ role: 'operator', group: 'akili-globex-operator' }],
  memberCount: 0,
};

export const acmeMembers: TenantMember[] = [
  {
    userEntityRef: 'user:default/jane',
    roles: ['operator', 'developer'],
    firstSeenAt: '2025-03-03T10:00:00Z',
    lastSeenAt: '2025-04-01T10:00:00Z',
  },
  {
    userEntityRef: 'user:default/omar',
    roles: ['consumer'],
    firstSeenAt: '2025-03-04T10:00:00Z',
    lastSeenAt: '2025-03-05T10:00:00Z',
  },
];

export const acmeAudit: TenantAuditEntry[] = [
  {
    id: '3',
    tenant: 'acme',
    action: 'tenant.updated',
    actor: 'user:default/admin',
    at: '2025-03-02T09:00:00Z',
    details: {
      changes: { 'quotas.queryRowLimit': { before: 5000, after: 10000 } },
    },
  },
  {
    id: '2',
    tenant: 'acme',
    action: 'tenant.suspended',
    actor: 'user:default/admin',
    at: '2025-03-01T12:00:00Z',
    details: { reason: 'Unpaid invoice' },
  },
];

/** ACME's events: one waits because the broker is down. */
export const acmeEvents: TenantEventsStatus = {
  tenant: 'acme',
  pending: 1,
  oldestPendingAt: '2025-03-02T10:00:00Z',
  lastError: 'Kafka is unavailable: connect ECONNREFUSED 10.0.0.5:9092',
  topics: [
    {
      topic: 'akili.acme.tenant',
      total: 3,
      pending: 1,
      lastPublishedAt: '2025-03-02T09:00:00Z',
      lastEvent: {
        id: '5d4c7c1e-8a6b-4a43-9a8e-0e2b1f9e6a11',
        type: 'tenant.suspended',
        subject: 'tenant:acme',
      },
    },
  ],
  openDeadLetters: 1,
};

/** ACME's dead letters: one open (a consumer kept failing), one retried (not JSON). */
export const acmeDeadLetters: AkiliDeadLetter[] = [
  {
    id: 'dl-2',
    tenant: 'acme',
    topic: 'akili.acme.product',
    consumerGroup: 'akili.catalog.product-refresh',
    reason: 'handler-failed',
    detail: 'catalog refresh refused: entity not found',
    attempts: 3,
    eventId: '0b7f4a52-1f0e-4d8e-9d55-3c1c2f4b7a10',
    eventType: 'product.registered',
    key: 'dataproduct:acme/orders',
    payload:
      '{"id":"0b7f4a52-1f0e-4d8e-9d55-3c1c2f4b7a10","type":"product.registered"}',
    deadLetteredAt: '2025-03-02T11:00:00Z',
    retries: 0,
  },
  {
    id: 'dl-1',
    tenant: 'acme',
    topic: 'akili.acme.quality',
    consumerGroup: 'akili.events.backstage-bridge',
    reason: 'invalid-json',
    detail: 'not valid JSON: Unexpected token o in JSON at position 1',
    key: 'dataproduct:acme/returns',
    payload: '{oops',
    deadLetteredAt: '2025-03-01T11:00:00Z',
    retriedAt: '2025-03-01T12:00:00Z',
    retriedBy: 'user:default/jane',
    retries: 1,
  },
];

export const olderAuditEntry: TenantAuditEntry = {
  id: '1',
  tenant: 'acme',
  action: 'tenant.created',
  actor: 'system',
  at: '2025-03-01T09:00:00Z',
  details: { title: 'ACME Corp' },
};

/** ACME's API tokens: one active (used), one revoked. */
export const acmeApiTokens: AkiliApiToken[] = [
  {
    id: 'acme.5c1f0d6e-3b7a-4f0e-9a51-2d8c4e6f7a90',
    tenant: 'acme',
    name: 'GitLab CI of orders',
    permissions: ['akili.product.submit', 'akili.runs.launch'],
    status: 'active',
    createdBy: 'user:default/jane',
    createdAt: '2025-03-01T09:00:00Z',
    expiresAt: '2025-05-30T09:00:00Z',
    lastUsedAt: '2025-03-02T08:00:00Z',
  },
  {
    id: 'acme.0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d',
    tenant: 'acme',
    name: 'old laptop',
    permissions: ['akili.product.read'],
    status: 'revoked',
    createdBy: 'user:default/jane',
    createdAt: '2025-02-01T09:00:00Z',
    expiresAt: '2025-03-03T09:00:00Z',
    revokedAt: '2025-02-10T09:00:00Z',
    revokedBy: 'user:default/admin',
  },
];

/** What an ACME operator may put in a token. */
export const acmeGrantablePermissions = [
  'akili.product.read',
  'akili.product.submit',
  'akili.runs.launch',
  'akili.runs.read',
];

/** Identity answers for a platform admin and for a plain tenant member. */
export const adminIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/admin',
  platformAdmin: true,
  tenants: [],
};
export const memberIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/omar',
  platformAdmin: false,
  tenants: [{ name: 'acme', roles: ['consumer'] }],
};

/**
 * An {@link AkiliTenantsApi} of jest mocks over an in-memory set of tenants; override any
 * method with `mockImplementation` / `mockRejectedValue` in a test.
 */
export function fakeTenantsApi(
  options: {
    identity?: AkiliIdentityInfo;
    tenants?: Tenant[];
  } = {},
): jest.Mocked<AkiliTenantsApi> {
  const tenants = new Map(
    (options.tenants ?? [acmeTenant, globexTenant]).map(t => [t.name, t]),
  );
  const find = async (name: string) => {
    const tenant = tenants.get(name);
    if (!tenant) {
      throw await responseError(404, 'NotFoundError', `No tenant ${name}`);
    }
    return tenant;
  };
  return {
    getIdentity: jest.fn(async () => options.identity ?? adminIdentity),
    listTenants: jest.fn(async () => ({ items: [...tenants.values()] })),
    getTenant: jest.fn(find),
    createTenant: jest.fn(async request => {
      const tenant: Tenant = {
        ...acmeTenant,
        ...request,
        quotas: { ...acmeTenant.quotas, ...request.quotas },
        memberCount: 0,
      };
      tenants.set(tenant.name, tenant);
      return tenant;
    }),
    updateTenant: jest.fn(async (name, request) => {
      const tenant = await find(name);
      const updated = {
        ...tenant,
        ...request,
        quotas: { ...tenant.quotas, ...request.quotas },
      };
      tenants.set(name, updated);
      return updated;
    }),
    suspendTenant: jest.fn(async (name, request) => {
      const updated: Tenant = {
        ...(await find(name)),
        status: 'suspended',
        suspendedReason: request.reason,
      };
      tenants.set(name, updated);
      return updated;
    }),
    resumeTenant: jest.fn(async name => {
      const updated: Tenant = {
        ...(await find(name)),
        status: 'active',
        suspendedReason: undefined,
      };
      tenants.set(name, updated);
      return updated;
    }),
    listMembers: jest.fn(async name =>
      name === 'acme' ? { items: acmeMembers } : { items: [] },
    ),
    getEventsStatus: jest.fn(async name =>
      name === 'acme'
        ? acmeEvents
        : { tenant: name, pending: 0, topics: [], openDeadLetters: 0 },
    ),
    listDeadLetters: jest.fn(async (name, query) => {
      const all = name === 'acme' ? acmeDeadLetters : [];
      const status = query?.status ?? 'open';
      return {
        items: all.filter(
          d =>
            status === 'all' ||
            (status === 'open') === (d.retriedAt === undefined),
        ),
      };
    }),
    retryDeadLetter: jest.fn(async (name, id) => {
      const found = acmeDeadLetters.find(d => d.id === id);
      if (name !== 'acme' || !found) {
        throw await responseError(
          404,
          'NotFoundError',
          `No dead letter '${id}' in tenant '${name}'`,
        );
      }
      return {
        ...found,
        retries: found.retries + 1,
        retriedAt: '2025-03-03T09:00:00Z',
        retriedBy: 'user:default/admin',
      };
    }),
    listApiTokens: jest.fn(async name => ({
      items: name === 'acme' ? acmeApiTokens : [],
      grantablePermissions: acmeGrantablePermissions,
    })),
    createApiToken: jest.fn(async (name, request) => ({
      token: {
        id: `${name}.11111111-2222-4333-8444-555555555555`,
        tenant: name,
        name: request.name,
        permissions: [...request.permissions].sort(),
        status: 'active' as const,
        createdBy: 'user:default/admin',
        createdAt: '2025-03-03T09:00:00Z',
        expiresAt: '2025-06-01T09:00:00Z',
      },
      secret: 'akili_eyJ2IjoxfQ.c2VjcmV0LW9uY2U',
    })),
    revokeApiToken: jest.fn(async (name, id) => {
      const found = acmeApiTokens.find(t => t.id === id);
      if (name !== 'acme' || !found) {
        throw await responseError(404, 'NotFoundError', `No API token '${id}'`);
      }
      return {
        ...found,
        status: 'revoked' as const,
        revokedAt: '2025-03-03T09:00:00Z',
        revokedBy: 'user:default/admin',
      };
    }),
    // Every name is free; the name picker's tests answer through msw instead.
    checkProductName: jest.fn(async (tenant, name) => ({
      tenant,
      name,
      available: true,
    })),
    listAuditEntries: jest.fn(async (name, page) => {
      if (name !== 'acme') {
        return { items: [] };
      }
      return page?.cursor === 'older'
        ? { items: [olderAuditEntry] }
        : { items: acmeAudit, nextCursor: 'older' };
    }),
  };
}
