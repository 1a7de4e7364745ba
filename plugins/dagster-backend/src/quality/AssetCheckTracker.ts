import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AkiliEvent,
  DataProductManifest,
  QualityCheckResultV1,
  createAkiliEvent,
  isCodeLocationOfTenant,
  isValidTenantName,
} from '@akili/plugin-akili-common';
import {
  EventOutbox,
  OutboxRelay,
  TenantScopedDatabase,
} from '@akili/plugin-akili-node';
import { Knex } from 'knex';
import { DagsterGraphqlClient } from '../client/DagsterGraphqlClient';
import { ASSET_CHECKS, ASSET_CHECK_EXECUTIONS } from '../client/operations';
import {
  DagsterAssetCheckExecution,
  checkOfExecution,
  isDone,
  outcomeOf,
  portOfCheck,
} from './assetCheckMapping';

const CURSORS = 'dagster_asset_check_cursors';

/** Executions read per request. */
const PAGE = 100;

/** The most checks in one `quality.checked` event (its schema's limit). */
const MAX_CHECKS_PER_EVENT = 1000;

/** The most in-progress executions a cursor waits for; older ones are given up (logged). */
const MAX_PENDING = 500;

/** Who the events come from: the quality plugin maps it to result source `dagster`. */
export const ASSET_CHECK_EVENT_SOURCE = 'akili-dagster-backend';

const SINGLETON_REPOSITORY = '__repository__';

const stateKey = (assetKey: string[], checkName: string) =>
  `${JSON.stringify(assetKey)}\u0000${checkName}`;

/** A data product of a tenant, as the catalog holds it (the entity is the manifest). */
export interface AssetCheckProduct {
  tenant: string;
  manifest: DataProductManifest;
}

/** Options of {@link AssetCheckTracker}. */
export interface AssetCheckTrackerOptions {
  client: DagsterGraphqlClient;
  db: TenantScopedDatabase;
  outbox: EventOutbox;
  /** Woken after events were written, so they are published at once. */
  relay?: Pick<OutboxRelay, 'wake'>;
  logger: LoggerService;
  /** Every data product (of every tenant) in the catalog. */
  products: () => Promise<AssetCheckProduct[]>;
  /**
   * How far back the executions of a check are reported when the tracker first sees it, in
   * seconds (default 0: from then on).
   */
  lookbackSeconds?: number;
  now?: () => number;
}

interface AssetNode {
  assetKey: { path: string[] };
  repository: { name: string; location: { name: string } } | null;
  assetChecksOrError: {
    __typename: string;
    message?: string;
    checks?: Array<{ name: string; description: string | null }>;
  };
}

interface CursorRow {
  asset_key: string;
  check_name: string;
  last_execution_id: string | number;
  pending: string;
}

interface CheckState {
  assetKey: string[];
  checkName: string;
  lastExecutionId: number;
  pending: number[];
}

interface ReadCheck {
  state: CheckState;
  /** Done executions to report, oldest first (not yet mapped). */
  done: DagsterAssetCheckExecution[];
}

/**
 * Follows the asset check executions of the tenants' data products in Dagster and emits them
 * as `quality.checked` events through the plugin's outbox: one event per product, output port
 * and run, written in the transaction that moves the product's cursors (per tenant, asset and
 * check: the highest execution id seen, and the ids still in progress then), so a restart
 * neither loses nor repeats an execution. Only finished executions are reported (see
 * `checkOfExecution`); one still in progress is looked at again until it is done.
 *
 * A product's checks are those of its manifest's asset keys (`spec.transformation.dagster`) as
 * defined in its manifest's code location, which must be one of the product's tenant (the
 * catalog namespace): an asset key that another tenant's location defines is never read for
 * this tenant, whatever the manifest claims.
 */
export class AssetCheckTracker {
  readonly #options: AssetCheckTrackerOptions;
  readonly #now: () => number;

  constructor(options: AssetCheckTrackerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** One round over every product; a product that fails is logged and retried next round. */
  async runOnce(): Promise<{ reported: number }> {
    let reported = 0;
    for (const product of await this.#options.products()) {
      try {
        reported += await this.trackProduct(product);
      } catch (error) {
        this.#options.logger.warn(
          'Could not track the asset checks of a data product',
          {
            tenant: product.tenant,
            product: product.manifest.metadata?.name,
            error: (error as Error).message,
          },
        );
      }
    }
    if (reported > 0) this.#options.relay?.wake();
    return { reported };
  }

