import { ResponseError } from '@backstage/errors';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  QueryAuditEntry,
  QueryAuditPage,
  QueryCellValue,
  SchemaResponse,
  SchemaTable,
} from '@akili/plugin-starrocks-common';
import type {
  QueryAuditListOptions,
  QueryStreamOptions,
  StarrocksQueryApi,
} from '../api';

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

/** ACME's orders table: an id, a PII email (masked) and an amount with a rule. */
export const ordersTable: SchemaTable = {
  entityRef: 'dataproduct:acme/orders',
  productTitle: 'Shop orders',
  port: 'orders',
  description: 'One row per order',
  catalog: 'default_catalog',
  database: 'acme_sales',
  table: 'orders',
  qualifiedName: 'default_catalog.acme_sales.orders',
  contract: { version: '1.2.0', status: 'active', usage: 'Analytics only' },
  columns: [
    {
      name: 'order_id',
      type: 'integer',
      description: 'The order number',
      classification: 'public',
      primaryKey: true,
      masked: false,
      rules: ['order_id_unique'],
    },
    {
      name: 'email',
      type: 'string',
      description: "The buyer's email",
      classification: 'pii',
      masked: true,
      rules: [],
    },
    {
      name: 'amount',
      type: 'number',
      description: 'Total in EUR',
      masked: false,
      rules: [],
    },
  ],
  rules: [
    {
      name: 'order_id_unique',
      type: 'uniqueness',
      column: 'order_id',
      metric: 'duplicate_ratio',
      operator: '=',
      threshold: 0,
      severity: 'error',
    } as any,
  ],
};

export const acmeSchema: SchemaResponse = {
  tenant: 'acme',
  tables: [ordersTable],
  unmaskedClassifications: ['public', 'internal'],
};

export const consumerIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/jane',
  platformAdmin: false,
  tenants: [
    { name: 'acme', roles: ['consumer'] },
    { name: 'globex', roles: ['developer'] },
  ],
};

/** Operator of acme, consumer of globex: may read acme's audit trail, not globex's. */
export const operatorIdentity: AkiliIdentityInfo = {
  userEntityRef: 'user:default/olga',
  platformAdmin: false,
  tenants: [
    { name: 'acme', roles: ['operator'] },
    { name: 'globex', roles: ['consumer'] },
  ],
};

/** An entry of acme's query audit trail: a succeeded query of jane's, unless overridden. */
export function auditEntry(
  overrides: Partial<QueryAuditEntry> = {},
): QueryAuditEntry {
  return {
    id: '1',
    tenant: 'acme',
    actorRef: 'user:default/jane',
    statement: 'SELECT order_id FROM acme_sales.orders',
    products: ['dataproduct:acme/orders'],
    tables: ['default_catalog.acme_sales.orders'],
    outcome: 'succeeded',
    rowCount: 2,
    bytes: 2048,
    durationMs: 1234,
    startedAt: '2025-03-04T10:15:30.000Z',
    ...overrides,
  };
}

/** A pending streamed query the test drives: send columns and rows, finish, fail. */
export interface PendingQuery {
  tenant: string;
  sql: string;
  limit?: number;
  signal?: AbortSignal;
  columns(names: string[]): void;
  rows(rows: QueryCellValue[][]): void;
  finish(summary?: Record<string, unknown>): void;
  fail(error: unknown): void;
}

/**
 * A {@link StarrocksQueryApi} whose streamed queries the test drives (`queries`); every method is
 * a `jest.fn`.
 */
export function fakeQueryApi(
  options: { schema?: SchemaResponse; identity?: AkiliIdentityInfo } = {},
) {
  const queries: PendingQuery[] = [];
  let rowCount = 0;
  const api = {
    getSchema: jest.fn(async (tenant: string) => ({
      ...(options.schema ?? acmeSchema),
      tenant,
    })),
    streamQuery: jest.fn(
      (tenant: string, request: any, stream: QueryStreamOptions = {}) =>
        new Promise<any>((resolve, reject) => {
          rowCount = 0;
          stream.signal?.addEventListener('abort', () =>
            reject(new DOMException('The query was cancelled', 'AbortError')),
          );
          queries.push({
            tenant,
            sql: request.sql,
            limit: request.limit,
            signal: stream.signal,
            columns: names =>
              stream.onColumns?.(
                names.map(name => ({ name, type: 'VAR_STRING' })),
              ),
            rows: rows => {
              rowCount += rows.length;
              stream.onRows?.(rows, rowCount * 10);
            },
            finish: summary =>
              resolve({
                rowCount,
                truncated: false,
                bytes: 2048,
                durationMs: 1234,
                masked: [],
                ...summary,
              }),
            fail: reject,
          });
        }),
    ),
    downloadCsv: jest.fn(
      async () => new Blob(['order_id\n1\n'], { type: 'text/csv' }),
    ),
    listAudit: jest.fn(
      async (
        _tenant: string,
        _options?: QueryAuditListOptions,
      ): Promise<QueryAuditPage> => ({ items: [] }),
    ),
    getIdentity: jest.fn(async () => options.identity ?? consumerIdentity),
    listTenantNames: jest.fn(async () => ['acme', 'globex', 'initech']),
  } satisfies Record<keyof StarrocksQueryApi, jest.Mock>;
  return Object.assign(api as typeof api & StarrocksQueryApi, { queries });
}

export type FakeQueryApi = ReturnType<typeof fakeQueryApi>;
