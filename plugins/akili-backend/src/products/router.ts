import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  akiliProductReadPermission,
  akiliProductSubmitPermission,
  DataProductManifest,
  diffManifests,
  InternalProductsResponse,
  ManifestDiff,
  ManifestFormat,
  ManifestProblem,
  NAME_PATTERN,
  OdcsContract,
  ProductFormat,
  ProductSummary,
  registeredContract,
  SubmitProductConflict,
  SubmitProductResponse,
} from '@akili/plugin-akili-common';
import {
  AkiliPrincipal,
  LakeAgreementsSource,
  ManifestParserService,
  TenancyService,
} from '@akili/plugin-akili-node';
import { manifestTextOf } from '../service/manifestBody';
import { checkCrossTenantInputs } from './crossTenantInputs';
import { findConsumers } from './impact';
import { ProductStore, statusOf } from './ProductStore';

const NAME = new RegExp(NAME_PATTERN);
/** Problems named in the message of an invalid manifest's 400; the rest are counted. */
const PROBLEMS_IN_MESSAGE = 3;
/** Breaking changes named in the message of a 409; the body's diff has them all. */
const CHANGES_IN_MESSAGE = 10;
/** Only backend plugins may call the internal routes, never a token of a tenant or an outsider. */
const PLUGIN_SUBJECT_PREFIX = 'plugin:';

/** The registry's format of a parsed document. */
function formatOf(kind: ManifestFormat): ProductFormat {
  return kind === 'odps' || kind === 'odcs' ? kind : 'akili';
}

/**
 * A boolean query parameter, absent is false. The spec declares it a boolean, so the validator
 * has refused anything but `true` and `false` (and may have made it a boolean already).
 */
export function flag(req: express.Request, name: string): boolean {
  const value: unknown = req.query[name];
  return value === true || value === 'true';
}

function where(problem: ManifestProblem): string {
  return problem.line !== undefined
    ? `${problem.path} (line ${problem.line}, column ${problem.column ?? 1})`
    : problem.path;
}

/** An invalid manifest's 400 message: the first problems with path and line, the rest counted. */
function invalidManifestMessage(errors: readonly ManifestProblem[]): string {
  const named = errors
    .slice(0, PROBLEMS_IN_MESSAGE)
    .map(problem => `${where(problem)}: ${problem.message}`);
  const more = errors.length - named.length;
  return `The manifest is not valid: ${named.join('; ')}${
    more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''
  }`;
}

/** Why a diff may not be registered as asked, or `undefined` when it may. */
function conflictOf(
  entityRef: string,
  diff: ManifestDiff,
  acknowledged: boolean,
): string | undefined {
  if (!diff.breaking || (acknowledged && !diff.requiresMajorBump)) {
    return undefined;
  }
  const breaking = diff.changes.filter(change => change.breaking);
  const needs: string[] = [];
  if (!acknowledged) {
    needs.push('acknowledgeBreaking=true');
  }
  if (diff.requiresMajorBump) {
    needs.push(
      `a new major version in spec.version (${
        diff.nextVersion ?? 'not set'
      }, was ${diff.previousVersion ?? 'not set'})`,
    );
  }
  const listed = breaking
    .slice(0, CHANGES_IN_MESSAGE)
    .map(change => `${change.path}: ${change.message}`);
  const more = breaking.length - listed.length;
  return `${entityRef} has ${breaking.length} breaking change${
    breaking.length === 1 ? '' : 's'
  }, which need ${needs.join(' and ')}: ${listed.join('; ')}${
    more > 0 ? `; and ${more} more` : ''
  }`;
}

/**
 * The tenants whose products the caller may see: a user's own (every one for a platform admin,
 * `undefined`), an API token's one. The catalog read applies the user's own credentials on top;
 * for a token it uses the plugin's, so this is what keeps it in the token's tenant.
 */
