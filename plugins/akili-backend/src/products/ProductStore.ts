import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  createAkiliEvent,
  DataProductManifest,
  ManifestDiff,
  ProductFormat,
  ProductRegistryEntry,
  ProductStatus,
  ProductSummary,
  ProductVersion,
  RegisteredProductManifest,
} from '@akili/plugin-akili-common';
import {
  EventOutbox,
  TenantScopedDatabase,
  toIsoTimestamp,
} from '@akili/plugin-akili-node';
import { Knex } from 'knex';

/** The registry's tables (migration `20251204000000_products.js`). */
export const PRODUCTS_TABLE = 'akili_products';
export const PRODUCT_VERSIONS_TABLE = 'akili_product_versions';
/** The `source` of the events this store emits. */
const EVENT_SOURCE = 'akili-backend';

type ProductRow = {
  tenant_id: string;
  name: string;
  status: ProductStatus;
  current_revision: number | string;
  current_version: string | null;
  created_at: Date | string | number;
  created_by: string;
  updated_at: Date | string | number;
};

type VersionRow = {
  tenant_id: string;
  product_name: string;
  revision: number | string;
  version: string | null;
  format: ProductFormat;
  manifest_text: string;
  manifest: string;
  submitted_by: string;
  submitted_at: Date | string | number;
  diff: string;
  breaking_acknowledged: boolean | number;
};

/** The current revision of a product, to diff a submission against. */
export interface CurrentProduct {
  revision: number;
  status: ProductStatus;
  manifest: DataProductManifest;
}

/** A submission to store, already validated, diffed and allowed. */
export interface ProductSubmission {
  /** The parsed manifest; its namespace is the tenant's. */
  manifest: DataProductManifest;
  /** The text as submitted. */
  text: string;
  format: ProductFormat;
  submittedBy: string;
  diff: ManifestDiff;
  breakingAcknowledged: boolean;
  /**
   * The revision `diff` was computed against (`0` for a new product): when another submission
   * stored a revision since, the store refuses with a `ConflictError` instead of registering
   * a version whose diff compares against the wrong one.
   */
  basedOnRevision: number;
}

/** The status a newly registered revision gives its product. */
export function statusOf(manifest: DataProductManifest): ProductStatus {
  return manifest.spec.lifecycle === 'deprecated' ? 'deprecated' : 'registered';
}

/**
 * The product registry: each tenant's data products and every version submitted for them.
 *
 * @remarks
 *
 * Every read and write runs in the product's tenant transaction
 * ({@link TenantScopedDatabase.withTenant}; PostgreSQL row-level security enforces it), and a
 * registration writes its `product.registered` event to the outbox in the same transaction.
 * Deployments (which revision runs where) come in a later version, in a table of their own keyed
 * by tenant, product and revision; they will set the status to `deployed`.
 */
export class ProductStore {
  readonly #db: TenantScopedDatabase;
  readonly #outbox: EventOutbox;

  constructor(options: { db: TenantScopedDatabase; outbox: EventOutbox }) {
    this.#db = options.db;
    this.#outbox = options.outbox;
  }

