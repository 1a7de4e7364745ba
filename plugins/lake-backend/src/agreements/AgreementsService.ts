import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  DataProductManifest,
  isDataProductEntity,
  parseInputProductRef,
} from '@akili/plugin-akili-common';
import {
  AkiliAuthentication,
  AkiliAuthorization,
  TenancyService,
} from '@akili/plugin-akili-node';
import {
  AccessAgreement,
  AccessAgreementRequest,
  AccessAgreementStatus,
  akiliAccessDecidePermission,
  akiliAccessReadPermission,
  akiliAccessRequestPermission,
} from '@akili/plugin-lake-common';
import { AccessAgreementStore } from './AccessAgreementStore';

/** The output port kinds an agreement can cover: what StarRocks grants and the lake serve. */
export const AGREEMENT_PORT_KINDS = ['table', 'files'] as const;

/** The longest an agreement may run. */
const MAX_YEARS = 1;

/** Options of {@link AgreementsService}. */
export interface AgreementsServiceOptions {
  store: AccessAgreementStore;
  tenancy: TenancyService;
  catalog: CatalogService;
  auth: AuthService;
  logger?: LoggerService;
  /** The clock (tests). */
  now?: () => Date;
}

/** Which party the caller acts as in a decision. */
type Side = 'provider' | 'consumer';

function productRef(value: string, field: string) {
  const ref = parseInputProductRef(value, '');
  if (!ref) {
    throw new InputError(
      `Invalid body: ${field} '${value.slice(
        0,
        300,
      )}' is not a data product ref (dataproduct:<tenant>/<name>)`,
    );
  }
  return ref;
}

/** Throws when a column named is not a column of the port's schema. */
function checkColumns(
  columns: string[],
  port: { name: string; schema?: Array<{ name: string }> },
  product: string,
) {
  const declared = new Set((port.schema ?? []).map(column => column.name));
  const unknown = columns.filter(column => !declared.has(column));
  if (unknown.length > 0) {
    throw new InputError(
      `Invalid body: columns ${unknown
        .map(column => `'${column.slice(0, 128)}'`)
        .join(', ')} are not columns of port '${port.name}' of ${product}`,
    );
  }
}

/**
 * Access agreements between tenants: requests validated against the catalog, decisions
 * authorized in the right tenant through the one authorization path, reads limited to the
 * parties.
 *
 * The provider's product is looked up with the plugin's own credentials: the catalog policy
 * lets a user read only their own tenants' entities (and the shared namespace), so a consumer of
 * another tenant cannot see the product they ask for. That lookup only checks that the product,
 * its port and the columns named exist, and the answer tells no more than that (an unknown port
 * or column is named as the request named it; the product's other ports and columns are never
 * listed). The provider tenant is the namespace of the catalog's entity, never taken from the
 * request.
 */
export class AgreementsService {
  readonly #store: AccessAgreementStore;
  readonly #tenancy: TenancyService;
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #logger?: LoggerService;
  readonly #now: () => Date;

