import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AkiliRequest,
  runAuditedAction,
  TenancyService,
} from '@akili/plugin-akili-node';
import { AkiliTenantPermission } from '@akili/plugin-akili-common';
import {
  akiliDeploymentReadPermission,
  akiliDeploymentSyncPermission,
  DeploymentDrift,
  ProductDeployment,
  SyncRequest,
  SyncResponse,
} from '@akili/plugin-argocd-common';
import { TenantNamespaces } from '@akili/plugin-kubernetes-backend-module-akili';
import { ArgoCdClient } from '../client/ArgoCdClient';
import {
  ArgoApplication,
  ArgoManagedResources,
  computeDrift,
  toDeploymentApplication,
} from './mapping';
import { SyncAuditStore } from './SyncAuditStore';

/** The label an Application carries to name its data product. */
export const PRODUCT_LABEL = 'akili.io/product';
/** The label an Application carries to name its tenant (expected, never trusted). */
export const TENANT_LABEL = 'akili.io/tenant';

/** The default ArgoCD project of a tenant. */
export const DEFAULT_PROJECT_PATTERN = 'akili-{tenant}';
const TENANT_PLACEHOLDER = '{tenant}';
/** An ArgoCD project name (a Kubernetes object name, kept to a DNS label). */
const PROJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The ArgoCD project of each tenant, from `akili.tenancy.argocd.projectPattern` (default
 * `akili-{tenant}`, `{tenant}` exactly once).
 */
export class TenantProjects {
  readonly #prefix: string;
  readonly #suffix: string;

  static fromConfig(config: Config): TenantProjects {
    return new TenantProjects(
      config.getOptionalString('akili.tenancy.argocd.projectPattern') ??
        DEFAULT_PROJECT_PATTERN,
    );
  }

  constructor(pattern: string = DEFAULT_PROJECT_PATTERN) {
    const parts = pattern.split(TENANT_PLACEHOLDER);
    if (parts.length !== 2) {
      throw new Error(
        `akili.tenancy.argocd.projectPattern must contain ${TENANT_PLACEHOLDER} exactly once, got '${pattern}'`,
      );
    }
    [this.#prefix, this.#suffix] = parts;
    if (!PROJECT_NAME.test(`${this.#prefix}a${this.#suffix}`)) {
      throw new Error(
        `akili.tenancy.argocd.projectPattern '${pattern}' does not give ArgoCD project names (lowercase letters, digits and dashes)`,
      );
    }
  }

  /** The project of a (valid) tenant. */
  projectOf(tenant: string): string {
    return `${this.#prefix}${tenant}${this.#suffix}`;
  }
}

/** A product the caller is authorized for, and where its Application must live. */
interface ProductTarget {
  tenant: string;
  name: string;
  ref: string;
  actorRef: string;
  project: string;
  namespaces: readonly string[];
}

/**
 * The deployment of data products: authorizes the caller in the product's tenant (the one path
 * of `akili-node`), reads the product from the catalog with the caller's credentials (a product
 * of another tenant answers as a missing one), and finds its Application in ArgoCD.
 *
 * The tenant is the product entity's namespace, never an Application's labels: the Application
 * is looked up in the tenant's project (`projects=<project>`, `selector=akili.io/product=<name>`)
 * and accepted only when `spec.project` is that project AND its destination namespace is the
 * tenant's (`akili.tenancy.kubernetes`). An Application that claims the product by its labels
 * but lives in another project or deploys elsewhere is never shown nor synced.
 */
export class DeploymentService {
  readonly #client: ArgoCdClient;
  readonly #catalog: CatalogService;
  readonly #tenancy: TenancyService;
  readonly #audit: SyncAuditStore;
  readonly #projects: TenantProjects;
  readonly #namespaces: TenantNamespaces;
  readonly #logger: LoggerService;

