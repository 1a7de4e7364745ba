import { TenantScopedDatabase, toIsoTimestamp } from '@akili/plugin-akili-node';
import { LakeUsagePoint } from '@akili/plugin-lake-common';

const USAGE = 'lake_usage';

/** How many days of history the usage answer carries. */
export const USAGE_HISTORY_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

/** What one product stores, as measured. */
export interface ProductMeasurement {
  /** The product's entity ref, or `null` for objects under no product's port. */
  product: string | null;
  objects: number;
  bytes: number;
}

/** One measurement of a tenant's area. */
export interface UsageMeasurement {
  measuredAt: Date;
  objects: number;
  bytes: number;
  products: ProductMeasurement[];
}

/** A tenant's latest measurement, the one of 7 days before, and its history. */
export interface UsageRecord {
  latest?: UsageMeasurement;
  /** The newest measurement of a day at least 7 days before the latest one's. */
  weekBefore?: UsageMeasurement;
  /** Oldest first, one per day. */
  history: LakeUsagePoint[];
}

interface UsageRow {
  id: number | string;
  tenant_id: string;
  day: string;
  measured_at: Date | string | number;
  objects: number | string;
  bytes: number | string;
  products: string;
}

const dayOf = (at: Date) => at.toISOString().slice(0, 10);

function measurementOf(row: UsageRow): UsageMeasurement {
  const products = JSON.parse(row.products) as ProductMeasurement[];
  return {
    measuredAt: new Date(toIsoTimestamp(row.measured_at)),
    objects: Number(row.objects),
    bytes: Number(row.bytes),
    products: products.map(p => ({
      product: p.product ?? null,
      objects: Number(p.objects),
      bytes: Number(p.bytes),
    })),
  };
}

/**
 * What each tenant stores in the lake, one row per tenant per UTC day (the day's latest
 * measurement wins), tenant-isolated.
 */
export class UsageStore {
  readonly #db: TenantScopedDatabase;

  constructor(db: TenantScopedDatabase) {
    this.#db = db;
  }

  /** Keeps `measurement` as the tenant's row of its day. */
  async record(tenant: string, measurement: UsageMeasurement): Promise<void> {
    await this.#db.withTenant(tenant, async tx => {
      await this.#db
        .insert(tx, USAGE, {
          day: dayOf(measurement.measuredAt),
          measured_at: measurement.measuredAt,
          objects: measurement.objects,
          bytes: measurement.bytes,
          products: JSON.stringify(measurement.products),
        })
        .onConflict(['tenant_id', 'day'])
        .merge(['measured_at', 'objects', 'bytes', 'products']);
    });
  }

  /** The tenant's latest measurement, the one a week before it, and the last 90 days. */
  async read(tenant: string): Promise<UsageRecord> {
    return this.#db.withTenant(tenant, async tx => {
      const rows: UsageRow[] = await this.#db
        .scoped(tx, USAGE)
        .select()
        .orderBy('day', 'desc')
        .limit(USAGE_HISTORY_DAYS);
      if (rows.length === 0) return { history: [] };
      const latest = measurementOf(rows[0]);
      const weekAgo = dayOf(new Date(latest.measuredAt.getTime() - 7 * DAY_MS));
      let weekBeforeRow = rows.find(row => row.day <= weekAgo);
      if (!weekBeforeRow && rows.length === USAGE_HISTORY_DAYS) {
        // Only when 90 days of rows leave none a week old (never, with one row a day).
        [weekBeforeRow] = await this.#db
          .scoped(tx, USAGE)
          .select()
          .where('day', '<=', weekAgo)
          .orderBy('day', 'desc')
          .limit(1);
      }
      return {
        latest,
        ...(weekBeforeRow ? { weekBefore: measurementOf(weekBeforeRow) } : {}),
        history: rows
          .map(row => ({
            measuredAt: toIsoTimestamp(row.measured_at),
            objects: Number(row.objects),
            bytes: Number(row.bytes),
          }))
          .reverse(),
      };
    });
  }
}
