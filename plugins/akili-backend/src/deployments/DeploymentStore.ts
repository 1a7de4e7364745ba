import { randomUUID } from 'node:crypto';
import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import {
  createAkiliEvent,
  DeploymentStatus,
  isFinalDeploymentStatus,
  ProductDeployment,
} from '@akili/plugin-akili-common';
import {
  EventOutbox,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';
import { PRODUCTS_TABLE } from '../products/ProductStore';

/**
 * The deployments table (migrations `20251205000000_product_deployments.js` and
 * `20251206000000_deployment_pipeline_unique.js`: one deployment per product and pipeline).
 */
export const DEPLOYMENTS_TABLE = 'akili_product_deployments';
const EVENT_SOURCE = 'akili-backend';
/** The environment of `product.deployed`: one per platform in this version. */
export const DEPLOY_ENVIRONMENT = 'production';
/** The statuses of a deployment that has not ended. */
const UNFINISHED: DeploymentStatus[] = ['pending', 'running'];

type DeploymentRow = {
  tenant_id: string;
  id: string;
  product_name: string;
  revision: number | string;
  version: string | null;
  requested_by: string;
  requested_at: Date | string | number;
  gitlab_project: string;
  ref: string;
  pipeline_id: number | string | null;
  pipeline_url: string | null;
  status: DeploymentStatus;
  finished_at: Date | string | number | null;
  message: string | null;
};

/** A deployment to record: its pipeline was created, or exists and is recorded as it is. */
export interface NewDeployment {
  name: string;
  revision: number;
  version?: string;
  requestedBy: string;
  gitlabProject: string;
  ref: string;
  pipelineId: number;
  pipelineUrl: string;
  status: DeploymentStatus;
}

function toDeployment(row: DeploymentRow): ProductDeployment {
  return {
    id: row.id,
    entityRef: `dataproduct:${row.tenant_id}/${row.product_name}`,
    tenant: row.tenant_id,
    name: row.product_name,
    revision: Number(row.revision),
    ...(row.version !== null ? { version: row.version } : {}),
    requestedBy: row.requested_by,
    requestedAt: toIsoTimestamp(row.requested_at),
    gitlabProject: row.gitlab_project,
    ref: row.ref,
    ...(row.pipeline_id !== null
      ? { pipelineId: Number(row.pipeline_id) }
      : {}),
    ...(row.pipeline_url !== null ? { pipelineUrl: row.pipeline_url } : {}),
    status: row.status,
    ...(row.finished_at !== null
      ? { finishedAt: toIsoTimestamp(row.finished_at) }
      : {}),
    ...(row.message !== null ? { message: row.message } : {}),
  };
}

/**
 * Deployments of registered products, in their tenant's transactions (PostgreSQL row-level
 * security). The end of a deployment, the product's `deployed` status and its event
 * (`product.deployed` or `product.deployment.failed`) are written in one transaction.
 */
export class DeploymentStore {
  readonly #db: TenantScopedDatabase;
  readonly #outbox: EventOutbox;

  constructor(options: { db: TenantScopedDatabase; outbox: EventOutbox }) {
    this.#db = options.db;
    this.#outbox = options.outbox;
  }

  /** Records a deployment whose pipeline GitLab created. */
  async create(
    tenant: string,
    deployment: NewDeployment,
  ): Promise<ProductDeployment> {
    const row = {
      id: randomUUID(),
      product_name: deployment.name,
      revision: deployment.revision,
      version: deployment.version ?? null,
      requested_by: deployment.requestedBy,
      requested_at: new Date(),
      gitlab_project: deployment.gitlabProject,
      ref: deployment.ref,
      pipeline_id: deployment.pipelineId,
      pipeline_url: deployment.pipelineUrl,
      status: deployment.status,
      finished_at: null,
      message: null,
    };
    return this.#db.withTenant(tenant, async tx => {
      await this.#db.insert(tx, DEPLOYMENTS_TABLE, row);
      return toDeployment({ ...row, tenant_id: tenant });
    });
  }

  /**
   * Records a deployment of a pipeline that already runs (the product's own CI); when the same
   * product and pipeline were recorded before, that deployment instead, with `created: false`.
   * The store's unique index decides between two recordings of one pipeline at the same time.
   */
  async record(
    tenant: string,
    deployment: NewDeployment,
  ): Promise<{ deployment: ProductDeployment; created: boolean }> {
    const recorded = () =>
      this.byPipeline(tenant, deployment.name, deployment.pipelineId);
    const existing = await recorded();
    if (existing) {
      return { deployment: existing, created: false };
    }
    try {
      return {
        deployment: await this.create(tenant, deployment),
        created: true,
      };
    } catch (error) {
      // Recorded by another request since the read above.
      const raced = isDatabaseConflictError(error)
        ? await recorded()
        : undefined;
      if (raced) {
        return { deployment: raced, created: false };
      }
      throw error;
    }
  }

  /** The deployment of a product's pipeline, or `undefined`. */
  async byPipeline(
    tenant: string,
    name: string,
    pipelineId: number,
  ): Promise<ProductDeployment | undefined> {
    return this.#first(tenant, { product_name: name, pipeline_id: pipelineId });
  }

  /** One deployment of the tenant, or `undefined`. */
  async get(
    tenant: string,
    id: string,
  ): Promise<ProductDeployment | undefined> {
    return this.#first(tenant, { id });
  }

  async #first(
    tenant: string,
    where: Partial<DeploymentRow>,
  ): Promise<ProductDeployment | undefined> {
    return this.#db.withTenant(tenant, async tx => {
      const row: DeploymentRow | undefined = await this.#db
        .scoped(tx, DEPLOYMENTS_TABLE)
        .where(where)
        .first();
      return row ? toDeployment(row) : undefined;
    });
  }

  /** A product's deployments, newest first (at most `limit`). */
  async list(
    tenant: string,
    name: string,
    limit = 100,
  ): Promise<ProductDeployment[]> {
    return this.#db.withTenant(tenant, async tx => {
      const rows: DeploymentRow[] = await this.#db
        .scoped(tx, DEPLOYMENTS_TABLE)
        .where({ product_name: name })
        .orderBy([
          { column: 'requested_at', order: 'desc' },
          // Within one millisecond: GitLab's pipeline ids grow.
          { column: 'pipeline_id', order: 'desc' },
        ])
        .limit(limit)
        .select();
      return rows.map(toDeployment);
    });
  }

  /**
   * The tenant's deployments that have not ended (`pending` or `running`) and have a pipeline:
   * what a backend that starts follows again. Oldest first, at most `limit`.
   */
  async listUnfinished(
    tenant: string,
    limit = 1000,
  ): Promise<ProductDeployment[]> {
    return this.#db.withTenant(tenant, async tx => {
      const rows: DeploymentRow[] = await this.#db
        .scoped(tx, DEPLOYMENTS_TABLE)
        .whereIn('status', UNFINISHED)
        .whereNotNull('pipeline_id')
        .orderBy('requested_at', 'asc')
        .limit(limit)
        .select();
      return rows.map(toDeployment);
    });
  }

  /**
   * Moves a deployment to `status`. A final status sets `finished_at` and, in the same
   * transaction, writes `product.deployed` (and the product's `deployed` status, when the
   * deployed revision is still its current one) or `product.deployment.failed`. A deployment
   * that already ended is left as it is; the answer is then `undefined`.
   *
   * @remarks
   *
   * The row is changed only while it has not ended (`status` still `pending` or `running` in
   * the `UPDATE`'s own condition), and the event is written only when that `UPDATE` changed it:
   * two followers of one deployment (two backends, or one resumed after a restart while another
   * still follows) record its end and its event once.
   */
  async update(
    tenant: string,
    id: string,
    change: { status: DeploymentStatus; message?: string; finishedAt?: Date },
  ): Promise<ProductDeployment | undefined> {
    return this.#db.withTenant(tenant, async tx => {
      const final = isFinalDeploymentStatus(change.status);
      const finishedAt = final ? change.finishedAt ?? new Date() : null;
      const message = change.message ?? null;
      const changed = await this.#db
        .scoped(tx, DEPLOYMENTS_TABLE)
        .where({ id })
        .whereIn('status', UNFINISHED)
        .update({
          status: change.status,
          finished_at: finishedAt,
          message,
        });
      if (changed === 0) {
        return undefined;
      }
      const row: DeploymentRow = await this.#db
        .scoped(tx, DEPLOYMENTS_TABLE)
        .where({ id })
        .first();
      const deployment = toDeployment(row);
      if (change.status === 'success') {
        await this.#db
          .scoped(tx, PRODUCTS_TABLE)
          .where({ name: row.product_name, current_revision: row.revision })
          .update({ status: 'deployed', updated_at: new Date() });
      }
      const event = endEventOf(deployment);
      if (event) {
        await this.#outbox.enqueue(this.#db, tx, event);
      }
      return deployment;
    });
  }
}

/** The event of a deployment that ended: `product.deployed` or `product.deployment.failed`. */
function endEventOf(deployment: ProductDeployment) {
  const { tenant, entityRef, status, id } = deployment;
  const common = {
    tenant,
    subject: entityRef,
    source: EVENT_SOURCE,
  };
  const version = deployment.version ?? `revision-${deployment.revision}`;
  if (status === 'success') {
    return createAkiliEvent({
      ...common,
      type: 'product.deployed',
      data: {
        product: entityRef,
        version,
        environment: DEPLOY_ENVIRONMENT,
        deploymentId: id,
        deployedBy: deployment.requestedBy,
      },
    });
  }
  if (status === 'failed' || status === 'canceled') {
    return createAkiliEvent({
      ...common,
      type: 'product.deployment.failed',
      data: {
        product: entityRef,
        version,
        deploymentId: id,
        status,
        ...(deployment.pipelineUrl
          ? { pipelineUrl: deployment.pipelineUrl }
          : {}),
        deployedBy: deployment.requestedBy,
      },
    });
  }
  return undefined;
}