function visibleTenants(
  principal: AkiliPrincipal,
  tenant: string,
): string[] | undefined {
  if (principal.type === 'token') {
    return [tenant];
  }
  return principal.platformAdmin ? undefined : Object.keys(principal.tenants);
}

/** The diff of a product's first revision: nothing changed. */
function initialDiff(manifest: DataProductManifest): ManifestDiff {
  return {
    changes: [],
    breaking: false,
    ...(manifest.spec.version !== undefined
      ? { nextVersion: manifest.spec.version }
      : {}),
    requiresMajorBump: false,
  };
}

/**
 * The product registry's routes: submit a manifest (validated, diffed against the current
 * revision, breaking changes held back unless acknowledged with a new major version) and read a
 * product's entry with its versions; and, for backend plugins only, every tenant's current
 * manifests (`GET /v1/internal/products`, which the catalog's registry provider reads).
 */
export function createProductsRouter(options: {
  httpAuth: HttpAuthService;
  /** Every tenant's name, for the internal route. */
  tenantNames: () => Promise<string[]>;
  logger: LoggerService;
  catalog: CatalogService;
  tenancy: TenancyService;
  manifestParser: ManifestParserService;
  store: ProductStore;
  /**
   * The access agreements in force (the lake backend's): an input port on another tenant's
   * product needs one.
   */
  agreements: LakeAgreementsSource;
}): express.Router {
  const { httpAuth, tenantNames, logger, catalog, tenancy, manifestParser } =
    options;
  const { store, agreements } = options;
  // The manifest is read as text and the request checked against the spec by the plugin's router.
  const router = Router();

  /**
   * Parses a submitted document in the tenant of the route: an Akili manifest, an ODPS product
   * or an ODCS contract (a product with a port per schema object), told apart by apiVersion and
   * kind. An ODPS product's contracts are looked up in the tenant's registry (the output ports of
   * registered products, those submitted as ODCS contracts included); one found nowhere is an
   * error here, where a file validated alone only warns.
   */
  async function parseSubmission(text: string, tenant: string) {
    const inTenant = { tenant, contractAsProduct: true } as const;
    const first = await manifestParser.parse(text, {
      ...inTenant,
      unresolvedContracts: 'warning',
    });
    if (first.kind !== 'odps' || !first.valid) {
      return first;
    }
    // Ports without columns name a contract that was not at hand.
    const wanted = new Set(
      first.manifests[0].spec.outputPorts.flatMap(port =>
        port.contract?.id && port.schema.length === 0 ? [port.contract.id] : [],
      ),
    );
    if (wanted.size === 0) {
      return first;
    }
    const contracts = new Map<string, OdcsContract>();
    for (const registered of await store.listCurrent([tenant])) {
      for (const id of wanted) {
        const contract = contracts.has(id)
          ? undefined
          : registeredContract(registered.manifest, id);
        if (contract) {
          contracts.set(id, contract);
        }
      }
    }
    return manifestParser.parse(text, { ...inTenant, contracts });
  }

  /**
   * Submits an Akili manifest to the tenant of the route (never the manifest's own namespace).
   * An input port on another tenant's product is refused (400) without an access agreement in
   * force for it, and the lake backend that keeps agreements being down is a 503.
   * `dryRun=true` answers what would happen and stores nothing; `acknowledgeBreaking=true`
   * accepts breaking changes that come with a new major version.
   */
  router.post('/v1/tenants/:tenant/products', async (req, res) => {
    const { tenant } = req.params;
    const authorization = await tenancy.authorize(req, {
      tenant,
      permission: akiliProductSubmitPermission,
    });
    const dryRun = flag(req, 'dryRun');
    const acknowledged = flag(req, 'acknowledgeBreaking');
    const text = manifestTextOf(req);
    const result = await parseSubmission(text, tenant);
    if (!result.valid) {
      throw new InputError(invalidManifestMessage(result.errors));
    }
    const [parsed] = result.manifests;
    const warnings: string[] = (result.warnings ?? []).map(
      problem => `${where(problem)}: ${problem.message}`,
    );
    if (parsed.metadata.namespace !== tenant) {
      warnings.push(
        `metadata.namespace '${parsed.metadata.namespace}' is not the tenant of the route: the product is registered in tenant '${tenant}'`,
      );
    }
    // A product belongs to the tenant it is submitted to, whatever its text claims.
    const manifest: DataProductManifest = {
      ...parsed,
      metadata: { ...parsed.metadata, namespace: tenant },
    };
    // An input port on another tenant's product needs an agreement in force (dry runs too).
    await checkCrossTenantInputs({ manifest, tenant, agreements });
    const name = manifest.metadata.name;
    const entityRef = `dataproduct:${tenant}/${name}`;

    const current = await store.current(tenant, name);
    const diff = current
      ? diffManifests(current.manifest, manifest)
      : initialDiff(manifest);
    const impact = await findConsumers({
      catalog,
      credentials: await tenancy.catalogCredentials(authorization, {
        namespace: tenant,
      }),
      tenant,
      name,
      namespaces: visibleTenants(authorization.principal, tenant),
      diff,
    });
    const conflict = conflictOf(entityRef, diff, acknowledged);

    if (dryRun) {
      const product: ProductSummary = {
        entityRef,
        tenant,
        name,
        status: statusOf(manifest),
        ...(manifest.spec.version !== undefined
          ? { version: manifest.spec.version }
          : {}),
        revision: (current?.revision ?? 0) + 1,
      };
      const body: SubmitProductResponse = {
        stored: false,
        product,
        diff,
        warnings,
        impact,
        ...(conflict ? { conflict } : {}),
      };
      res.status(200).json(body);
      return;
    }
    if (conflict) {
      // The body carries the diff beside the error, for the CLI and the merge-request review;
      // the framework's error handler would only serialize the error.
      const body: SubmitProductConflict = {
        error: { name: 'ConflictError', message: conflict },
        diff,
        impact,
      };
      res.status(409).json(body);
      return;
    }
    const product = await store.register(tenant, {
      manifest,
      text,
      format: formatOf(result.kind),
      submittedBy: authorization.actorRef,
      diff,
      breakingAcknowledged: acknowledged && diff.breaking,
      basedOnRevision: current?.revision ?? 0,
    });
    logger.info('Data product registered', {
      tenant,
      product: entityRef,
      revision: product.revision,
      breaking: diff.breaking,
      actor: authorization.actorRef,
    });
    const body: SubmitProductResponse = {
      stored: true,
      product,
      diff,
      warnings,
      impact,
    };
    res.status(201).json(body);
  });

  /** A product's registry entry with its versions, newest first. */
  router.get('/v1/tenants/:tenant/products/:name', async (req, res) => {
    const { tenant, name } = req.params;
    const notFoundMessage = `No data product dataproduct:${tenant}/${name} in the registry`;
    await tenancy.authorize(req, {
      tenant,
      permission: akiliProductReadPermission,
      notFoundMessage,
    });
    if (!NAME.test(name)) {
      throw new InputError(
        `"${name}" is not a data product name: lowercase letters, digits and dashes`,
      );
    }
    const entry = await store.get(tenant, name);
    if (!entry) {
      throw new NotFoundError(notFoundMessage);
    }
    res.json(entry);
  });

  /**
   * Internal, service-only: the current manifest of every registered product of every tenant,
   * each with the tenant of its registry row. Only backend plugins may ask (`plugin:*` service
   * principals): users and Akili API tokens are refused, because the answer spans tenants.
   */
  router.get('/v1/internal/products', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.subject.startsWith(PLUGIN_SUBJECT_PREFIX)) {
      throw new NotAllowedError(
        'Only backend plugins may read the registry across tenants',
      );
    }
    const body: InternalProductsResponse = {
      products: await store.listCurrent(await tenantNames()),
    };
    res.json(body);
  });

  return router;
}
