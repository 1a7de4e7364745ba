import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { ManifestParserService } from '@akili/plugin-akili-node';
import { ANNOTATION_MANIFEST_SOURCE, formatProblems } from './annotations';
import { readProviderConfigs } from './config';
import { FolderManifestSource } from './FolderManifestSource';
import { GitlabManifestSource } from './GitlabManifestSource';
import {
  ConversionResult,
  FileProblem,
  ManifestParse,
  manifestsToEntities,
  parseOnThisThread,
  TenantContract,
} from './manifestsToEntities';
import { ManifestChanges, ManifestSource } from './types';

/** What the last run of a provider found, for logs and operators. */
export interface ProviderRunSummary {
  type: 'full' | 'delta';
  entities: number;
  invalidFiles: FileProblem[];
  /** Files read with warnings (e.g. an ODPS `tenant` that is not the file's place's). */
  warnedFiles: FileProblem[];
  /** Places of the source that could not be listed; their products were kept. */
  unreadablePlaces: number;
  durationMs: number;
}

/** Options of {@link DataProductEntityProvider}. */
export interface DataProductEntityProviderOptions {
  /** The provider id: the key under `catalog.providers.akiliDataProducts`. */
  id: string;
  source: ManifestSource;
  logger: LoggerService;
  /** Runs the full scans; without it, only `refresh()` scans. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** Where the source's change events (`gitlab.push`) arrive; without it, only scans. */
  events?: EventsService;
  /**
   * Parses manifests: the backend's `manifestParserServiceRef` (worker threads, so a scan never
   * holds up the event loop); parsed on the calling thread when absent.
   */
  parser?: ManifestParserService;
}

/**
 * Provides DataProduct entities from the manifests of one source, in the shape of Backstage's
 * GitLab discovery provider: one instance per configured id (`fromConfig`), full mutations on a
 * schedule, delta mutations for the source's events (subscribed in `connect`), errors caught and
 * logged inside the task and the event handler.
 *
 * Every file belongs to the tenant of its place in the source; a manifest naming another tenant
 * is refused. One bad manifest never blocks or removes the others, a product whose file turns
 * bad keeps its last good version in the catalog, marked as failing, and a place that cannot be
 * listed keeps its products.
 */
export class DataProductEntityProvider implements EntityProvider {
  private readonly id: string;
  private readonly source: ManifestSource;
  private readonly logger: LoggerService;
  private readonly taskRunner?: SchedulerServiceTaskRunner;
  private readonly events?: EventsService;
  private readonly parse: ManifestParse;
  private connection?: EntityProviderConnection;
  /** The entities each file gave at the last run (target -> entities). */
  private readonly entitiesByTarget = new Map<string, Entity[]>();
  private contracts = new Map<string, TenantContract>();
  private lastRun?: ProviderRunSummary;
  /** Scans and events are applied one at a time, so a delta never races a full scan. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Called after each run (e.g. so the registry provider releases products this one took). */
  private readonly runListeners: Array<() => Promise<void>> = [];

  /**
   * One provider per entry of `catalog.providers.akiliDataProducts`, each with its own task
   * runner (from the entry's `schedule`) and source (a folder, or a GitLab group whose
   * `integrations.gitlab` entry supplies the token).
   */
  static fromConfig(
    config: Config,
    options: {
      logger: LoggerService;
      scheduler: SchedulerService;
      events?: EventsService;
      parser?: ManifestParserService;
    },
  ): DataProductEntityProvider[] {
    const integrations = ScmIntegrations.fromConfig(config);
    return readProviderConfigs(config).map(c => {
      let source: ManifestSource;
      if (c.gitlab) {
        const integration = integrations.gitlab.byHost(c.gitlab.host);
        if (!integration) {
          throw new InputError(
            `catalog.providers.akiliDataProducts.${c.id}.gitlab.host "${c.gitlab.host}" has no integrations.gitlab entry`,
          );
        }
        source = new GitlabManifestSource({
          integration: integration.config,
          group: c.gitlab.group,
          branch: c.gitlab.branch,
        });
      } else {
        source = new FolderManifestSource({
          folder: c.folder!,
          tenant: c.tenant,
        });
      }
      return new DataProductEntityProvider({
        id: c.id,
        source,
        logger: options.logger,
        taskRunner: options.scheduler.createScheduledTaskRunner(c.schedule),
        events: options.events,
        parser: options.parser,
      });
    });
  }

