import {
  AuthService,
  DiscoveryService,
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import {
  InternalProductsResponse,
  RegisteredProductManifest,
} from '@akili/plugin-akili-common';
import {
  getFromControlPlane,
  ManifestParserService,
} from '@akili/plugin-akili-node';
import {
  ANNOTATION_MANIFEST_SOURCE,
  ANNOTATION_REGISTRY_REVISION,
  formatProblems,
} from './annotations';
import {
  ManifestParse,
  manifestsToEntities,
  parseOnThisThread,
} from './manifestsToEntities';
import { ManifestFile } from './types';

/** The Akili event topic (bridged by the akili backend) after which the registry is read again. */
export const PRODUCT_REGISTERED_TOPIC = 'akili.product.registered';

/** The registry's current manifests, and where people read each entry. */
export interface RegistryReader {
  describe(): string;
  /** Every registered product's current manifest; throws when the registry cannot be read. */
  list(): Promise<RegisteredProductManifest[]>;
  /** The URL of a product's registry entry (its location in the catalog). */
  entryUrl(tenant: string, name: string): Promise<string>;
}

/**
 * Reads the product registry through the control plane's internal route
 * (`GET /api/akili/v1/internal/products`) with this plugin's service credentials: a route only
 * backend plugins may call, never users or API tokens.
 */
export class ControlPlaneRegistryReader implements RegistryReader {
  readonly #deps: { discovery: DiscoveryService; auth: AuthService };

  constructor(deps: { discovery: DiscoveryService; auth: AuthService }) {
    this.#deps = deps;
  }

  describe(): string {
    return 'the Akili product registry';
  }

  async list(): Promise<RegisteredProductManifest[]> {
    const body = (await getFromControlPlane(
      this.#deps,
      '/v1/internal/products',
      'Could not read the product registry',
    )) as Partial<InternalProductsResponse> | undefined;
    if (!Array.isArray(body?.products)) {
      throw new Error('The product registry answered without a products list');
    }
    return body.products;
  }

  async entryUrl(tenant: string, name: string): Promise<string> {
    const base = await this.#deps.discovery.getExternalBaseUrl('akili');
    return `${base}/v1/tenants/${encodeURIComponent(
      tenant,
    )}/products/${encodeURIComponent(name)}`;
  }
}

/** Options of {@link RegistryEntityProvider}. */
export interface RegistryEntityProviderOptions {
  reader: RegistryReader;
  logger: LoggerService;
  /** Runs the scheduled reads; without it, only `refresh()` and events read. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Where `akili.product.registered` arrives; without it, only scheduled reads. */
  events?: EventsService;
  parser?: ManifestParserService;
  /**
   * Whether another provider (a GitLab or folder provider of this module) gives the product:
   * that one wins, and this provider leaves the product out.
   */
  heldElsewhere?: (entityRef: string) => boolean;
  /**
   * Called with the refs this provider gave and now leaves to another provider, after removing
   * them: the catalog refused that provider's entity while this one held the ref, so it applies
   * it again.
   */
  release?: (entityRefs: string[]) => Promise<void>;
}

/**
 * Provides a DataProduct entity for each product of the control plane's registry (its current
 * manifest), so a product submitted through the API, the CLI or a template is in the catalog
 * without waiting for a GitLab scan.
 *
 * @remarks
 *
 * Each product's namespace is the tenant of its registry row, never what its text says; the
 * manifest goes through the same conversion and validation as the GitLab provider's files
 * (`manifestsToEntities`: a manifest that no longer validates keeps the last good version,
 * marked as failing). A product another provider of this module gives (its GitLab project or
 * folder) is left to that one: the source of the code wins, and the registry only fills in
 * what no source gives (yet). Read fully on a schedule and after each `product.registered`
 * event; a registry that cannot be read keeps what the catalog has.
 */
export class RegistryEntityProvider implements EntityProvider {
  private readonly reader: RegistryReader;
  private readonly logger: LoggerService;
  private readonly taskRunner?: SchedulerServiceTaskRunner;
  private readonly events?: EventsService;
  private readonly parse: ManifestParse;
  private readonly heldElsewhere: (entityRef: string) => boolean;
  private readonly release?: (entityRefs: string[]) => Promise<void>;
  private connection?: EntityProviderConnection;
  /** The refs this provider gave at its last run. */
  private given = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: RegistryEntityProviderOptions) {
    this.reader = options.reader;
    this.taskRunner = options.taskRunner;
    this.events = options.events;
    const parser = options.parser;
    this.parse = parser
      ? (text, parseOptions) => parser.parse(text, parseOptions)
      : parseOnThisThread;
    this.heldElsewhere = options.heldElsewhere ?? (() => false);
    this.release = options.release;
    this.logger = options.logger.child({ target: this.getProviderName() });
  }

  getProviderName(): string {
    return 'akili-registry';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: () => this.refreshLogged(),
    });
    if (this.events) {
      await this.events.subscribe({
        id: this.getProviderName(),
        topics: [PRODUCT_REGISTERED_TOPIC],
        onEvent: () => this.refreshLogged(),
      });
    }
  }

  /** Whether this provider gives `entityRef` now. */
  holds(entityRef: string): boolean {
    return this.given.has(entityRef);
  }

  /** Reads again when a product this provider gives is now given by another provider. */
  async releaseTaken(): Promise<void> {
    if ([...this.given].some(ref => this.heldElsewhere(ref))) {
      await this.refreshLogged();
    }
  }

  /** Reads the registry and replaces this provider's entities. */
  async refresh(): Promise<{ entities: number; invalid: number }> {
    return this.exclusive(async () => {
      if (!this.connection) {
        throw new Error(
          `${this.getProviderName()} is not connected to the catalog yet`,
        );
      }
      const products = await this.reader.list();
      const files: ManifestFile[] = [];
      const revisions = new Map<string, number>();
      for (const product of products) {
        const ref = `dataproduct:${product.tenant}/${product.name}`;
        if (this.heldElsewhere(ref)) continue;
        const target = await this.reader.entryUrl(product.tenant, product.name);
        revisions.set(target, product.revision);
        files.push({
          target,
          locationType: 'url',
          fileName: 'dataproduct.json',
          // The registry row's tenant, whatever the stored text says.
          tenant: product.tenant,
          text: JSON.stringify({
            ...product.manifest,
            metadata: {
              ...product.manifest.metadata,
              namespace: product.tenant,
            },
          }),
        });
      }
      const result = await manifestsToEntities(files, {
        parse: this.parse,
        knownRefs: new Map(),
      });
      const entities: Entity[] = result.entities.map(entity => {
        const target =
          entity.metadata.annotations?.[ANNOTATION_MANIFEST_SOURCE];
        const revision = target ? revisions.get(target) : undefined;
        return revision === undefined
          ? entity
          : {
              ...entity,
              metadata: {
                ...entity.metadata,
                annotations: {
                  ...entity.metadata.annotations,
                  [ANNOTATION_REGISTRY_REVISION]: String(revision),
                },
              },
            };
      });
      await this.connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
      const now = new Set(entities.map(entity => stringifyEntityRef(entity)));
      const released = [...this.given].filter(
        ref => !now.has(ref) && this.heldElsewhere(ref),
      );
      this.given = now;
      for (const problem of result.problems) {
        this.logger.warn('Refused a registered data product manifest', {
          entry: problem.target,
          problems: formatProblems(problem.problems, 5),
        });
      }
      this.logger.info('Read data products', {
        source: this.reader.describe(),
        entities: entities.length,
        invalid: result.problems.length,
        leftToOtherSources: products.length - files.length,
      });
      if (released.length > 0 && this.release) {
        await this.release(released);
      }
      return { entities: entities.length, invalid: result.problems.length };
    });
  }

  private async refreshLogged(): Promise<void> {
    try {
      await this.refresh();
    } catch (error) {
      // Logged, not thrown: the schedule tries again, the catalog keeps what it has.
      this.logger.error('Data product registry read failed', {
        source: this.reader.describe(),
        error: (error as Error).message,
      });
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
