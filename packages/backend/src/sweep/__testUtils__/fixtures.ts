import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/** The resources of one tenant the sweep calls routes with, known before the backend runs. */
export interface TenantFixture {
  tenant: string;
  /** One of the tenant's data products (examples/data-products/<tenant>/<product>). */
  product: string;
  /** An output port of that product. */
  port: string;
  /** A failed Dagster run of that product, in the sweep's Dagster test server. */
  runId: string;
  /** The tenant's scaffolder template (a sweep fixture entity). */
  template: string;
  /** The tenant's lake product (a sweep fixture product, see lake.ts) and its files port. */
  lakeProduct: string;
  lakePort: string;
  /** A file in that port (its path inside the port). */
  lakeFile: string;
}

/**
 * A tenant's resources as the sweep's calls name them: the fixed ones, and what the sweep
 * creates or looks up once the backend runs.
 */
export interface SweepFixture extends TenantFixture {
  /** A string only this tenant's sweep fixtures contain (template titles, notifications). */
  marker: string;
  /** The catalog uid of `dataproduct:<tenant>/<product>`. */
  productUid: string;
  /** The catalog uid of the component of the tenant's GitLab project (deleted by a case). */
  componentUid: string;
  /** The component's name (`component:<tenant>/<componentName>`). */
  componentName: string;
  /** A catalog location of the tenant (its GitLab project's catalog-info.yaml). */
  locationId: string;
  /** A scaffolder task the tenant's developer started from the tenant's template. */
  taskId: string;
  /** A notification sent to the tenant's developer. */
  notificationId: string;
  /** The web URL of the tenant's GitLab project. */
  gitlabProject: string;
  /** The tenant's Kubernetes namespace. */
  kubeNamespace: string;
  /** An API token of the tenant, issued by its operator: its id. */
  apiTokenId: string;
  /** What GitLab posts to the portal's webhook for a push to the tenant's project. */
  pushEvent: {
    project_id: number;
    project: { path_with_namespace: string; web_url: string };
  } & Record<string, unknown>;
  /** The user name of the tenant's developer (who started its task). */
  developer: string;
  /** The product's manifest (dataproduct.yaml). */
  manifest: string;
  /** A deployment of the product its developer started (a pipeline of its GitLab project). */
  deploymentId: string;
  /** The tenant's lake bucket (unique to the run). */
  lakeBucket: string;
  /**
   * Access agreements between the tenant and a tenant outside the sweep (lake.ts): requested
   * of the tenant (`approve`, `reject`), approved by it (`revoke`, also read), and requested by
   * it (`withdraw`).
   */
  agreements: {
    approve: string;
    reject: string;
    revoke: string;
    withdraw: string;
  };
}

export const TENANT_A: TenantFixture = {
  tenant: 'acme',
  product: 'orders',
  port: 'order_lines',
  runId: 'a11ce000-0000-4000-8000-00000000000a',
  template: 'sweep-template',
  lakeProduct: 'sweep-files',
  lakePort: 'sweep_files',
  lakeFile: 'sweep.csv',
};

export const TENANT_B: TenantFixture = {
  tenant: 'globex',
  product: 'vehicle-telemetry',
  port: 'telemetry_hourly',
  runId: 'b0b00000-0000-4000-8000-00000000000b',
  template: 'sweep-template',
  lakeProduct: 'sweep-files',
  lakePort: 'sweep_files',
  lakeFile: 'sweep.csv',
};

/** A string only a tenant's sweep fixtures contain. */
export const sweepMarker = (tenant: string) => `sweep-marker-${tenant}`;

/** The name of the component in a tenant's GitLab project. */
export const componentNameOf = (t: TenantFixture) => `${t.product}-repository`;

/**
 * Resources that do not exist, in tenant `t` (`missingIn(t)`): what a call naming another
 * tenant's resources must be indistinguishable from. With `tenant` given, in a tenant that
 * does not exist either.
 */