  constructor(options: {
    client: ArgoCdClient;
    catalog: CatalogService;
    tenancy: TenancyService;
    audit: SyncAuditStore;
    projects: TenantProjects;
    namespaces: TenantNamespaces;
    logger: LoggerService;
  }) {
    this.#client = options.client;
    this.#catalog = options.catalog;
    this.#tenancy = options.tenancy;
    this.#audit = options.audit;
    this.#projects = options.projects;
    this.#namespaces = options.namespaces;
    this.#logger = options.logger;
  }

  /** `GET /v1/products/:namespace/:name/deployment`. */
  async deployment(
    req: AkiliRequest,
    namespace: string,
    name: string,
  ): Promise<ProductDeployment> {
    const target = await this.#target(
      req,
      namespace,
      name,
      akiliDeploymentReadPermission,
    );
    if (!this.#client.configured) return { status: 'not-configured' };
    const app = await this.#findApplication(target);
    if (!app) {
      return {
        status: 'not-deployed',
        expectedApplication: {
          project: target.project,
          namespace: target.namespaces[0] ?? '',
          labels: {
            [TENANT_LABEL]: target.tenant,
            [PRODUCT_LABEL]: target.name,
          },
        },
      };
    }
    return {
      status: 'deployed',
      application: toDeploymentApplication(app, this.#client.baseUrl),
      canSync: await this.#tenancy.can(req, {
        tenant: target.tenant,
        permission: akiliDeploymentSyncPermission,
      }),
    };
  }

