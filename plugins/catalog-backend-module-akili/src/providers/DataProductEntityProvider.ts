import {
  LoggerService,
  SchedulerServiceTaskRunner,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { OdcsContract } from '@akili/plugin-akili-common';
import { formatProblems } from './annotations';
import { FileProblem, manifestsToEntities } from './manifestsToEntities';
import { ManifestFile, ManifestSource } from './types';

/** What the last run of a provider found, for logs and operators. */
export interface ProviderRunSummary {
  type: 'full' | 'delta';
  entities: number;
  invalidFiles: FileProblem[];
  durationMs: number;
}

/**
 * Provides DataProduct entities from the manifests of one source. Full scans run on a
 * schedule; `applyChanges` applies what an event says changed (a delta). One bad manifest
 * never blocks or removes the others, and a product whose file turns bad keeps its last
 * good version in the catalog, marked as failing.
 */
export class DataProductEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  /** Entity ref each file held at its last good read. */
  private readonly refsByTarget = new Map<string, string>();
  private contracts = new Map<string, OdcsContract>();
  private lastRun?: ProviderRunSummary;

  constructor(
    private readonly id: string,
    private readonly source: ManifestSource,
    private readonly logger: LoggerService,
    private readonly taskRunner?: SchedulerServiceTaskRunner,
  ) {}

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
          this.logger.error(
            `Scan of ${this.source.describe()} failed`,
            error as Error,
          );
        }
      },
    });
  }

  /** Reads every manifest of the source and replaces this provider's entities. */
  async refresh(): Promise<ProviderRunSummary> {
    const connection = this.requireConnection();
    const started = Date.now();
    const files = await this.source.listFiles();
    const result = manifestsToEntities(files, { knownRefs: this.refsByTarget });
    this.contracts = result.contracts;
    this.remember(files, result.entities);
    await connection.applyMutation({
      type: 'full',
      entities: result.entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    return this.finish(
      'full',
      result.entities.length,
      result.problems,
      started,
    );
  }

  /**
   * Applies changed and removed files (from a push event, say) without a full scan.
   * `removedTargets` are targets of files that no longer exist.
   */
  async applyChanges(
    changed: ManifestFile[],
    removedTargets: string[],
  ): Promise<ProviderRunSummary> {
    const connection = this.requireConnection();
    const started = Date.now();
    const result = manifestsToEntities(changed, {
      knownRefs: this.refsByTarget,
      contracts: this.contracts,
    });
    this.contracts = result.contracts;
    this.remember(changed, result.entities);
    const removed = removedTargets.flatMap(target => {
      const entityRef = this.refsByTarget.get(target);
      this.refsByTarget.delete(target);
      return entityRef
        ? [{ entityRef, locationKey: this.getProviderName() }]
        : [];
    });
    await connection.applyMutation({
      type: 'delta',
      added: result.entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
      removed,
    });
    return this.finish(
      'delta',
      result.entities.length,
      result.problems,
      started,
    );
  }

  /** The last run's summary, if any. */
  getLastRun(): ProviderRunSummary | undefined {
    return this.lastRun;
  }

  private remember(files: ManifestFile[], entities: Entity[]) {
    const targets = new Set(files.map(f => f.target));
    for (const entity of entities) {
      const target = entity.metadata.annotations?.['akili.io/manifest-source'];
      if (target && targets.has(target)) {
        this.refsByTarget.set(target, stringifyEntityRef(entity));
      }
    }
  }

  private finish(
    type: 'full' | 'delta',
    entities: number,
    invalidFiles: FileProblem[],
    started: number,
  ): ProviderRunSummary {
    for (const file of invalidFiles) {
      this.logger.warn(
        `Invalid data product manifest ${file.target}: ${formatProblems(
          file.problems,
          5,
        )}`,
      );
    }
    this.lastRun = {
      type,
      entities,
      invalidFiles,
      durationMs: Date.now() - started,
    };
    this.logger.info(
      `Read ${entities} data products from ${this.source.describe()} (${type}), ${
        invalidFiles.length
      } invalid file(s)`,
    );
    return this.lastRun;
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