export function missingIn(t: SweepFixture, tenant = t.tenant): SweepFixture {
  const uuid = () => crypto.randomUUID();
  return {
    tenant,
    product: 'no-such-product',
    port: 'no_such_port',
    runId: uuid(),
    template: 'no-such-template',
    marker: sweepMarker(tenant),
    productUid: uuid(),
    componentUid: uuid(),
    componentName: 'no-such-repository',
    locationId: uuid(),
    taskId: uuid(),
    notificationId: uuid(),
    deploymentId: uuid(),
    lakeProduct: 'no-such-files-product',
    lakePort: 'no_such_files_port',
    lakeFile: 'no-such-file.csv',
    lakeBucket: `sweep-lake-${tenant}-none`,
    // Agreement ids are UUIDs: a missing one is a random UUID (anything else is a 400).
    agreements: {
      approve: uuid(),
      reject: uuid(),
      revoke: uuid(),
      withdraw: uuid(),
    },
    gitlabProject: t.gitlabProject.replace(
      /[^/]+\/[^/]+$/,
      `${tenant}/no-such-product`,
    ),
    developer: 'no-such-user',
    kubeNamespace: t.kubeNamespace.replace(t.tenant, tenant),
    apiTokenId: `${tenant}.${uuid()}`,
    pushEvent: {
      ...t.pushEvent,
      project_id: 999_999,
      project: {
        ...t.pushEvent.project,
        path_with_namespace: t.pushEvent.project.path_with_namespace.replace(
          /[^/]+\/[^/]+$/,
          `${tenant}/no-such-product`,
        ),
        web_url: t.gitlabProject.replace(
          /[^/]+\/[^/]+$/,
          `${tenant}/no-such-product`,
        ),
      },
    },
    manifest: t.manifest
      .replace(/^( {2}name:) .*$/m, '$1 no-such-product')
      .replace(/^( {2}namespace:) .*$/m, `$1 ${tenant}`)
      // A code location of the manifest's tenant, as a valid manifest of that tenant names.
      .replace(/^( +codeLocation:) .*$/m, `$1 ${tenant}_x`),
  };
}

export const NO_TENANT = 'no-such-tenant';

/** The example manifest of a fixture's product. */
export function manifestOf(t: TenantFixture): string {
  return fs.readFileSync(
    path.join(
      repoRoot,
      'examples/data-products',
      t.tenant,
      t.product,
      'dataproduct.yaml',
    ),
    'utf8',
  );
}

/**
 * Replaces the values a fixture's calls name (tenant, product, ids, URLs) with placeholders,
 * so that the answer to a call naming another tenant's resources can be compared with the
 * answer for resources that do not exist, and so that what a caller sent is not taken for a
 * leak when an answer repeats it.
 */
export function normalize(text: string, t: SweepFixture): string {
  const values: Array<[string, string]> = [
    ['gitlabProject', t.gitlabProject],
    ['kubeNamespace', t.kubeNamespace],
    ['apiTokenId', t.apiTokenId],
    ['productUid', t.productUid],
    ['componentUid', t.componentUid],
    ['locationId', t.locationId],
    ['taskId', t.taskId],
    ['notificationId', t.notificationId],
    ['deploymentId', t.deploymentId],
    ['runId', t.runId],
    ['agreementApprove', t.agreements.approve],
    ['agreementReject', t.agreements.reject],
    ['agreementRevoke', t.agreements.revoke],
    ['agreementWithdraw', t.agreements.withdraw],
    ['lakeBucket', t.lakeBucket],
    ['lakeProduct', t.lakeProduct],
    ['lakePort', t.lakePort],
    ['lakeFile', t.lakeFile],
    ['componentName', t.componentName],
    ['developer', t.developer],
    ['marker', t.marker],
    ['template', t.template],
    ['product', t.product],
    ['port', t.port],
    ['tenant', t.tenant],
  ];
  let out = text;
  for (const [name, value] of values.sort(
    (a, b) => b[1].length - a[1].length,
  )) {
    if (!value) continue;
    out = out
      .split(value)
      .join(`<${name}>`)
      .split(encodeURIComponent(value))
      .join(`<${name}>`);
  }
  return out;
}