  constructor(options: AgreementsServiceOptions) {
    this.#store = options.store;
    this.#tenancy = options.tenancy;
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  /** `POST /v1/agreements`: a request by a member of the consumer tenant. */
  async request(
    caller: AkiliAuthentication,
    body: AccessAgreementRequest,
  ): Promise<AccessAgreement> {
    const authorization = await this.#tenancy.authorize(caller, {
      tenant: body.consumer.tenant,
      permission: akiliAccessRequestPermission,
    });
    const consumerTenant = authorization.tenant;
    const now = this.#now();
    const until = new Date(body.until);
    const latest = new Date(now);
    latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS);
    if (until.getTime() <= now.getTime()) {
      throw new InputError(`Invalid body: until must be in the future`);
    }
    if (until.getTime() > latest.getTime()) {
      throw new InputError(
        `Invalid body: until must be at most a year ahead (${latest.toISOString()})`,
      );
    }

    let consumerProduct: string | undefined;
    if (body.consumer.product !== undefined) {
      const ref = productRef(body.consumer.product, 'consumer.product');
      if (ref.namespace !== consumerTenant) {
        throw new InputError(
          `Invalid body: consumer.product must be a data product of tenant '${consumerTenant}'`,
        );
      }
      const entity = await this.#catalog.getEntityByRef(ref, {
        credentials: await this.#tenancy.catalogCredentials(authorization, ref),
      });
      if (!entity || !isDataProductEntity(entity)) {
        throw new InputError(
          `Invalid body: consumer.product: no data product dataproduct:${ref.namespace}/${ref.name}`,
        );
      }
      consumerProduct = `dataproduct:${entity.metadata.namespace}/${entity.metadata.name}`;
    }

    const providerRef = productRef(body.provider.product, 'provider.product');
    const requested = `dataproduct:${providerRef.namespace}/${providerRef.name}`;
    // The plugin's own credentials, only to check existence (see the class remarks).
    const entity = await this.#catalog.getEntityByRef(providerRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (!entity || !isDataProductEntity(entity)) {
      throw new InputError(
        `Invalid body: provider.product: no data product ${requested}`,
      );
    }
    const providerTenant = entity.metadata.namespace ?? 'default';
    const product = `dataproduct:${providerTenant}/${entity.metadata.name}`;
    if (providerTenant === consumerTenant) {
      throw new InputError(
        `Invalid body: consumer.tenant must be another tenant than the provider's: ${product} is of tenant '${consumerTenant}' already`,
      );
    }
    const ports = (entity as unknown as DataProductManifest).spec?.outputPorts;
    const port = (ports ?? []).find(p => p.name === body.provider.port);
    if (!port) {
      throw new InputError(
        `Invalid body: provider.port: ${product} has no output port '${body.provider.port}'`,
      );
    }
    if (!(AGREEMENT_PORT_KINDS as readonly string[]).includes(port.kind)) {
      throw new InputError(
        `Invalid body: provider.port '${port.name}' is a ${String(
          port.kind,
        )} port; agreements cover ${AGREEMENT_PORT_KINDS.join(
          ' and ',
        )} ports only`,
      );
    }
    checkColumns(body.columns, port, product);

    const agreement = await this.#store.request({
      provider: { tenant: providerTenant, product, port: port.name },
      consumer: {
        tenant: consumerTenant,
        ...(consumerProduct ? { product: consumerProduct } : {}),
      },
      purpose: body.purpose,
      columns: body.columns,
      until,
      requestedBy: authorization.actorRef,
    });
    this.#logger?.info('Access requested', {
      agreement: agreement.id,
      provider: providerTenant,
      consumer: consumerTenant,
      actor: authorization.actorRef,
    });
    return agreement;
  }

  /** `GET /v1/agreements/:id`: for members of either party (with akili.access.read). */
  async get(caller: AkiliAuthentication, id: string): Promise<AccessAgreement> {
    const agreement = await this.#locate(caller, id);
    const side = this.#memberSide(caller, agreement) ?? 'provider';
    await this.#tenancy.authorize(caller, {
      tenant: agreement[side].tenant,
      permission: akiliAccessReadPermission,
      notFoundMessage: `No access agreement ${id}`,
    });
    return agreement;
  }

  /** `GET /v1/agreements`: one tenant's (authorized), or every tenant of the caller's. */
  async list(
    caller: AkiliAuthentication,
    filter: {
      tenant?: string;
      side?: Side;
      status?: AccessAgreementStatus[];
      product?: string;
      limit: number;
    },
  ): Promise<AccessAgreement[]> {
    const { tenant, ...rest } = filter;
    if (tenant !== undefined) {
      const authorization = await this.#tenancy.authorize(caller, {
        tenant,
        permission: akiliAccessReadPermission,
      });
      return this.#store.list(authorization.tenant, rest);
    }
    if (rest.side) {
      throw new InputError('Invalid query: side needs a tenant');
    }
    const { principal } = caller;
    if (principal.type === 'user' && principal.platformAdmin) {
      await this.#tenancy.authorizePlatform(caller, {
        permission: akiliAccessReadPermission,
      });
      return this.#store.listAll(rest);
    }
    const byId = new Map<string, AccessAgreement>();
    for (const member of this.#tenantsOf(caller)) {
      const may = await this.#tenancy.can(caller, {
        tenant: member,
        permission: akiliAccessReadPermission,
      });
      if (!may) continue;
      for (const agreement of await this.#store.list(member, rest)) {
        byId.set(agreement.id, agreement);
      }
    }
    return [...byId.values()]
      .sort((a, b) =>
        a.requestedAt === b.requestedAt
          ? b.id.localeCompare(a.id)
          : b.requestedAt.localeCompare(a.requestedAt),
      )
      .slice(0, filter.limit);
  }

  /**
   * `POST /v1/agreements/:id/approve`: the provider, optionally narrowing the columns; a request
   * for the whole port (no columns) is approved only with the columns granted, which must be
   * columns of the port.
   */
  async approve(
    caller: AkiliAuthentication,
    id: string,
    body: { note?: string; columns?: string[] },
  ): Promise<AccessAgreement> {
    const agreement = await this.#locate(caller, id);
    const { tenant, actorRef } = await this.#authorizeSide(
      caller,
      id,
      'provider',
      agreement,
    );
    if (agreement.columns.length === 0 && body.columns?.length) {
      const { product, port: portName } = agreement.provider;
      const entity = await this.#catalog.getEntityByRef(product, {
        credentials: await this.#auth.getOwnServiceCredentials(),
      });
      const ports = entity
        ? (entity as unknown as DataProductManifest).spec?.outputPorts
        : undefined;
      const port = (ports ?? []).find(p => p.name === portName);
      if (!port) {
        throw new InputError(
          `Invalid body: columns: ${product} has no output port '${portName}' any more`,
        );
      }
      checkColumns(body.columns, port, product);
    }
    return this.#store.approve(tenant, id, { actor: actorRef, ...body });
  }

  /** `POST /v1/agreements/:id/reject`: the provider. */
  async reject(
    caller: AkiliAuthentication,
    id: string,
    body: { note: string },
  ): Promise<AccessAgreement> {
    const { tenant, actorRef } = await this.#authorizeSide(
      caller,
      id,
      'provider',
    );
    return this.#store.reject(tenant, id, { actor: actorRef, note: body.note });
  }

  /**
   * `POST /v1/agreements/:id/revoke`: the provider revokes, or the consumer gives the access
   * up; a caller who may do both acts as the provider.
   */
  async revoke(
    caller: AkiliAuthentication,
    id: string,
    body: { reason: string },
  ): Promise<AccessAgreement> {
    const agreement = await this.#locate(caller, id);
    const asProvider = await this.#tenancy.can(caller, {
      tenant: agreement.provider.tenant,
      permission: akiliAccessDecidePermission,
    });
    const { tenant, actorRef } = await this.#authorizeSide(
      caller,
      id,
      asProvider ? 'provider' : 'consumer',
      agreement,
    );
    return this.#store.revoke(tenant, id, {
      actor: actorRef,
      note: body.reason,
    });
  }

  /** `POST /v1/agreements/:id/withdraw`: the consumer withdraws its request. */
  async withdraw(
    caller: AkiliAuthentication,
    id: string,
    body: { note?: string },
  ): Promise<AccessAgreement> {
    const { tenant, actorRef } = await this.#authorizeSide(
      caller,
      id,
      'consumer',
    );
    return this.#store.withdraw(tenant, id, { actor: actorRef, ...body });
  }

  /**
   * Authorizes the caller as one party of a visible agreement: the provider with
   * `akili.access.decide`, the consumer with `akili.access.request`. A caller who sees the
   * agreement from the other side is told who decides (403), not that it does not exist.
   */
  async #authorizeSide(
    caller: AkiliAuthentication,
    id: string,
    side: Side,
    located?: AccessAgreement,
  ): Promise<AkiliAuthorization> {
    const agreement = located ?? (await this.#locate(caller, id));
    const tenant = agreement[side].tenant;
    try {
      return await this.#tenancy.authorize(caller, {
        tenant,
        permission:
          side === 'provider'
            ? akiliAccessDecidePermission
            : akiliAccessRequestPermission,
      });
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new NotAllowedError(
          side === 'provider'
            ? `${caller.actorRef} may not decide on access agreement ${id}: tenant '${tenant}' (the provider) decides`
            : `${caller.actorRef} may not act for tenant '${tenant}' (the consumer) on access agreement ${id}`,
        );
      }
      throw error;
    }
  }

  /** The agreement, if one of the caller's tenants is a party to it (platform admins: any). */
  async #locate(
    caller: AkiliAuthentication,
    id: string,
  ): Promise<AccessAgreement> {
    const { principal } = caller;
    if (principal.type === 'user' && principal.platformAdmin) {
      const agreement = await this.#store.getAsPlatform(id);
      if (agreement) return agreement;
    } else {
      for (const tenant of this.#tenantsOf(caller)) {
        const agreement = await this.#store.get(tenant, id);
        if (agreement) return agreement;
      }
    }
    throw new NotFoundError(`No access agreement ${id}`);
  }

  #tenantsOf(caller: AkiliAuthentication): string[] {
    const { principal } = caller;
    return principal.type === 'user'
      ? Object.keys(principal.tenants).sort()
      : [principal.tenant];
  }

  #memberSide(
    caller: AkiliAuthentication,
    agreement: AccessAgreement,
  ): Side | undefined {
    const tenants = this.#tenantsOf(caller);
    if (tenants.includes(agreement.provider.tenant)) return 'provider';
    if (tenants.includes(agreement.consumer.tenant)) return 'consumer';
    return undefined;
  }
}
