import {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AkiliAuthentication,
  AkiliRequest,
  AkiliTenantQuotasService,
  listDataProductTenants,
  runAuditedAction,
  TenancyService,
} from '@akili/plugin-akili-node';
import { AkiliTenantPermission } from '@akili/plugin-akili-common';
import {
  akiliLakeDownloadPermission,
  akiliLakeReadPermission,
  akiliLakeUsageReadPermission,
  LakeDownload,
  LakeFilePort,
  LakeListing,
  LakePortsResponse,
  LakePreview,
  LakeProductUsage,
  LakeTenantUsage,
  LakeUsageResponse,
} from '@akili/plugin-lake-common';
import { akiliQueryUnmaskPermission } from '@akili/plugin-starrocks-common';
import { LakeArea, LakeStorageApi } from '../storage/types';
import { DownloadAuditStore } from './DownloadAuditStore';
import { LakeNotConfiguredError } from './errors';
import { filePortsOf, ManifestFilePort } from './filePorts';
import {
  noPortAccessGrants,
  PortAccessGrant,
  PortAccessGrants,
} from './grants';
import { maskPreview } from './masking';
import { UsageStore } from './UsageStore';

/** A product the caller may read, as the catalog holds it, and how the caller got in. */
interface ProductTarget {
  /** The product's tenant (its namespace). */
  tenant: string;
  ref: string;
  entity: Entity;
  actorRef: string;
  /** The caller holds `akili.query.unmask` in the product's tenant. */
  unmask: boolean;
  /** Set when the caller is not a member and reads through access agreements, per port. */
  grants?: Map<string, PortAccessGrant>;
}

/** A port of a target, resolved inside the tenant's storage. */
interface PortTarget {
  port: ManifestFilePort;
  area: LakeArea;
  /** The agreement the caller reads it through, when not a member. */
  grant?: PortAccessGrant;
}

/**
 * The lake's logic per request: authorizes the caller in the product's tenant (the one path of
 * `akili-node`; a product of another tenant answers as a missing one unless an access agreement
 * grants the port), reads the product from the catalog, resolves its `files` ports inside the
 * tenant's storage, and lists, previews (masked as the query API masks), signs downloads
 * (audited) and reports storage use.
 */
export class LakeService {
  readonly #storage: LakeStorageApi | undefined;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #tenancy: TenancyService;
  readonly #quotas: AkiliTenantQuotasService;
  readonly #audit: DownloadAuditStore;
  readonly #usage: UsageStore;
  readonly #grants: PortAccessGrants;
  readonly #presignExpiresInSeconds: number;
  readonly #logger: LoggerService;

  constructor(options: {
    storage: LakeStorageApi | undefined;
    catalog: CatalogService;
    auth: AuthService;
    tenancy: TenancyService;
    quotas: AkiliTenantQuotasService;
    audit: DownloadAuditStore;
    usage: UsageStore;
    grants?: PortAccessGrants;
    presignExpiresInSeconds: number;
    logger: LoggerService;
  }) {
    this.#storage = options.storage;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#tenancy = options.tenancy;
    this.#quotas = options.quotas;
    this.#audit = options.audit;
    this.#usage = options.usage;
    this.#grants = options.grants ?? noPortAccessGrants;
    this.#presignExpiresInSeconds = options.presignExpiresInSeconds;
    this.#logger = options.logger;
  }

