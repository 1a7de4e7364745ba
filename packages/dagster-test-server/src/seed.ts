import { AssetCheckStore } from './AssetCheckStore';
import { hashOf } from './events';
import { RunStatus, TestAssetCheck, TestLocation } from './model';
import { RunStore, StoredRun } from './RunStore';
import { DEFAULT_REPOSITORY, assetStepKey } from './Workspace';

/** What to generate. The same options always give the same runs (times are relative to `now`). */
export interface DagsterTestSeed {
  /** How many runs; default 1000. */
  runs?: number;
  /** Tenant ids; default `['acme', 'globex', 'initech']`. */
  tenants?: string[];
  /** Data products per tenant; default 4. */
  productsPerTenant?: number;
  /** The random seed; default 1. */
  seed?: number;
  /** How far back the runs go, in days; default 90. */
  days?: number;
  /** The newest runs are created just before this; default: when the server starts. */
  now?: Date;
  /**
   * Asset checks on each product's published asset ({@link SEEDED_ASSET_CHECKS}) and their
   * executions in the runs that materialized it: evaluated in successful runs (about 1 in 12
   * fails), planned in failed and canceled ones (so `EXECUTION_FAILED`). Default false.
   */
  assetChecks?: boolean;
}

/** The asset checks of a seeded product's published asset, with the dimension each reports. */
export const SEEDED_ASSET_CHECKS: ReadonlyArray<{
  name: string;
  description: string;
  dimension: string;
  severity: 'WARN' | 'ERROR';
  metric: string;
}> = [
  {
    name: 'row_count',
    description: 'The published table is not empty',
    dimension: 'completeness',
    severity: 'ERROR',
    metric: 'row_count',
  },
  {
    name: 'unique_keys',
    description: 'No duplicate keys',
    dimension: 'uniqueness',
    severity: 'ERROR',
    metric: 'duplicate_ratio',
  },
  {
    name: 'null_ratio',
    description: 'Few missing values',
    dimension: 'completeness',
    severity: 'WARN',
    metric: 'null_ratio',
  },
];

/** A seeded data product: its code location, jobs and the tag values of its runs. */
export interface SeededProduct {
  tenant: string;
  name: string;
  /** The `akili/product` tag value: `dataproduct:<tenant>/<name>`. */
  ref: string;
  location: string;
  /** The scheduled job that materializes all of the product's assets. */
  job: string;
  assetKeys: string[][];
}

export interface SeedSummary {
  products: SeededProduct[];
  runs: number;
  /** Asset check executions seeded (0 without `assetChecks`). */
  assetCheckExecutions: number;
  durationMs: number;
}

const PRODUCT_NAMES = [
  'orders',
  'customers',
  'inventory',
  'payments',
  'shipments',
  'returns',
  'suppliers',
  'pricing',
  'web-sessions',
  'campaigns',
  'invoices',
  'support-tickets',
];

const USERS = [
  'jane.doe',
  'john.smith',
  'amina.okafor',
  'li.wei',
  'maria.garcia',
  'tomas.novak',
];

const isFinishedStatus = (status: RunStatus) =>
  status === 'SUCCESS' || status === 'FAILURE' || status === 'CANCELED';

/** A small deterministic generator of numbers in [0, 1) (a counter through a mixing step). */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
    return ((mixed ^ (mixed >>> 16)) >>> 0) / 4294967296;
  };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) =>
  byte.toString(16).padStart(2, '0'),
);