  /** `GET /v1/tenants/:tenant/deployment-audit`: the tenant's audited syncs (operators). */
  async auditTrail(
    req: AkiliRequest,
    tenant: string,
    page: { limit: number; before?: string },
  ) {
    const authorization = await this.#tenancy.authorize(req, {
      tenant,
      permission: akiliDeploymentSyncPermission,
    });
    return this.#audit.list(authorization.tenant, page);
  }

  /** `GET /v1/products/:namespace/:name/deployment/drift`. */
  async drift(
    req: AkiliRequest,
    namespace: string,
    name: string,
  ): Promise<DeploymentDrift> {
    const target = await this.#target(
      req,
      namespace,
      name,
      akiliDeploymentReadPermission,
    );
    if (!this.#client.configured) {
      return { status: 'not-configured', resources: [] };
    }
    const app = await this.#findApplication(target);
    if (!app) return { status: 'not-deployed', resources: [] };
    const managed = await this.#client.get<ArgoManagedResources>(
      `/api/v1/applications/${encodeURIComponent(
        app.metadata.name,
      )}/managed-resources`,
      this.#appQuery(app, target),
      'managed resources',
    );
    return {
      status: 'deployed',
      application: app.metadata.name,
      resources: computeDrift(managed),
    };
  }

  /** `POST /v1/products/:namespace/:name/deployment/sync`, audited. */
  async sync(
    req: AkiliRequest,
    namespace: string,
    name: string,
    request: SyncRequest,
  ): Promise<SyncResponse> {
    const target = await this.#target(
      req,
      namespace,
      name,
      akiliDeploymentSyncPermission,
    );
    // A sync with ArgoCD not configured answers 503, naming what to configure.
    this.#client.assertConfigured();
    const app = await this.#findApplication(target);
    if (!app) {
      throw new NotFoundError(
        `Data product ${target.ref} has no ArgoCD Application in project ${target.project}`,
      );
    }
    const revision =
      request.revision ||
      app.spec.source?.targetRevision ||
      app.spec.sources?.[0]?.targetRevision ||
      'HEAD';
    const intent = {
      actor: target.actorRef,
      product: target.ref,
      application: app.metadata.name,
      revision,
    };
    let intentId = '';
    const synced = await runAuditedAction({
      intent: async () => {
        intentId = await this.#audit.recordIntent(target.tenant, intent);
      },
      action: () =>
        this.#client.post<ArgoApplication>(
          `/api/v1/applications/${encodeURIComponent(app.metadata.name)}/sync`,
          {
            name: app.metadata.name,
            ...(app.metadata.namespace
              ? { appNamespace: app.metadata.namespace }
              : {}),
            project: target.project,
            revision,
            prune: request.prune === true,
          },
          'sync',
        ),
      succeeded: () =>
        this.#audit.recordOutcome(target.tenant, intentId, intent, {
          outcome: 'succeeded',
        }),
      failed: error =>
        this.#audit.recordOutcome(target.tenant, intentId, intent, {
          outcome: 'failed',
          error: (error as Error)?.message ?? String(error),
        }),
    });
    this.#logger.info('ArgoCD sync started', {
      tenant: target.tenant,
      product: target.ref,
      application: app.metadata.name,
      revision,
      actor: target.actorRef,
    });
    const { operation, lastSync } = toDeploymentApplication(synced);
    const started = operation ?? lastSync;
    return {
      application: app.metadata.name,
      revision,
      ...(started ? { operation: started } : {}),
      auditId: intentId,
    };
  }

  async #target(
    req: AkiliRequest,
    namespace: string,
    name: string,
    permission: AkiliTenantPermission,
  ): Promise<ProductTarget> {
    const ref = `dataproduct:${namespace}/${name}`;
    const notFoundMessage = `No data product ${ref}`;
    const authorization = await this.#tenancy.authorize(req, {
      tenant: namespace,
      permission,
      notFoundMessage,
    });
    const entity = await this.#catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      {
        credentials: await this.#tenancy.catalogCredentials(authorization, {
          kind: 'DataProduct',
          namespace,
          name,
        }),
      },
    );
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct') {
      throw new NotFoundError(notFoundMessage);
    }
    const tenant = authorization.tenant;
    return {
      tenant,
      name: entity.metadata.name,
      ref: `dataproduct:${tenant}/${entity.metadata.name}`,
      actorRef: authorization.actorRef,
      project: this.#projects.projectOf(tenant),
      namespaces: this.#namespaces.namespacesOf(tenant),
    };
  }

  /** The product's Application in its tenant's project and namespace, if any. */
  async #findApplication(
    target: ProductTarget,
  ): Promise<ArgoApplication | undefined> {
    const list = await this.#client.get<{ items?: ArgoApplication[] | null }>(
      '/api/v1/applications',
      [
        ['projects', target.project],
        ['selector', `${PRODUCT_LABEL}=${target.name}`],
      ],
      'applications',
    );
    const candidates = (list.items ?? []).filter(app => {
      const accepted =
        app.spec?.project === target.project &&
        app.metadata?.labels?.[PRODUCT_LABEL] === target.name &&
        typeof app.spec.destination?.namespace === 'string' &&
        target.namespaces.includes(app.spec.destination.namespace);
      if (!accepted) {
        this.#logger.warn(
          'ArgoCD application claims a product outside its tenant project or namespace',
          {
            application: app.metadata?.name,
            project: app.spec?.project,
            destinationNamespace: app.spec?.destination?.namespace,
            product: target.ref,
          },
        );
      }
      return accepted;
    });
    if (candidates.length > 1) {
      this.#logger.warn('Several ArgoCD applications claim one product', {
        product: target.ref,
        applications: candidates.map(app => app.metadata.name).join(', '),
      });
    }
    const preferred = `${target.tenant}-${target.name}`;
    return (
      candidates.find(app => app.metadata.name === preferred) ??
      candidates.sort((a, b) =>
        a.metadata.name.localeCompare(b.metadata.name),
      )[0]
    );
  }

  #appQuery(
    app: ArgoApplication,
    target: ProductTarget,
  ): Array<[string, string]> {
    return [
      ['project', target.project],
      ...(app.metadata.namespace
        ? ([['appNamespace', app.metadata.namespace]] as Array<
            [string, string]
          >)
        : []),
    ];
  }
}
