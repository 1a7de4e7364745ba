import type { Entity } from '@backstage/catalog-model';
import type { AkiliIdentityInfo } from '@akili/plugin-akili-common';
import type {
  LakeFilePort,
  LakeListing,
  LakePreview,
  LakeTenantUsage,
} from '@akili/plugin-lake-common';

/** The churn-features product of acme, with a table port and a files port (as in examples/). */
export const churnEntity: Entity = {
  apiVersion: 'akili.io/v1alpha1',
  kind: 'DataProduct',
  metadata: { name: 'churn-features', namespace: 'acme' },
  spec: {
    type: 'consumer-aligned',
    owner: 'customer-data',
    outputPorts: [
      {
        name: 'features',
        kind: 'table',
        location: { table: { database: 'ml', table: 'churn_features' } },
        schema: [],
      },
      {
        name: 'training_snapshots',
        kind: 'files',
        location: {
          s3: {
            bucket: 'akili-acme',
            prefix: 'data-products/churn-features/training/',
            format: 'parquet',
          },
        },
        schema: [],
      },
    ],
  },
};

export const trainingPort: LakeFilePort = {
  name: 'training_snapshots',
  title: 'Monthly training snapshots',
  format: 'parquet',
  location: {
    bucket: 'akili-acme',
    prefix: 'data-products/churn-features/training/',
  },
};

export const exportsPort: LakeFilePort = {
  name: 'exports',
  format: 'csv',
  location: {
    bucket: 'akili-acme',
    prefix: 'data-products/churn-features/exports/',
  },
};

export const strayPort: LakeFilePort = {
  name: 'stray',
  location: { bucket: 'akili-globex', prefix: 'x/' },
  problem:
    'The location s3://akili-globex/x/ is outside the storage of tenant acme (s3://akili-acme/)',
};

const hoursAgo = (h: number) =>
  new Date(Date.now() - h * 3_600_000).toISOString();

/** The root of the training port: two partition folders. */
export const rootListing: LakeListing = {
  product: 'dataproduct:acme/churn-features',
  port: 'training_snapshots',
  path: '',
  folders: [
    {
      name: 'snapshot_month=2025-01-01',
      path: 'snapshot_month=2025-01-01/',
      partition: { snapshot_month: '2025-01-01' },
    },
    {
      name: 'snapshot_month=2025-02-01',
      path: 'snapshot_month=2025-02-01/',
      partition: { snapshot_month: '2025-02-01' },
    },
  ],
  objects: [],
};

/** An object of a partition folder. */
export function partObject(folder: string, index: number) {
  return {
    name: `part-${String(index).padStart(5, '0')}.parquet`,
    path: `${folder}part-${String(index).padStart(5, '0')}.parquet`,
    size: 1_500_000 + index,
    lastModified: hoursAgo(3),
    partition: { snapshot_month: '2025-01-01' },
    previewFormat: 'parquet' as const,
  };
}

export const JAN = 'snapshot_month=2025-01-01/';

/** The first row of the January preview's table, masked customer_key. */
export const januaryPreview: LakePreview = {
  product: 'dataproduct:acme/churn-features',
  port: 'training_snapshots',
  path: `${JAN}part-00000.parquet`,
  format: 'parquet',
  size: 1_500_000,
  columns: [
    {
      name: 'customer_key',
      type: 'BYTE_ARRAY (UTF8)',
      classification: 'confidential',
      masked: true,
    },
    { name: 'orders_12m', type: 'INT32', masked: false },
    {
      name: 'churned_next_90d',
      type: 'BOOLEAN',
      classification: 'internal',
      masked: false,
    },
  ],
  rows: [
    [null, 12, false],
    [null, null, true],
  ],
  totalRows: 48_213,
  rowGroups: [
    { index: 0, rows: 32_768, bytes: 1_000_000 },
    { index: 1, rows: 15_445, bytes: 480_000 },
  ],
  createdBy: 'hyparquet-writer',
  bytesRead: 65_536,
  truncated: true,
  masked: ['customer_key'],
};

export function identity(
  tenants: AkiliIdentityInfo['tenants'],
  platformAdmin = false,
): AkiliIdentityInfo {
  return { userEntityRef: 'user:default/ann', platformAdmin, tenants };
}

const daysAgo = (d: number) =>
  new Date(Date.now() - d * 86_400_000).toISOString();

export const acmeUsage: LakeTenantUsage = {
  tenant: 'acme',
  location: { bucket: 'akili-acme', prefix: '' },
  objects: 120_431,
  bytes: 85_000_000_000,
  quotaBytes: 100_000_000_000,
  growth7dBytes: 4_200_000_000,
  products: [
    {
      product: 'dataproduct:acme/orders-daily',
      objects: 431,
      bytes: 5_000_000_000,
      growth7dBytes: -20_000_000,
    },
    {
      product: 'dataproduct:acme/churn-features',
      objects: 120_000,
      bytes: 79_000_000_000,
      growth7dBytes: 4_000_000_000,
    },
    { product: null, objects: 0, bytes: 1_000_000_000 },
  ],
  history: [
    { measuredAt: daysAgo(7), objects: 100_000, bytes: 80_800_000_000 },
    { measuredAt: daysAgo(3), objects: 110_000, bytes: 83_000_000_000 },
    { measuredAt: daysAgo(0), objects: 120_431, bytes: 85_000_000_000 },
  ],
  measuredAt: daysAgo(0),
};

export const globexUsage: LakeTenantUsage = {
  tenant: 'globex',
  location: { bucket: 'akili-globex', prefix: '' },
  objects: 12,
  bytes: 3_000_000,
  quotaBytes: 1_000_000_000,
  products: [],
  history: [],
  measuredAt: daysAgo(0),
};
