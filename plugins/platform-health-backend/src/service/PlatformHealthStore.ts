import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  PlatformDependencyCheck,
  PlatformDependencyId,
} from '@akili/plugin-platform-health-common';
import type { Knex } from 'knex';
import { CheckResult } from '../checks/runCheck';

/** The directory of this plugin's knex migrations. */
export const PLATFORM_HEALTH_MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@akili/plugin-platform-health-backend',
  'migrations',
);

const TABLE = 'platform_health_checks';

interface Row {
  id: number | string;
  dependency: string;
  status: CheckResult['status'];
  latency_ms: number;
  checked_at: Date | string | number;
  error: string | null;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function toCheck(row: Row): PlatformDependencyCheck {
  return {
    status: row.status,
    latencyMs: Number(row.latency_ms),
    checkedAt: toDate(row.checked_at).toISOString(),
    ...(row.error ? { error: row.error } : {}),
  };
}

/** The summary of one dependency from its stored history. */
export interface StoredDependencySummary {
  latest?: PlatformDependencyCheck;
  /** The last check that failed (down or degraded) in the window. */
  lastError?: { message: string; at: string };
  /** The first check of the current run of the latest status, when an earlier one differs. */
  lastChangeAt?: string;
  /**
   * Since when the latest status holds: `lastChangeAt`, or the oldest check in the window when
   * every check in it has that status.
   */
  since?: string;
}

/**
 * The history of platform health checks (platform data: no tenant, see the migration).
 */
export class PlatformHealthStore {
  readonly #db: Knex;

  constructor(options: { db: Knex }) {
    this.#db = options.db;
  }

  /** Stores the results of one round of checks. */
  async record(results: CheckResult[]): Promise<void> {
    if (results.length === 0) {
      return;
    }
    await this.#db(TABLE).insert(
      results.map(r => ({
        dependency: r.id,
        status: r.status,
        latency_ms: r.latencyMs,
        checked_at: r.checkedAt,
        error: r.error ?? null,
      })),
    );
  }

  /** The checks of one dependency since `since`, oldest first. */
  async history(
    id: PlatformDependencyId,
    since: Date,
  ): Promise<PlatformDependencyCheck[]> {
    const rows: Row[] = await this.#db(TABLE)
      .where('dependency', id)
      .where('checked_at', '>=', since)
      .orderBy([
        { column: 'checked_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    return rows.map(toCheck);
  }

  /** Latest check, last error and last change of one dependency within the window. */
  async summary(
    id: PlatformDependencyId,
    since: Date,
  ): Promise<StoredDependencySummary> {
    const base = () =>
      this.#db<Row>(TABLE)
        .where('dependency', id)
        .where('checked_at', '>=', since);
    const latestRow: Row | undefined = await base()
      .orderBy([
        { column: 'checked_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    if (!latestRow) {
      return {};
    }
    const errorRow: Row | undefined = await base()
      .whereNot('status', 'up')
      .whereNotNull('error')
      .orderBy([
        { column: 'checked_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    // The newest check with another status; the change is the first check after it.
    const otherRow: Row | undefined = await base()
      .whereNot('status', latestRow.status)
      .orderBy([
        { column: 'checked_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    let lastChangeAt: string | undefined;
    if (otherRow) {
      const changeRow: Row | undefined = await base()
        .where(q =>
          q
            .where('checked_at', '>', toDate(otherRow.checked_at))
            .orWhere(q2 =>
              q2
                .where('checked_at', '=', toDate(otherRow.checked_at))
                .where('id', '>', otherRow.id),
            ),
        )
        .orderBy([
          { column: 'checked_at', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .first();
      lastChangeAt = changeRow
        ? toDate(changeRow.checked_at).toISOString()
        : undefined;
    }
    const oldestRow: Row | undefined = lastChangeAt
      ? undefined
      : await base()
          .orderBy([
            { column: 'checked_at', order: 'asc' },
            { column: 'id', order: 'asc' },
          ])
          .first();
    const statusSince =
      lastChangeAt ?? toDate((oldestRow ?? latestRow).checked_at).toISOString();
    return {
      latest: toCheck(latestRow),
      ...(errorRow?.error
        ? {
            lastError: {
              message: errorRow.error,
              at: toDate(errorRow.checked_at).toISOString(),
            },
          }
        : {}),
      ...(lastChangeAt ? { lastChangeAt } : {}),
      since: statusSince,
    };
  }

  /** Deletes the checks older than `before`; returns how many. */
  async prune(before: Date): Promise<number> {
    return this.#db(TABLE).where('checked_at', '<', before).delete();
  }
}