  /** `GET /v1/products/:namespace/:name/ports`. */
  async ports(
    req: AkiliRequest,
    namespace: string,
    name: string,
  ): Promise<LakePortsResponse> {
    const target = await this.#target(req, namespace, name, {
      permission: akiliLakeReadPermission,
      viaGrant: 'every-port',
    });
    const storage = this.#configured();
    const ports: LakeFilePort[] = [];
    for (const filePort of filePortsOf(target.entity)) {
      if (target.grants && !target.grants.has(filePort.port.name)) continue;
      const resolved = storage.resolvePort(target.tenant, filePort.location);
      const { port } = filePort;
      ports.push({
        name: port.name,
        ...(port.title ? { title: port.title } : {}),
        ...(port.description ? { description: port.description } : {}),
        ...(filePort.location.format
          ? { format: filePort.location.format }
          : {}),
        ...('problem' in resolved
          ? {
              location: {
                bucket: filePort.location.bucket,
                prefix: filePort.location.prefix,
              },
              problem: resolved.problem,
            }
          : { location: { bucket: resolved.bucket, prefix: resolved.prefix } }),
      });
    }
    return { product: target.ref, ports };
  }

  /** `GET /v1/products/:namespace/:name/ports/:port/objects`. */
  async objects(
    req: AkiliRequest,
    namespace: string,
    name: string,
    portName: string,
    options: { path: string; cursor?: string; limit: number },
  ): Promise<LakeListing> {
    const target = await this.#target(req, namespace, name, {
      permission: akiliLakeReadPermission,
      viaGrant: portName,
    });
    const storage = this.#configured();
    const { area } = this.#port(storage, target, portName);
    const page = await storage.list(target.tenant, area, options.path, {
      cursor: options.cursor,
      limit: options.limit,
    });
    return {
      product: target.ref,
      port: portName,
      path: options.path,
      folders: page.folders,
      objects: page.objects,
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /** `GET /v1/products/:namespace/:name/ports/:port/preview`, masked for the caller. */
  async preview(
    req: AkiliRequest,
    namespace: string,
    name: string,
    portName: string,
    options: { path: string; rows: number },
  ): Promise<LakePreview> {
    const target = await this.#target(req, namespace, name, {
      permission: akiliLakeReadPermission,
      viaGrant: portName,
    });
    const storage = this.#configured();
    const { port, area, grant } = this.#port(storage, target, portName);
    const raw = await storage.preview(target.tenant, area, options.path, {
      rows: options.rows,
    });
    const { columns, rows, masked } = maskPreview(raw, port.port.schema ?? [], {
      unmask: target.unmask,
      ...(grant ? { onlyColumns: grant.columns } : {}),
    });
    return {
      product: target.ref,
      port: portName,
      path: options.path,
      format: raw.format,
      size: raw.size,
      columns,
      rows,
      ...(raw.totalRows !== undefined ? { totalRows: raw.totalRows } : {}),
      ...(raw.rowGroups ? { rowGroups: raw.rowGroups } : {}),
      ...(raw.createdBy ? { createdBy: raw.createdBy } : {}),
      bytesRead: raw.bytesRead,
      truncated: raw.truncated,
      masked,
    };
  }

  /** `POST /v1/products/:namespace/:name/ports/:port/download`: a presigned URL, audited. */
  async download(
    req: AkiliRequest,
    namespace: string,
    name: string,
    portName: string,
    options: { path: string },
  ): Promise<LakeDownload> {
    const target = await this.#target(req, namespace, name, {
      permission: akiliLakeDownloadPermission,
      viaGrant: 'refuse-download',
      port: portName,
    });
    const storage = this.#configured();
    const { area } = this.#port(storage, target, portName);
    const intent = {
      actor: target.actorRef,
      product: target.ref,
      port: portName,
      path: options.path,
    };
    let intentId = '';
    const signed = await runAuditedAction({
      intent: async () => {
        intentId = await this.#audit.recordIntent(target.tenant, intent);
      },
      action: () =>
        storage.presign(target.tenant, area, options.path, {
          expiresInSeconds: this.#presignExpiresInSeconds,
        }),
      succeeded: result =>
        this.#audit.recordOutcome(target.tenant, intentId, intent, {
          outcome: 'signed',
          size: result.size,
          expiresAt: result.expiresAt,
        }),
      failed: error =>
        this.#audit.recordOutcome(target.tenant, intentId, intent, {
          outcome: 'failed',
          error: (error as Error)?.message ?? String(error),
        }),
    });
    this.#logger.info('Lake download signed', {
      tenant: target.tenant,
      product: target.ref,
      port: portName,
      path: options.path,
      size: signed.size,
      actor: target.actorRef,
    });
    return { url: signed.url, expiresAt: signed.expiresAt, size: signed.size };
  }

  /** `GET /v1/tenants/:tenant/usage`: the tenant's operators and platform admins. */
  async tenantUsage(
    req: AkiliRequest,
    tenant: string,
  ): Promise<LakeTenantUsage> {
    const authorization = await this.#tenancy.authorize(req, {
      tenant,
      permission: akiliLakeUsageReadPermission,
    });
    const storage = this.#configured();
    return this.#usageOf(storage, authorization.tenant);
  }

  /** `GET /v1/usage`: every tenant whose usage the caller may read. */
  async usage(req: AkiliRequest): Promise<LakeUsageResponse> {
    const authentication = await this.#tenancy.authenticate(req);
    const storage = this.#configured();
    const candidates = new Set(await this.#callerTenants(authentication));
    const { principal } = authentication;
    if (principal.type === 'user' && principal.platformAdmin) {
      for (const tenant of await listDataProductTenants({
        catalog: this.#catalog,
        auth: this.#auth,
      })) {
        candidates.add(tenant);
      }
    }
    const tenants: LakeTenantUsage[] = [];
    for (const tenant of [...candidates].sort()) {
      const allowed = await this.#tenancy.can(authentication, {
        tenant,
        permission: akiliLakeUsageReadPermission,
      });
      if (allowed) tenants.push(await this.#usageOf(storage, tenant));
    }
    return { tenants };
  }

  async #usageOf(
    storage: LakeStorageApi,
    tenant: string,
  ): Promise<LakeTenantUsage> {
    const [record, quotas] = await Promise.all([
      this.#usage.read(tenant),
      this.#quotas.quotas(tenant),
    ]);
    const { latest, weekBefore } = record;
    const location = storage.areaOf(tenant);
    const before = new Map(
      (weekBefore?.products ?? []).map(p => [p.product ?? '', p.bytes]),
    );
    const products: LakeProductUsage[] = (latest?.products ?? []).map(p => ({
      product: p.product,
      objects: p.objects,
      bytes: p.bytes,
      ...(weekBefore
        ? { growth7dBytes: p.bytes - (before.get(p.product ?? '') ?? 0) }
        : {}),
    }));
    const quotaBytes = quotas?.storageQuotaBytes;
    return {
      tenant,
      location: { bucket: location.bucket, prefix: location.prefix },
      objects: latest?.objects ?? 0,
      bytes: latest?.bytes ?? 0,
      ...(quotaBytes !== undefined ? { quotaBytes } : {}),
      ...(latest && weekBefore
        ? { growth7dBytes: latest.bytes - weekBefore.bytes }
        : {}),
      products,
      history: record.history,
      ...(latest ? { measuredAt: latest.measuredAt.toISOString() } : {}),
    };
  }

  #configured(): LakeStorageApi {
    if (!this.#storage) throw new LakeNotConfiguredError();
    return this.#storage;
  }

  /** The caller's tenants: a user's memberships, a token's one tenant. */
  async #callerTenants(authentication: AkiliAuthentication): Promise<string[]> {
    const { principal } = authentication;
    return principal.type === 'user'
      ? Object.keys(principal.tenants)
      : [principal.tenant];
  }

  /**
   * The product, for a caller allowed `permission` in its tenant, or (not a member) holding an
   * access agreement: for one port, for every port (`every-port`, the ports list), or none
   * (`refuse-download`: an agreement never covers a whole file).
   */
  async #target(
    req: AkiliRequest,
    namespace: string,
    name: string,
    options: {
      permission: AkiliTenantPermission;
      viaGrant: string;
      port?: string;
    },
  ): Promise<ProductTarget> {
    const ref = `dataproduct:${namespace}/${name}`;
    const notFoundMessage = `No data product ${ref}`;
    let authorization;
    try {
      authorization = await this.#tenancy.authorize(req, {
        tenant: namespace,
        permission: options.permission,
        notFoundMessage,
      });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return this.#targetViaGrant(req, namespace, name, options, error);
    }
    const entity = await this.#entity(
      namespace,
      name,
      await this.#tenancy.catalogCredentials(authorization, {
        kind: 'DataProduct',
        namespace,
        name,
      }),
    );
    if (!entity) throw new NotFoundError(notFoundMessage);
    const unmask = await this.#tenancy.can(req, {
      tenant: authorization.tenant,
      permission: akiliQueryUnmaskPermission,
    });
    return {
      tenant: authorization.tenant,
      ref: `dataproduct:${authorization.tenant}/${entity.metadata.name}`,
      entity,
      actorRef: authorization.actorRef,
      unmask,
    };
  }

  /**
   * A caller who is not a member of the product's tenant: through an agreement in force for one
   * of their tenants, holding `akili.lake.read` in that tenant; otherwise `notFound`, exactly
   * as a product that does not exist.
   */
  async #targetViaGrant(
    req: AkiliRequest,
    namespace: string,
    name: string,
    options: { viaGrant: string; port?: string },
    notFound: NotFoundError,
  ): Promise<ProductTarget> {
    const authentication = await this.#tenancy.authenticate(req);
    const callerTenants = await this.#callerTenants(authentication);
    if (callerTenants.length === 0) throw notFound;
    const ref = `dataproduct:${namespace}/${name}`;

    const grantOf = async (port: string) => {
      const grant = await this.#grants.grantFor(callerTenants, ref, port);
      if (!grant || !callerTenants.includes(grant.consumerTenant)) {
        return undefined;
      }
      const allowed = await this.#tenancy.can(authentication, {
        tenant: grant.consumerTenant,
        permission: akiliLakeReadPermission,
      });
      return allowed ? grant : undefined;
    };

    if (options.viaGrant === 'refuse-download') {
      if (options.port && (await grantOf(options.port))) {
        throw new NotAllowedError(
          `An access agreement lets ${authentication.actorRef} read agreed columns of ${ref} port '${options.port}', not download its files`,
        );
      }
      throw notFound;
    }
    // The agreement names the product: read it with the plugin's own credentials, the
    // caller's own would not see another tenant's entities.
    const entity = await this.#entity(
      namespace,
      name,
      await this.#auth.getOwnServiceCredentials(),
    );
    if (!entity) throw notFound;
    const ports =
      options.viaGrant === 'every-port'
        ? filePortsOf(entity).map(p => p.port.name)
        : [options.viaGrant];
    const grants = new Map<string, PortAccessGrant>();
    for (const port of ports) {
      const grant = await grantOf(port);
      if (grant) grants.set(port, grant);
    }
    if (grants.size === 0) throw notFound;
    return {
      tenant: namespace,
      ref,
      entity,
      actorRef: authentication.actorRef,
      unmask: false,
      grants,
    };
  }

  async #entity(
    namespace: string,
    name: string,
    credentials: BackstageCredentials,
  ): Promise<Entity | undefined> {
    const entity = await this.#catalog.getEntityByRef(
      { kind: 'DataProduct', namespace, name },
      { credentials },
    );
    if (
      !entity ||
      entity.kind.toLocaleLowerCase('en-US') !== 'dataproduct' ||
      entity.metadata.namespace !== namespace
    ) {
      return undefined;
    }
    return entity;
  }

  /** A `files` port of the target, resolved in the tenant's storage (never read otherwise). */
  #port(
    storage: LakeStorageApi,
    target: ProductTarget,
    portName: string,
  ): PortTarget {
    const port = filePortsOf(target.entity).find(p => p.port.name === portName);
    const grant = target.grants?.get(portName);
    if (!port || (target.grants && !grant)) {
      throw new NotFoundError(`No files port '${portName}' on ${target.ref}`);
    }
    const resolved = storage.resolvePort(target.tenant, port.location);
    if ('problem' in resolved) {
      throw new ConflictError(
        `Port '${portName}' of ${target.ref} is not read: ${resolved.problem}`,
      );
    }
    return { port, area: resolved, ...(grant ? { grant } : {}) };
  }
}
