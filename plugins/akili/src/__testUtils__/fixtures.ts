import type { Entity } from '@backstage/catalog-model';
import type { DataProductSpec } from '@akili/plugin-akili-common';

/** A DataProduct entity as the catalog returns it, built from a spec. */
export function dataProductEntity(options: {
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  tags?: string[];
  spec: Partial<DataProductSpec>;
  relations?: Entity['relations'];
}): Entity {
  return {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'acme',
      title: options.title,
      description: options.description,
      tags: options.tags ?? [],
    },
    spec: {
      type: 'source-aligned',
      lifecycle: 'production',
      owner: 'sales-analytics',
      domain: 'sales',
      outputPorts: [],
      ...options.spec,
    } as unknown as Entity['spec'],
    relations: options.relations,
  };
}

/** Orders: one table port with PII, rules on it, SLOs; reads an external database. */
export const ordersEntity = dataProductEntity({
  name: 'orders',
  title: 'Shop orders',
  description: 'Every order of the web shop, cleaned and deduplicated.',
  tags: ['orders', 'revenue'],
  spec: {
    type: 'source-aligned',
    version: '1.2.0',
    owner: 'sales-analytics',
    domain: 'sales',
    inputPorts: [
      {
        name: 'shop_orders',
        description: 'Orders table of the shop database.',
        external: {
          system: 'postgres',
          location: 'shop-db:5432/shop/public.orders',
        },
      },
    ],
    outputPorts: [
      {
        name: 'orders',
        title: 'Orders',
        kind: 'table',
        location: {
          table: {
            catalog: 'iceberg_acme',
            database: 'sales',
            table: 'orders',
          },
        },
        schema: [
          {
            name: 'order_id',
            type: 'string',
            physicalType: 'VARCHAR(36)',
            required: true,
            primaryKey: true,
            description: 'Order UUID.',
            classification: 'public',
          },
          {
            name: 'customer_email',
            type: 'string',
            physicalType: 'VARCHAR(255)',
            description: 'E-mail address of the buyer.',
            classification: 'pii',
          },
          {
            name: 'total_amount',
            type: 'decimal',
            physicalType: 'DECIMAL(12,2)',
            required: true,
            description: 'Order total.',
          },
        ],
        contract: {
          version: '1.0.0',
          status: 'active',
          usage: 'Revenue reporting and order analytics.',
          limitations: 'Cancelled orders disappear after 90 days.',
        },
      },
    ],
    quality: [
      {
        name: 'order_id_unique',
        type: 'uniqueness',
        column: 'order_id',
        metric: 'duplicate_ratio',
        operator: '=',
        threshold: 0,
        dimension: 'uniqueness',
        severity: 'error',
      },
      {
        name: 'daily_volume',
        type: 'volume',
        metric: 'row_count',
        operator: 'between',
        threshold: [100, 50000],
        dimension: 'completeness',
        severity: 'warning',
      },
    ],
    slos: {
      freshness: { maxDelay: 'PT2H' },
      availability: { target: 99.5 },
    },
    schedule: { cron: '30 2 * * *', timezone: 'Europe/Berlin' },
    transformation: {
      language: 'sql',
      entrypoint: 'models/orders.sql',
      dagster: {
        codeLocation: 'acme_orders',
        job: 'orders_job',
        assetKeys: [['sales', 'orders']],
      },
    },
    support: { channel: '#acme-orders', email: 'orders@acme.example' },
    team: [{ user: 'lena.fischer', role: 'owner' }],
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:acme/sales-analytics' },
    { type: 'partOf', targetRef: 'domain:default/sales' },
    { type: 'dependencyOf', targetRef: 'dataproduct:acme/orders-daily' },
  ],
});

/** Orders daily: reads orders (exists) and returns (does not), two ports, no rules, no SLOs. */
export const ordersDailyEntity = dataProductEntity({
  name: 'orders-daily',
  title: 'Daily orders',
  description: 'Orders aggregated per day and channel.',
  tags: ['orders', 'kpi'],
  spec: {
    type: 'aggregate',
    owner: 'sales-analytics',
    domain: 'sales',
    inputPorts: [
      { name: 'orders', product: 'orders', port: 'orders' },
      { name: 'returns', product: 'acme/returns', port: 'returns' },
    ],
    outputPorts: [
      {
        name: 'daily',
        kind: 'table',
        location: { table: { database: 'kpi', table: 'orders_daily' } },
        schema: [
          { name: 'day', type: 'date', required: true, primaryKey: true },
          { name: 'revenue', type: 'decimal' },
        ],
      },
      {
        name: 'export',
        kind: 'files',
        location: {
          s3: { bucket: 'acme-lake', prefix: 'exports/daily', format: 'csv' },
        },
        schema: [{ name: 'day', type: 'date' }],
      },
    ],
  },
  relations: [
    { type: 'ownedBy', targetRef: 'group:acme/sales-analytics' },
    { type: 'dependsOn', targetRef: 'dataproduct:acme/orders' },
  ],
});

/** Clickstream: another tenant, another domain and owner, a kafka port. */
export const clickstreamEntity = dataProductEntity({
  name: 'clickstream',
  namespace: 'globex',
  title: 'Web clickstream',
  description: 'Page views and searches of the shop.',
  tags: ['web', 'streaming'],
  spec: {
    type: 'source-aligned',
    owner: 'web',
    domain: 'marketing',
    outputPorts: [
      {
        name: 'events',
        kind: 'topic',
        location: { kafka: { topic: 'globex.web.events', format: 'json' } },
        schema: [
          { name: 'event_id', type: 'string', required: true },
          { name: 'session_id', type: 'string' },
        ],
      },
    ],
  },
});
