import { ManifestDiff } from './manifest/diff';
import { DataProductManifest } from './manifest/types';

/**
 * The product registry API of the Akili control plane (`/api/akili/v1/tenants/:tenant/products`):
 * the shapes the backend, the portal and the CLI share.
 */

/**
 * Where a product is in its life in the registry. `draft` is reserved for submissions kept
 * without registering (not written yet); `deployed` is set when a deployment's pipeline
 * succeeds (a new submission makes it `registered` again until deployed).
 *
 * @public
 */
export type ProductStatus = 'draft' | 'registered' | 'deployed' | 'deprecated';

/** The registry entry of a product, without its versions. @public */
export interface ProductSummary {
  /** `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  tenant: string;
  name: string;
  status: ProductStatus;
  /** `spec.version` of the current revision, when it has one. */
  version?: string;
  /** The current revision: 1 for the first submission, one more for each later one. */
  revision: number;
}

/** The format a product revision was submitted in. @public */
export type ProductFormat = 'akili' | 'odps' | 'odcs';

/** One submitted version of a product. @public */
export interface ProductVersion {
  revision: number;
  version?: string;
  /** The submitted format: an Akili manifest, an ODPS product or an ODCS contract. */
  format: ProductFormat;
  submittedBy: string;
  submittedAt: string;
  /** The diff against the revision before (no changes for the first one). */
  diff: ManifestDiff;
  /** Whether the submitter acknowledged the breaking changes of `diff`. */
  breakingAcknowledged: boolean;
}

/** `GET /v1/tenants/:tenant/products/:name`: the entry, its current manifest, every version. @public */
export interface ProductRegistryEntry extends ProductSummary {
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  /** The current revision's manifest, its namespace the tenant's. */
  manifest: DataProductManifest;
  /** Newest first. */
  versions: ProductVersion[];
}

/** A product that reads one of the submitted product's output ports. @public */
export interface ProductConsumer {
  /** `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  title?: string;
  /** Its owner, as its manifest names it. */
  owner: string;
  /** Which of the submitted product's output ports it reads, by name. */
  ports: string[];
  /** Whether it reads a port that a breaking change touches (removed, or changed). */
  affected: boolean;
}

/**
 * The downstream products of a submission: those the caller may see in the catalog. Consumers
 * in tenants the caller cannot see are neither named nor counted.
 *
 * @public
 */
export interface ProductImpact {
  consumers: ProductConsumer[];
}

/**
 * The answer of `POST /v1/tenants/:tenant/products`: `201` when stored, `200` for a dry run
 * (`stored: false`).
 *
 * @public
 */
export interface SubmitProductResponse {
  stored: boolean;
  /** The entry after the submission; for a dry run, what it would be. */
  product: ProductSummary;
  /** Against the current revision (no changes for a new product). */
  diff: ManifestDiff;
  /** Things the submitter should know that did not stop it (the route's tenant won, ...). */
  warnings: string[];
  impact: ProductImpact;
  /** Dry run only: why the submission itself would be refused (a 409), if it would. */
  conflict?: string;
}

/**
 * The body of the `409` of a submission with breaking changes that are not acknowledged or lack
 * a major version bump.
 *
 * @public
 */
export interface SubmitProductConflict {
  error: { name: 'ConflictError'; message: string };
  diff: ManifestDiff;
  impact: ProductImpact;
}

/**
 * One registered product's current manifest, as the control plane's internal route
 * `GET /v1/internal/products` answers it to backend plugins (the catalog's registry provider).
 * `tenant` is the registry row's tenant: the product's namespace is this, whatever the text said.
 *
 * @public
 */
export interface RegisteredProductManifest extends ProductSummary {
  updatedAt: string;
  manifest: DataProductManifest;
}

/**
 * The answer of `GET /v1/internal/products`.
 *
 * @public
 */
export interface InternalProductsResponse {
  products: RegisteredProductManifest[];
}

/**
 * Where a deployment is: GitLab's pipeline statuses folded into five (`created`, `waiting_for_resource`,
 * `preparing`, `scheduled` and `manual` are `pending`; `skipped` is `canceled`), and `unknown`
 * when the backend stopped following it (a restart) or GitLab no longer answers for it.
 *
 * @public
 */
export type DeploymentStatus =
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled'
  | 'unknown';

/** Whether a deployment has ended (nothing more will change it). @public */
export function isFinalDeploymentStatus(status: DeploymentStatus): boolean {
  return status !== 'pending' && status !== 'running';
}

/**
 * A deployment of a registered product: the answer of `POST /v1/tenants/:tenant/products/:name/deploy`
 * (202) and the items of `GET .../deployments` (newest first).
 *
 * @public
 */
export interface ProductDeployment {
  /** A UUID, the `deploymentId` of the `product.deployed` event. */
  id: string;
  /** `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  tenant: string;
  name: string;
  /** The registry revision deployed (the current one when requested). */
  revision: number;
  version?: string;
  requestedBy: string;
  requestedAt: string;
  /** Full path of the tenant's GitLab project, `<rootGroup>/<tenant>/<name>`. */
  gitlabProject: string;
  /** The branch the pipeline runs on (the project's default branch). */
  ref: string;
  pipelineId?: number;
  /** The pipeline's page in GitLab. */
  pipelineUrl?: string;
  status: DeploymentStatus;
  finishedAt?: string;
  /** Why it failed or is unknown, when known. */
  message?: string;
}

/**
 * The answer of `POST /v1/tenants/:tenant/products/:name/deploy?dryRun=true` (200): the product
 * is registered, the caller may deploy it and its GitLab project can run the pipeline; nothing
 * was triggered or recorded.
 *
 * @public
 */
export interface ProductDeploymentPlan {
  dryRun: true;
  /** `dataproduct:<tenant>/<name>`. */
  entityRef: string;
  tenant: string;
  name: string;
  /** The registry revision a deployment would deploy (the current one). */
  revision: number;
  version?: string;
  /** Full path of the tenant's GitLab project, `<rootGroup>/<tenant>/<name>`. */
  gitlabProject: string;
  /** The branch the pipeline would run on. */
  ref: string;
}

/**
 * `GET /v1/tenants/:tenant/product-names/:name`: whether a new data product may take `name` in
 * the tenant. A name is taken by a product of the registry, by a data product of the catalog
 * from any other source (e.g. discovered from GitLab), or by a GitLab project at
 * `<rootGroup>/<tenant>/<name>` (which `publish:gitlab` could not create).
 *
 * @public
 */
export interface ProductNameAvailability {
  tenant: string;
  name: string;
  available: boolean;
  /** Where the name is taken, the first found in this order. */
  takenBy?: 'registry' | 'catalog' | 'gitlab';
  /** Why it is taken, to show under the form field. */
  message?: string;
  /** Sources that could not be asked (GitLab down or not configured): the answer holds for the others. */
  unchecked?: Array<'gitlab'>;
}

/** `GET /v1/tenants/:tenant/products/:name/deployments`. @public */
export interface ProductDeploymentList {
  /** Newest first. */
  items: ProductDeployment[];
}