  /** Reports the product's new check executions; returns how many checks were reported. */
  async trackProduct({ tenant, manifest }: AssetCheckProduct): Promise<number> {
    const { logger, db } = this.#options;
    const name = manifest.metadata?.name;
    const dagster = manifest.spec?.transformation?.dagster;
    if (!isValidTenantName(tenant) || !name || !dagster?.assetKeys?.length) {
      return 0;
    }
    const location = dagster.codeLocation;
    if (!isCodeLocationOfTenant(location, tenant)) {
      logger.warn(
        'Skipped the asset checks of a product in another tenant’s code location',
        {
          tenant,
          product: name,
          codeLocation: location,
        },
      );
      return 0;
    }
    const repository = dagster.repository ?? SINGLETON_REPOSITORY;
    const checks = await this.#checksOf(
      tenant,
      name,
      location,
      repository,
      dagster.assetKeys,
    );
    if (checks.length === 0) return 0;

    const states = await db.withTenant(tenant, tx => this.#states(tx, tenant));
    const read: ReadCheck[] = [];
    for (const { assetKey, checkName } of checks) {
      const state = states.get(stateKey(assetKey, checkName));
      read.push(await this.#readCheck(assetKey, checkName, state));
    }

    const ref = `dataproduct:${tenant}/${name}`;
    const batches = new Map<
      string,
      { port: string; runId: string; checks: QualityCheckResultV1[] }
    >();
    for (const { state, done } of read) {
      const port = portOfCheck(manifest, state.assetKey, state.checkName);
      for (const execution of done) {
        const check = checkOfExecution(state.checkName, execution);
        if (!check) continue;
        const key = `${port}\u0000${execution.runId}`;
        const batch = batches.get(key) ?? {
          port,
          runId: execution.runId,
          checks: [],
        };
        batch.checks.push(check);
        batches.set(key, batch);
      }
    }
    const events: AkiliEvent[] = [];
    for (const batch of batches.values()) {
      // Oldest first, as they ran.
      batch.checks.sort(
        (a, b) =>
          a.observedAt!.localeCompare(b.observedAt!) ||
          Number(a.executionId) - Number(b.executionId),
      );
      for (let i = 0; i < batch.checks.length; i += MAX_CHECKS_PER_EVENT) {
        const event = this.#checkedEvent(
          tenant,
          ref,
          batch.port,
          batch.runId,
          batch.checks.slice(i, i + MAX_CHECKS_PER_EVENT),
        );
        if (event) events.push(event);
      }
    }

    await db.withTenant(tenant, async tx => {
      await this.#options.outbox.enqueueMany(db, tx, events);
      for (const { state } of read) {
        const row = {
          asset_key: JSON.stringify(state.assetKey),
          check_name: state.checkName,
          last_execution_id: state.lastExecutionId,
          pending: JSON.stringify(state.pending),
          checked_at: new Date(this.#now()),
        };
        await db
          .insert(tx, CURSORS, row)
          .onConflict(['tenant_id', 'asset_key', 'check_name'])
          .merge(row);
      }
    });
    return events.reduce((n, e) => n + (e.data.checks as unknown[]).length, 0);
  }

  /** The checks of the product's assets that its own code location defines. */
  async #checksOf(
    tenant: string,
    product: string,
    location: string,
    repository: string,
    assetKeys: string[][],
  ): Promise<Array<{ assetKey: string[]; checkName: string }>> {
    const data = await this.#options.client.request<{
      assetNodes: AssetNode[];
    }>('AkiliAssetChecks', ASSET_CHECKS, {
      assetKeys: assetKeys.map(path => ({ path })),
    });
    const checks: Array<{ assetKey: string[]; checkName: string }> = [];
    for (const node of data.assetNodes ?? []) {
      const nodeLocation = node.repository?.location.name;
      if (
        nodeLocation !== location ||
        node.repository?.name !== repository ||
        !isCodeLocationOfTenant(nodeLocation, tenant)
      ) {
        this.#options.logger.warn(
          'Skipped an asset the product’s code location does not define',
          {
            tenant,
            product,
            assetKey: JSON.stringify(node.assetKey.path),
            codeLocation: nodeLocation,
          },
        );
        continue;
      }
      const result = node.assetChecksOrError;
      if (result.__typename !== 'AssetChecks' || !result.checks) {
        this.#options.logger.warn(
          'Dagster could not list the checks of an asset',
          {
            tenant,
            product,
            assetKey: JSON.stringify(node.assetKey.path),
            answer: result.__typename,
            error: result.message,
          },
        );
        continue;
      }
      for (const check of result.checks) {
        checks.push({ assetKey: node.assetKey.path, checkName: check.name });
      }
    }
    return checks;
  }

  async #states(tx: Knex.Transaction, tenant: string) {
    const rows: CursorRow[] = await this.#options.db
      .scoped(tx, CURSORS)
      .select('asset_key', 'check_name', 'last_execution_id', 'pending');
    const states = new Map<string, CheckState>();
    for (const row of rows) {
      const assetKey = JSON.parse(row.asset_key) as string[];
      let pending: number[] = [];
      try {
        pending = (JSON.parse(row.pending) as unknown[]).map(Number);
      } catch {
        this.#options.logger.warn('Ignored an unreadable pending list', {
          tenant,
          checkName: row.check_name,
        });
      }
      states.set(stateKey(assetKey, row.check_name), {
        assetKey,
        checkName: row.check_name,
        lastExecutionId: Number(row.last_execution_id),
        pending,
      });
    }
    return states;
  }

  /**
   * Reads a check's executions newest first, page after page, down to the cursor (or, for a
   * check seen for the first time, to the look-back), and returns the new state with the done
   * executions to report, oldest first.
   */
  async #readCheck(
    assetKey: string[],
    checkName: string,
    state: CheckState | undefined,
  ): Promise<ReadCheck> {
    const since =
      (this.#now() - (this.#options.lookbackSeconds ?? 0) * 1000) / 1000;
    const last = state?.lastExecutionId ?? 0;
    const pending = new Set(state?.pending ?? []);
    const lowestPending = Math.min(...pending);
    const seen: DagsterAssetCheckExecution[] = [];
    let newest = last;
    let cursor: string | null = null;
    let more = true;
    while (more) {
      const data: { assetCheckExecutions: DagsterAssetCheckExecution[] } =
        await this.#options.client.request(
          'AkiliAssetCheckExecutions',
          ASSET_CHECK_EXECUTIONS,
          { assetKey: { path: assetKey }, checkName, limit: PAGE, cursor },
        );
      const page = data.assetCheckExecutions ?? [];
      for (const execution of page) {
        const id = Number(execution.id);
        if (!Number.isSafeInteger(id)) continue;
        newest = Math.max(newest, id);
        if (state) {
          if (id <= last && !(id >= lowestPending)) {
            more = false;
            break;
          }
          if (id <= last && !pending.has(id)) continue;
        } else if (execution.timestamp < since) {
          more = false;
          break;
        }
        seen.push(execution);
      }
      if (page.length < PAGE) more = false;
      cursor = page.length ? page[page.length - 1].id : null;
    }
    const done: DagsterAssetCheckExecution[] = [];
    const stillPending: number[] = [];
    for (const execution of seen.reverse()) {
      if (isDone(execution.status)) done.push(execution);
      else stillPending.push(Number(execution.id));
    }
    if (stillPending.length > MAX_PENDING) {
      this.#options.logger.warn(
        'Gave up waiting for old asset check executions',
        {
          checkName,
          assetKey: JSON.stringify(assetKey),
          count: stillPending.length - MAX_PENDING,
        },
      );
    }
    return {
      state: {
        assetKey,
        checkName,
        lastExecutionId: newest,
        pending: stillPending.slice(-MAX_PENDING),
      },
      done,
    };
  }

  /** The event of one batch, or undefined (logged) when it makes no valid event. */
  #checkedEvent(
    tenant: string,
    product: string,
    outputPort: string,
    runId: string,
    checks: QualityCheckResultV1[],
  ): AkiliEvent | undefined {
    const checkedAt = checks
      .map(check => check.observedAt!)
      .reduce((a, b) => (a > b ? a : b));
    try {
      return createAkiliEvent({
        type: 'quality.checked',
        tenant,
        subject: product,
        source: ASSET_CHECK_EVENT_SOURCE,
        data: {
          product,
          outputPort,
          ...(runId ? { runId } : {}),
          checkedAt,
          outcome: outcomeOf(checks),
          checks,
        },
      }) as AkiliEvent;
    } catch (error) {
      this.#options.logger.warn(
        'Skipped asset check executions that make no valid event',
        {
          tenant,
          product,
          runId,
          error: (error as Error).message,
        },
      );
      return undefined;
    }
  }
}
