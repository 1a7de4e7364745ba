import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DagsterTestServer } from './DagsterTestServer';
import {
  RunStatus,
  TestAssetCheckExecution,
  TestMetadataEntry,
  TestRun,
} from './model';

/** What a data product manifest says about its Dagster job (`spec.transformation.dagster`). */
export interface ProductDagsterTarget {
  tenant: string;
  name: string;
  codeLocation: string;
  repository?: string;
  job: string;
  assetKeys?: string[][];
  /** The contract's quality rules (`spec.quality`), when the manifest has any. */
  qualityRules?: Array<{
    name: string;
    port?: string;
    dimension?: string;
    severity?: string;
  }>;
}

/** Options of {@link addProductRuns}. */
export interface ProductRunsOptions {
  /** Finished runs per product, one every `everyHours` back from now (default 30). */
  runsPerProduct?: number;
  everyHours?: number;
  /** "Now", in epoch milliseconds (default the clock). */
  now?: number;
}

/**
 * Makes the server answer for real data products: one code location per product (with its job
 * and assets, as its manifest names them) and a history of runs tagged with the product's
 * tenant and ref, mostly successful, every seventh failed, the newest one still running.
 * Returns the runs added per product ref, newest last.
 */
export function addProductRuns(
  server: DagsterTestServer,
  products: ProductDagsterTarget[],
  options: ProductRunsOptions = {},
): Map<string, TestRun[]> {
  const count = options.runsPerProduct ?? 30;
  const everySeconds = (options.everyHours ?? 6) * 3600;
  const now = (options.now ?? Date.now()) / 1000;
  const added = new Map<string, TestRun[]>();
  for (const product of products) {
    const repository = product.repository ?? '__repository__';
    server.addLocation({
      name: product.codeLocation,
      repositories: [
        {
          name: repository,
          jobs: [{ name: product.job, assetKeys: product.assetKeys ?? [] }],
        },
      ],
    });
  }
  // Oldest first across products, so storage order is time order, as in Dagster.
  for (let i = count - 1; i >= 0; i--) {
    for (const product of products) {
      const ref = `dataproduct:${product.tenant}/${product.name}`;
      let status: RunStatus = 'SUCCESS';
      if (i === 0) status = 'STARTED';
      else if (i % 7 === 3) status = 'FAILURE';
      const created = now - i * everySeconds - 600;
      const run = server.addRun({
        jobName: product.job,
        status,
        tags: {
          'akili/tenant': product.tenant,
          'akili/product': ref,
          ...(i % 5 === 2
            ? {
                'akili/requested-by': `user:default/${product.tenant}-developer`,
              }
            : { 'dagster/schedule_name': `${product.job}_schedule` }),
        },
        creationTime: created,
        startTime: created + 20,
        endTime:
          status === 'STARTED' ? null : created + 20 + 60 + ((i * 37) % 600),
        repositoryOrigin: {
          repositoryLocationName: product.codeLocation,
          repositoryName: product.repository ?? '__repository__',
        },
      });
      added.set(ref, [...(added.get(ref) ?? []), run]);
    }
  }
  return added;
}

/** Options of {@link addProductAssetChecks}. */
export interface ProductAssetChecksOptions {
  /** One execution in how many fails (default 9). */
  failEvery?: number;
  /**
   * Days of daily check history before the oldest run (default 0): one evaluated execution of
   * each check a day, in a run of its own that the server no longer holds (as after Dagster's
   * run retention), with a bad spell of a few failing days now and then per check.
   */
  historyDays?: number;
  /** "Now", in epoch milliseconds (default the clock); the history ends before the oldest run. */
  now?: number;
}

/**
 * Makes each product's contract rules Dagster asset checks on its last asset (defined in its
 * code location, which {@link addProductRuns} added) and gives every finished run of the product
 * one execution of each: evaluated in successful runs (every `failEvery`-th fails, with severity
 * `ERROR` for error rules and `WARN` otherwise), planned in failed and canceled ones (so
 * `EXECUTION_FAILED`). Each evaluation carries a numeric `observed` entry and, when the rule has
 * one, a `dimension` entry. Returns the executions added per product ref.
 */