/** A version 4 UUID from the generator, formatted like Dagster's run ids. */
function uuidFrom(random: () => number): string {
  const word = () => Math.floor(random() * 4294967296);
  const hex = (value: number) =>
    HEX_BYTES[value >>> 24] +
    HEX_BYTES[(value >>> 16) & 0xff] +
    HEX_BYTES[(value >>> 8) & 0xff] +
    HEX_BYTES[value & 0xff];
  const a = word();
  const b = (word() & 0xffff0fff) | 0x4000; // version 4
  const c = ((word() & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
  const d = word();
  const bHex = hex(b >>> 0);
  const cHex = hex(c);
  return `${hex(a)}-${bHex.slice(0, 4)}-${bHex.slice(4)}-${cHex.slice(
    0,
    4,
  )}-${cHex.slice(4)}${hex(d)}`;
}

export function seededProducts(seed: DagsterTestSeed): SeededProduct[] {
  const tenants = seed.tenants ?? ['acme', 'globex', 'initech'];
  const perTenant = seed.productsPerTenant ?? 4;
  return tenants.flatMap(tenant =>
    Array.from({ length: perTenant }, (_, i) => {
      const word = PRODUCT_NAMES[i % PRODUCT_NAMES.length];
      const name =
        i < PRODUCT_NAMES.length
          ? word
          : `${word}-${Math.floor(i / PRODUCT_NAMES.length) + 1}`;
      return {
        tenant,
        name,
        ref: `dataproduct:${tenant}/${name}`,
        location: `${tenant}_${name.replace(/-/g, '_')}`,
        job: `${name.replace(/-/g, '_')}_daily`,
        assetKeys: ['raw', 'staged', 'published'].map(layer => [
          tenant,
          name,
          layer,
        ]),
      };
    }),
  );
}

/**
 * The code location of a seeded product: one repository with its daily job (whose first op takes
 * a required `source_table`) and the implicit asset job.
 */
export function seededLocation(
  product: SeededProduct,
  options: { assetChecks?: boolean } = {},
): TestLocation {
  const rawStep = assetStepKey(product.assetKeys[0]);
  const published = product.assetKeys[product.assetKeys.length - 1];
  const assetChecks: TestAssetCheck[] = options.assetChecks
    ? SEEDED_ASSET_CHECKS.map(check => ({
        assetKey: published,
        name: check.name,
        description: check.description,
      }))
    : [];
  return {
    name: product.location,
    repositories: [
      {
        name: DEFAULT_REPOSITORY,
        ...(assetChecks.length ? { assetChecks } : {}),
        jobs: [
          {
            name: product.job,
            description: `Daily build of ${product.ref}`,
            assetKeys: product.assetKeys,
            configSchema: {
              ops: {
                [rawStep]: {
                  config: ['source_table', 'full_refresh'],
                  required: ['source_table'],
                },
              },
            },
          },
          { name: '__ASSET_JOB', assetKeys: product.assetKeys },
        ],
      },
    ],
  };
}

/**
 * Adds the seeded runs, oldest first so storage order follows creation time. Most runs succeed,
 * some fail or are canceled, a failure is often re-executed from failure, and only the newest
 * few are still queued or running.
 */
export function seedRuns(
  store: RunStore,
  seed: DagsterTestSeed,
  products: SeededProduct[],
  nowSeconds: number,
  checks?: AssetCheckStore,
): void {
  // Their own generator, so the runs are the same with checks or without.
  const checkRandom = randomSource((seed.seed ?? 1) + 7919);
  const total = seed.runs ?? 1000;
  const random = randomSource(seed.seed ?? 1);
  const inFlight = Math.min(total, Math.max(2, Math.round(total * 0.001)));
  const queued = Math.ceil(inFlight / 3);
  const spanEnd = nowSeconds - inFlight * 60 - 120;
  const spanStart = nowSeconds - (seed.days ?? 90) * 86400;
  const spacing = (spanEnd - spanStart) / Math.max(1, total - inFlight);
  const lastFailure = new Map<SeededProduct, StoredRun>();
  const configs = new Map(
    products.map(product => [
      product,
      {
        ops: {
          [assetStepKey(product.assetKeys[0])]: {
            config: {
              source_table: `${product.tenant}.${product.name.replace(
                /-/g,
                '_',
              )}`,
              full_refresh: false,
            },
          },
        },
      },
    ]),
  );

  for (let i = 0; i < total; i++) {
    const product = products[Math.floor(random() * products.length)];
    const runId = uuidFrom(random);
    const fromNewest = total - i;
    const creationTime =
      fromNewest <= inFlight
        ? nowSeconds - fromNewest * 60 - random() * 30
        : spanStart + (i + random() * 0.9) * spacing;

    let status: RunStatus;
    if (fromNewest <= queued) status = 'QUEUED';
    else if (fromNewest <= inFlight) status = 'STARTED';
    else {
      const roll = random();
      if (roll < 0.86) status = 'SUCCESS';
      else if (roll < 0.96) status = 'FAILURE';
      else status = 'CANCELED';
    }

    const tags: Record<string, string> = {
      'akili/tenant': product.tenant,
      'akili/product': product.ref,
    };
    let jobName = product.job;
    let assetSelection: string[][] | null = null;
    let runConfig: Record<string, unknown> = {};
    let parentRunId: string | null = null;
    let rootRunId: string | null = null;
    let stepKeysToExecute: string[] | null = null;
    const failed = lastFailure.get(product);
    const kind = random();
    if (failed && kind < 0.35) {
      // A re-execution from failure of the product's last failed run, from the portal.
      lastFailure.delete(product);
      jobName = failed.jobName;
      assetSelection = failed.assetSelection;
      runConfig = failed.runConfig;
      parentRunId = failed.runId;
      rootRunId = failed.rootRunId ?? failed.runId;
      const steps = store.stepsOf(failed);
      stepKeysToExecute = steps.slice(hashOf(failed.runId) % steps.length);
      Object.assign(tags, {
        'akili/requested-by': `user:default/${
          USERS[Math.floor(random() * USERS.length)]
        }`,
        'dagster/parent_run_id': parentRunId,
        'dagster/root_run_id': rootRunId,
        'dagster/is_resume_retry': 'true',
      });
    } else if (kind < 0.55) {
      tags['dagster/schedule_name'] = `${product.job}_schedule`;
      runConfig = configs.get(product)!;
    } else if (kind < 0.8) {
      tags['akili/requested-by'] = `user:default/${
        USERS[Math.floor(random() * USERS.length)]
      }`;
      runConfig = configs.get(product)!;
    } else if (kind < 0.95) {
      tags['akili/requested-by'] = `user:default/${
        USERS[Math.floor(random() * USERS.length)]
      }`;
      jobName = '__ASSET_JOB';
      const from = Math.floor(random() * product.assetKeys.length);
      assetSelection = product.assetKeys.slice(from);
    } else {
      tags['dagster/sensor_name'] = `${product.name.replace(
        /-/g,
        '_',
      )}_upstream_sensor`;
      runConfig = configs.get(product)!;
    }

    const queuedFor = 2 + random() * 40;
    const duration = (jobName === '__ASSET_JOB' ? 30 : 120) + random() * 1200;
    let startTime: number | null = creationTime + queuedFor;
    let endTime: number | null = startTime + duration;
    if (status === 'QUEUED') {
      startTime = null;
      endTime = null;
    } else if (status === 'STARTED') {
      startTime = Math.min(startTime, nowSeconds - 1);
      endTime = null;
    } else if (status === 'CANCELED' && random() < 0.3) {
      // Canceled while still in the queue.
      startTime = null;
      endTime = creationTime + queuedFor;
    }

    const run = store.insert({
      runId,
      jobName,
      status,
      tags,
      creationTime,
      startTime,
      endTime,
      updateTime: endTime ?? startTime ?? creationTime,
      parentRunId,
      rootRunId,
      runConfig,
      repositoryOrigin: {
        repositoryLocationName: product.location,
        repositoryName: DEFAULT_REPOSITORY,
      },
      assetSelection,
      stepKeysToExecute,
    });
    if (status === 'FAILURE') lastFailure.set(product, run);
    const published = product.assetKeys[product.assetKeys.length - 1];
    const materializesPublished =
      !assetSelection ||
      assetSelection.some(key => key.join('/') === published.join('/'));
    if (checks && materializesPublished && isFinishedStatus(status)) {
      seedCheckExecutions(checks, run, published, status, checkRandom);
    }
  }
}

/** The executions of the seeded checks in one run that materialized the published asset. */
function seedCheckExecutions(
  checks: AssetCheckStore,
  run: StoredRun,
  assetKey: string[],
  status: RunStatus,
  random: () => number,
) {
  const at = run.endTime ?? run.updateTime;
  for (const check of SEEDED_ASSET_CHECKS) {
    const base = {
      assetKey,
      checkName: check.name,
      runId: run.runId,
      stepKey: `${assetStepKey(assetKey)}_${check.name}`,
      timestamp: at,
    };
    if (status !== 'SUCCESS') {
      checks.add(base);
      continue;
    }
    const success = random() >= 1 / 12;
    let value: number;
    if (check.metric === 'row_count') {
      value = success ? 1000 + Math.floor(random() * 100_000) : 0;
    } else {
      value = success
        ? Math.round(random() * 50) / 10_000
        : 0.02 + Math.round(random() * 300) / 10_000;
    }
    checks.add({
      ...base,
      success,
      severity: check.severity,
      description: check.description,
      metadataEntries: [
        check.metric === 'row_count'
          ? { label: check.metric, type: 'int', value }
          : { label: check.metric, type: 'float', value },
        { label: 'dimension', type: 'text', text: check.dimension },
      ],
      targetMaterialization: {
        storageId: String(run.storageId * 10),
        runId: run.runId,
        timestamp: at - 1,
      },
    });
  }
}