  constructor(options: DataProductEntityProviderOptions) {
    this.id = options.id;
    this.source = options.source;
    this.taskRunner = options.taskRunner;
    this.events = options.events;
    const parser = options.parser;
    this.parse = parser
      ? (text, parseOptions) => parser.parse(text, parseOptions)
      : parseOnThisThread;
    this.logger = options.logger.child({ target: this.getProviderName() });
  }

  getProviderName(): string {
    return `akili-data-products:${this.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.taskRunner?.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          // Logged, not thrown: the schedule tries again, the catalog keeps what it has.
          this.logger.error('Data product scan failed', {
            source: this.source.describe(),
            error: (error as Error).message,
          });
        }
      },
    });
    const topics = this.source.eventTopics ?? [];
    if (this.events && topics.length > 0) {
      await this.events.subscribe({
        id: this.getProviderName(),
        topics: [...topics],
        onEvent: async ({ topic, eventPayload }) => {
          await this.onEvent(topic, eventPayload);
        },
      });
    }
  }

  /**
   * Applies one event of the source (a GitLab push): what it says changed is read again from
   * the source as a delta. Errors are logged, never thrown to the events service.
   */
  async onEvent(topic: string, payload: unknown): Promise<void> {
    try {
      const changes = await this.source.readEvent?.(topic, payload);
      if (changes === undefined || typeof changes === 'string') {
        this.logger.info('Ignored an event for data products', {
          topic,
          reason: changes ?? 'the source reads no events',
        });
        return;
      }
      await this.applyChanges(changes);
    } catch (error) {
      this.logger.error('Could not apply an event to data products', {
        topic,
        source: this.source.describe(),
        error: (error as Error).message,
      });
    }
  }

  /** Reads every manifest of the source and replaces this provider's entities. */
  async refresh(): Promise<ProviderRunSummary> {
    return this.exclusive(async () => {
      const connection = this.requireConnection();
      const started = Date.now();
      const scan = await this.source.listFiles();
      const inUnreadable = (target: string) =>
        scan.unreadable.some(p => target.startsWith(p.targetPrefix));
      for (const place of scan.unreadable) {
        this.logger.warn(
          'Kept the data products of a place that could not be listed',
          {
            place: place.targetPrefix,
            reason: place.reason,
          },
        );
      }
      // What could not be listed keeps its entities and contracts from the last run.
      const kept = new Map(
        [...this.entitiesByTarget].filter(([target]) => inUnreadable(target)),
      );
      const result = await manifestsToEntities(scan.files, {
        parse: this.parse,
        knownRefs: this.knownRefs(),
        contracts: new Map(
          [...this.contracts].filter(([target]) => inUnreadable(target)),
        ),
        heldRefs: refsHeldBy(kept),
      });
      this.contracts = result.contracts;
      this.entitiesByTarget.clear();
      for (const [target, entities] of kept) {
        this.entitiesByTarget.set(target, entities);
      }
      this.remember(result.entities);
      const entities = [...this.entitiesByTarget.values()].flat();
      await connection.applyMutation({
        type: 'full',
        entities: entities.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
      });
      return this.finish(
        'full',
        entities.length,
        result,
        scan.unreadable.length,
        started,
      );
    });
  }

  /**
   * Applies changed and removed files of one tenant's place (from a push event) without a
   * full scan. Only products of `changes.tenant` are added or removed.
   */
  async applyChanges(changes: ManifestChanges): Promise<ProviderRunSummary> {
    return this.exclusive(async () => {
      const connection = this.requireConnection();
      const started = Date.now();
      const { tenant } = changes;
      const touched = new Set([
        ...changes.changed.map(f => f.target),
        ...changes.removedTargets,
      ]);
      const others = new Map(
        [...this.entitiesByTarget].filter(([target]) => !touched.has(target)),
      );
      const result = await manifestsToEntities(
        // A source reports files of the event's tenant only; any other file is refused.
        changes.changed.map(f => ({
          ...f,
          tenant: f.tenant === tenant ? tenant : undefined,
        })),
        {
          parse: this.parse,
          knownRefs: this.knownRefs(),
          contracts: new Map(
            [...this.contracts].filter(
              ([target]) => !changes.removedTargets.includes(target),
            ),
          ),
          heldRefs: refsHeldBy(others),
        },
      );
      const added = result.entities.filter(
        e => (e.metadata.namespace ?? 'default') === tenant,
      );
      const addedRefs = new Set(added.map(e => stringifyEntityRef(e)));
      const stillHeld = refsHeldBy(others);
      // Products of the touched files that no file gives any more (removed, renamed, refused).
      const removedRefs = new Set<string>();
      for (const target of touched) {
        for (const entity of this.entitiesByTarget.get(target) ?? []) {
          const ref = stringifyEntityRef(entity);
          if (
            parseEntityRef(ref).namespace === tenant &&
            !addedRefs.has(ref) &&
            !stillHeld.has(ref)
          ) {
            removedRefs.add(ref);
          }
        }
        this.entitiesByTarget.delete(target);
      }
      this.contracts = result.contracts;
      this.remember(added);
      await connection.applyMutation({
        type: 'delta',
        added: added.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
        removed: [...removedRefs].map(entityRef => ({
          entityRef,
          locationKey: this.getProviderName(),
        })),
      });
      return this.finish('delta', added.length, result, 0, started);
    });
  }

  /** Whether this provider gives the entity `entityRef` (a valid product or a failing marker). */
  holds(entityRef: string): boolean {
    for (const entities of this.entitiesByTarget.values()) {
      if (entities.some(entity => stringifyEntityRef(entity) === entityRef)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Applies again, as a delta, the entities this provider gives among `entityRefs`: after
   * another provider released them, so the catalog takes this provider's version, which it
   * refused while the other held the ref.
   */
  async reapply(entityRefs: readonly string[]): Promise<void> {
    await this.exclusive(async () => {
      if (!this.connection) return;
      const wanted = new Set(entityRefs);
      const added = [...this.entitiesByTarget.values()]
        .flat()
        .filter(entity => wanted.has(stringifyEntityRef(entity)));
      if (added.length === 0) return;
      await this.connection.applyMutation({
        type: 'delta',
        added: added.map(entity => ({
          entity,
          locationKey: this.getProviderName(),
        })),
        removed: [],
      });
    });
  }

  /** Calls `listener` after each full or delta run; its errors are logged. */
  onRun(listener: () => Promise<void>): void {
    this.runListeners.push(listener);
  }

  /** The last run's summary, if any. */
  getLastRun(): ProviderRunSummary | undefined {
    return this.lastRun;
  }

  private knownRefs(): Map<string, string> {
    const refs = new Map<string, string>();
    for (const [target, entities] of this.entitiesByTarget) {
      if (entities.length > 0)
        refs.set(target, stringifyEntityRef(entities[0]));
    }
    return refs;
  }

  private remember(entities: Entity[]) {
    for (const entity of entities) {
      const target = entity.metadata.annotations?.[ANNOTATION_MANIFEST_SOURCE];
      if (!target) continue;
      const list = this.entitiesByTarget.get(target) ?? [];
      list.push(entity);
      this.entitiesByTarget.set(target, list);
    }
  }

  private finish(
    type: 'full' | 'delta',
    entities: number,
    result: Pick<ConversionResult, 'problems' | 'warnings'>,
    unreadablePlaces: number,
    started: number,
  ): ProviderRunSummary {
    const invalidFiles = result.problems;
    for (const file of result.warnings) {
      // Read all the same; e.g. an ODPS `tenant` that is not the file's place (which wins).
      this.logger.warn('Read a data product manifest with warnings', {
        file: file.target,
        warnings: formatProblems(file.problems, 5),
      });
    }
    for (const file of invalidFiles) {
      this.logger.warn('Refused a data product manifest', {
        file: file.target,
        problems: formatProblems(file.problems, 5),
      });
    }
    this.lastRun = {
      type,
      entities,
      invalidFiles,
      warnedFiles: result.warnings,
      unreadablePlaces,
      durationMs: Date.now() - started,
    };
    this.logger.info('Read data products', {
      source: this.source.describe(),
      type,
      entities,
      invalidFiles: invalidFiles.length,
      unreadablePlaces,
    });
    for (const listener of this.runListeners) {
      // Not awaited: a listener may wait for this provider's queue.
      listener().catch(error =>
        this.logger.error('A data product run listener failed', {
          error: (error as Error).message,
        }),
      );
    }
    return this.lastRun;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private requireConnection() {
    if (!this.connection) {
      throw new Error(
        `${this.getProviderName()} is not connected to the catalog yet`,
      );
    }
    return this.connection;
  }
}

/** Entity ref -> the target that gives it. */
function refsHeldBy(entitiesByTarget: ReadonlyMap<string, Entity[]>) {
  const refs = new Map<string, string>();
  for (const [target, entities] of entitiesByTarget) {
    for (const entity of entities) {
      refs.set(stringifyEntityRef(entity), target);
    }
  }
  return refs;
}