  /** The product's current revision with its manifest, or `undefined` when not registered. */
  async current(
    tenant: string,
    name: string,
  ): Promise<CurrentProduct | undefined> {
    return this.#db.withTenant(tenant, async tx => {
      const product = await this.#product(tx, name);
      if (!product) {
        return undefined;
      }
      const version: Pick<VersionRow, 'manifest'> = await this.#db
        .scoped(tx, PRODUCT_VERSIONS_TABLE)
        .where({
          product_name: name,
          revision: product.current_revision,
        })
        .first('manifest');
      return {
        revision: Number(product.current_revision),
        status: product.status,
        manifest: JSON.parse(version.manifest),
      };
    });
  }

  /**
   * Stores a new revision and makes it current, with the `product.registered` event, in one
   * transaction. `ConflictError` when another revision was stored since `basedOnRevision`.
   */
  async register(
    tenant: string,
    submission: ProductSubmission,
  ): Promise<ProductSummary> {
    const { manifest } = submission;
    const name = manifest.metadata.name;
    const conflict = () =>
      new ConflictError(
        `Data product dataproduct:${tenant}/${name} changed while this submission was checked; submit it again`,
      );
    try {
      return await this.#db.withTenant(tenant, async tx => {
        const existing = await this.#product(tx, name, { forUpdate: true });
        const currentRevision = existing
          ? Number(existing.current_revision)
          : 0;
        if (currentRevision !== submission.basedOnRevision) {
          throw conflict();
        }
        const revision = currentRevision + 1;
        const now = new Date();
        const status = statusOf(manifest);
        const version = manifest.spec.version ?? null;
        if (existing) {
          await this.#db.scoped(tx, PRODUCTS_TABLE).where({ name }).update({
            status,
            current_revision: revision,
            current_version: version,
            updated_at: now,
          });
        } else {
          await this.#db.insert(tx, PRODUCTS_TABLE, {
            name,
            status,
            current_revision: revision,
            current_version: version,
            created_at: now,
            created_by: submission.submittedBy,
            updated_at: now,
          });
        }
        await this.#db.insert(tx, PRODUCT_VERSIONS_TABLE, {
          product_name: name,
          revision,
          version,
          format: submission.format,
          manifest_text: submission.text,
          manifest: JSON.stringify(manifest),
          submitted_by: submission.submittedBy,
          submitted_at: now,
          diff: JSON.stringify(submission.diff),
          breaking_acknowledged: submission.breakingAcknowledged,
        });
        const entityRef = `dataproduct:${tenant}/${name}`;
        await this.#outbox.enqueue(
          this.#db,
          tx,
          createAkiliEvent({
            type: 'product.registered',
            tenant,
            subject: entityRef,
            source: EVENT_SOURCE,
            data: {
              product: entityRef,
              ...(manifest.metadata.title
                ? { title: manifest.metadata.title }
                : {}),
              owner: manifest.spec.owner,
              domain: manifest.spec.domain,
              registeredBy: submission.submittedBy,
            },
          }),
        );
        return {
          entityRef,
          tenant,
          name,
          status,
          ...(version !== null ? { version } : {}),
          revision,
        };
      });
    } catch (error) {
      // A concurrent submission of the same new product inserted its row first.
      if (isDatabaseConflictError(error)) {
        throw conflict();
      }
      throw error;
    }
  }

  /** The registry entry with every version, newest first; `undefined` when not registered. */
  async get(
    tenant: string,
    name: string,
  ): Promise<ProductRegistryEntry | undefined> {
    return this.#db.withTenant(tenant, async tx => {
      const product = await this.#product(tx, name);
      if (!product) {
        return undefined;
      }
      const rows: VersionRow[] = await this.#db
        .scoped(tx, PRODUCT_VERSIONS_TABLE)
        .where({ product_name: name })
        .orderBy('revision', 'desc')
        .select();
      const current = rows.find(
        row => Number(row.revision) === Number(product.current_revision),
      );
      const versions: ProductVersion[] = rows.map(row => ({
        revision: Number(row.revision),
        ...(row.version !== null ? { version: row.version } : {}),
        format: row.format,
        submittedBy: row.submitted_by,
        submittedAt: toIsoTimestamp(row.submitted_at),
        diff: JSON.parse(row.diff),
        breakingAcknowledged: Boolean(row.breaking_acknowledged),
      }));
      return {
        entityRef: `dataproduct:${tenant}/${name}`,
        tenant,
        name,
        status: product.status,
        ...(product.current_version !== null
          ? { version: product.current_version }
          : {}),
        revision: Number(product.current_revision),
        createdAt: toIsoTimestamp(product.created_at),
        createdBy: product.created_by,
        updatedAt: toIsoTimestamp(product.updated_at),
        manifest: JSON.parse(current!.manifest),
        versions,
      };
    });
  }

  /**
   * The current manifest of every product of `tenants`, each read in its own tenant transaction
   * (row-level security applies per tenant), ordered by tenant and name. For the internal route
   * the catalog's registry provider reads; the caller authorizes.
   */
  async listCurrent(
    tenants: readonly string[],
  ): Promise<RegisteredProductManifest[]> {
    const products: RegisteredProductManifest[] = [];
    for (const tenant of [...tenants].sort()) {
      const rows: Array<ProductRow & Pick<VersionRow, 'manifest'>> =
        await this.#db.withTenant(tenant, tx =>
          this.#db
            .scoped(tx, PRODUCTS_TABLE)
            .join(PRODUCT_VERSIONS_TABLE, join =>
              join
                .on(
                  `${PRODUCT_VERSIONS_TABLE}.tenant_id`,
                  `${PRODUCTS_TABLE}.tenant_id`,
                )
                .andOn(
                  `${PRODUCT_VERSIONS_TABLE}.product_name`,
                  `${PRODUCTS_TABLE}.name`,
                )
                .andOn(
                  `${PRODUCT_VERSIONS_TABLE}.revision`,
                  `${PRODUCTS_TABLE}.current_revision`,
                ),
            )
            .orderBy(`${PRODUCTS_TABLE}.name`)
            .select(
              `${PRODUCTS_TABLE}.*`,
              `${PRODUCT_VERSIONS_TABLE}.manifest`,
            ),
        );
      for (const row of rows) {
        products.push({
          entityRef: `dataproduct:${tenant}/${row.name}`,
          tenant,
          name: row.name,
          status: row.status,
          ...(row.current_version !== null
            ? { version: row.current_version }
            : {}),
          revision: Number(row.current_revision),
          updatedAt: toIsoTimestamp(row.updated_at),
          manifest: JSON.parse(row.manifest),
        });
      }
    }
    return products;
  }

  async #product(
    tx: Knex.Transaction,
    name: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<ProductRow | undefined> {
    const query = this.#db.scoped(tx, PRODUCTS_TABLE).where({ name }).first();
    // Serialize submissions of one product (SQLite transactions already are).
    return options.forUpdate && tx.client.dialect === 'postgresql'
      ? query.forUpdate()
      : query;
  }
}