export function addProductAssetChecks(
  server: DagsterTestServer,
  products: ProductDagsterTarget[],
  runs: Map<string, TestRun[]>,
  options: ProductAssetChecksOptions = {},
): Map<string, TestAssetCheckExecution[]> {
  const failEvery = options.failEvery ?? 9;
  const added = new Map<string, TestAssetCheckExecution[]>();
  let counter = 0;
  for (const product of products) {
    const assetKey = product.assetKeys?.[product.assetKeys.length - 1];
    const rules = product.qualityRules ?? [];
    if (!assetKey || rules.length === 0) continue;
    const repository = product.repository ?? '__repository__';
    server.addLocation({
      name: product.codeLocation,
      repositories: [
        {
          name: repository,
          jobs: [{ name: product.job, assetKeys: product.assetKeys ?? [] }],
          assetChecks: rules.map(rule => ({ assetKey, name: rule.name })),
        },
      ],
    });
    const ref = `dataproduct:${product.tenant}/${product.name}`;
    const executions: TestAssetCheckExecution[] = [];
    const productRuns = runs.get(ref) ?? [];
    const oldest = Math.min(
      (options.now ?? Date.now()) / 1000,
      ...productRuns.map(run => run.creationTime),
    );
    const historyDays = options.historyDays ?? 0;
    for (let day = historyDays; day >= 1; day--) {
      const runId = historyRunId(product.tenant, product.name, day);
      rules.forEach((rule, index) => {
        // A bad spell of three failing days every 29 days, at another time per product and rule.
        const spell = (day + product.name.length * 7 + index * 11) % 29 < 3;
        const warns = !spell && (day * 13 + index * 5) % 17 === 0;
        const success = !spell && !warns;
        executions.push(
          server.addAssetCheckExecution({
            assetKey,
            checkName: rule.name,
            runId,
            timestamp: oldest - day * 86_400 + index,
            partition: new Date((oldest - day * 86_400) * 1000)
              .toISOString()
              .slice(0, 10),
            success,
            severity: warns || rule.severity !== 'error' ? 'WARN' : 'ERROR',
            metadataEntries: [
              {
                label: 'observed',
                type: 'float',
                value: success ? (day % 7) / 1000 : 0.04 + (day % 5) / 100,
              },
              ...dimensionEntry(rule.dimension),
            ],
          }),
        );
      });
    }
    for (const run of productRuns) {
      if (run.endTime === null) continue;
      for (const rule of rules) {
        counter += 1;
        const base = {
          assetKey,
          checkName: rule.name,
          runId: run.runId,
          timestamp: run.endTime,
        };
        if (run.status !== 'SUCCESS') {
          executions.push(server.addAssetCheckExecution(base));
          continue;
        }
        const success = counter % failEvery !== 0;
        executions.push(
          server.addAssetCheckExecution({
            ...base,
            success,
            severity: rule.severity === 'error' ? 'ERROR' : 'WARN',
            metadataEntries: [
              {
                label: 'observed',
                type: 'float',
                value: success
                  ? (counter % 7) / 1000
                  : 0.05 + (counter % 5) / 100,
              },
              ...dimensionEntry(rule.dimension),
            ],
          }),
        );
      }
    }
    added.set(ref, executions);
  }
  return added;
}

/** A `dimension` metadata entry, when the rule names its dimension. */
function dimensionEntry(dimension: string | undefined): TestMetadataEntry[] {
  return dimension
    ? [{ label: 'dimension', type: 'text', text: dimension }]
    : [];
}

/** A stable run id (UUID-shaped) of a product's day of history. */
function historyRunId(tenant: string, name: string, day: number): string {
  const hex = createHash('sha256')
    .update(`${tenant}/${name}/${day}`)
    .digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(
    13,
    16,
  )}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Runs whose tags lie, as anyone who can launch in Dagster (its UI, a schedule or sensor of a
 * tenant's code) can make them: for each product, a failed run from its code location tagged
 * with the tenant and product of the next product of another tenant (the products' tenants in
 * turn). The products' locations must have been added (see {@link addProductRuns}). Returns the
 * forged runs with the tenant they claim and the tenant whose location ran them.
 */
export function addForgedRuns(
  server: DagsterTestServer,
  products: ProductDagsterTarget[],
  options: { now?: number } = {},
): Array<{ run: TestRun; claimedTenant: string; locationTenant: string }> {
  const now = (options.now ?? Date.now()) / 1000;
  const forged: Array<{
    run: TestRun;
    claimedTenant: string;
    locationTenant: string;
  }> = [];
  products.forEach((product, index) => {
    const victim = [
      ...products.slice(index + 1),
      ...products.slice(0, index),
    ].find(other => other.tenant !== product.tenant);
    if (!victim) return;
    const run = server.addRun({
      jobName: product.job,
      status: 'FAILURE',
      tags: {
        'akili/tenant': victim.tenant,
        'akili/product': `dataproduct:${victim.tenant}/${victim.name}`,
      },
      creationTime: now - 900,
      startTime: now - 880,
      endTime: now - 300,
      repositoryOrigin: {
        repositoryLocationName: product.codeLocation,
        repositoryName: product.repository ?? '__repository__',
      },
    });
    forged.push({
      run,
      claimedTenant: victim.tenant,
      locationTenant: product.tenant,
    });
  });
  return forged;
}

/**
 * The Dagster targets of the data product manifests (`dataproduct.yaml`) under `dir`: those
 * whose `spec.transformation.dagster` names a code location and a job.
 */
export function productTargetsFromManifests(
  dir: string,
): ProductDagsterTarget[] {
  const targets: ProductDagsterTarget[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (entry.name === 'dataproduct.yaml') {
        const manifest = parse(fs.readFileSync(full, 'utf8'));
        const dagster = manifest?.spec?.transformation?.dagster;
        if (dagster?.codeLocation && dagster?.job) {
          targets.push({
            tenant: manifest.metadata.namespace,
            name: manifest.metadata.name,
            codeLocation: dagster.codeLocation,
            repository: dagster.repository,
            job: dagster.job,
            assetKeys: dagster.assetKeys,
            ...(Array.isArray(manifest.spec.quality) &&
            manifest.spec.quality.length
              ? {
                  qualityRules: manifest.spec.quality.map(
                    (rule: Record<string, unknown>) => ({
                      name: String(rule.name),
                      ...(rule.port ? { port: String(rule.port) } : {}),
                      ...(rule.dimension
                        ? { dimension: String(rule.dimension) }
                        : {}),
                      ...(rule.severity
                        ? { severity: String(rule.severity) }
                        : {}),
                    }),
                  ),
                }
              : {}),
          });
        }
      }
    }
  };
  walk(dir);
  return targets.sort((a, b) =>
    `${a.tenant}/${a.name}`.localeCompare(`${b.tenant}/${b.name}`),
  );
}
