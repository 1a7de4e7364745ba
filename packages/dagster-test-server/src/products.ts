import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DagsterTestServer } from './DagsterTestServer';
import { RunStatus, TestRun } from './model';

/** What a data product manifest says about its Dagster job (`spec.transformation.dagster`). */
export interface ProductDagsterTarget {
  tenant: string;
  name: string;
  codeLocation: string;
  repository?: string;
  job: string;
  assetKeys?: string[][];
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
