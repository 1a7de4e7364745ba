/**
 * The shapes of the lake plugin's REST API (`/api/lake/v1/...`) for files. Every `path` is
 * relative to the port's prefix, `/`-separated, without a leading `/`; a folder's path ends
 * with `/`. The backend resolves it under the port's prefix in the product's tenant's own
 * bucket or prefix and refuses anything that would leave it (`..`, encoded separators, control
 * characters).
 */

/**
 * A file format the preview reads.
 *
 * @public
 */
export type LakePreviewFormat = 'parquet' | 'csv' | 'jsonl';

/**
 * A `files` output port of a data product, where its files are.
 *
 * @public
 */
export interface LakeFilePort {
  /** The output port's name. */
  name: string;
  title?: string;
  description?: string;
  /** The format the manifest declares (`parquet`, `csv`, `json`, ...). */
  format?: string;
  /** Where the files are, as the backend resolved it in the product's tenant's storage. */
  location: {
    bucket: string;
    prefix: string;
  };
  /**
   * Set when the manifest's location is outside the tenant's storage (another bucket, or a
   * prefix outside the tenant's): the port is shown but its files are not read.
   */
  problem?: string;
}

/**
 * `GET /v1/products/:namespace/:name/ports`: the product's file-based output ports.
 *
 * @public
 */
export interface LakePortsResponse {
  /** `dataproduct:<tenant>/<name>`. */
  product: string;
  ports: LakeFilePort[];
}

/**
 * Hive-style partition values read from a path's `key=value` segments.
 *
 * @public
 */
export type LakePartition = Record<string, string>;

/**
 * A folder (common prefix) in a listing.
 *
 * @public
 */
export interface LakeFolder {
  /** The last segment, without the trailing `/`. */
  name: string;
  /** Relative to the port's prefix, ending with `/`. */
  path: string;
  /** The partition values of the folder's path, when it has `key=value` segments. */
  partition?: LakePartition;
}

/**
 * An object (file) in a listing.
 *
 * @public
 */
export interface LakeObject {
  name: string;
  /** Relative to the port's prefix. */
  path: string;
  size: number;
  /** ISO 8601. */
  lastModified: string;
  /** The partition values of the object's folder path, when it has `key=value` segments. */
  partition?: LakePartition;
  /** The format the preview would read it as; absent when it cannot be previewed. */
  previewFormat?: LakePreviewFormat;
}

/**
 * `GET /v1/products/:namespace/:name/ports/:port/objects?path=&cursor=&limit=`: one page of a
 * folder, folders first. `limit` is at most 1,000 (S3's page); `cursor` is the previous page's
 * `nextCursor`, opaque.
 *
 * @public
 */
export interface LakeListing {
  product: string;
  port: string;
  /** The folder listed, relative to the port's prefix (`''` for the port's root). */
  path: string;
  folders: LakeFolder[];
  objects: LakeObject[];
  /** Present when there is another page. */
  nextCursor?: string;
}

/**
 * A column of a preview, with the contract's classification and whether it is masked for the
 * caller (as the query API would mask it).
 *
 * @public
 */
export interface LakePreviewColumn {
  name: string;
  /** The file's type (Parquet physical/logical type; `string` for CSV; JSON's for JSON lines). */
  type: string;
  /** The classification the contract gives the column, when it declares it. */
  classification?: string;
  /** The column's values are replaced by `null` in `rows`. */
  masked: boolean;
}

/**
 * A Parquet row group, from the file's footer.
 *
 * @public
 */
export interface LakeRowGroup {
  index: number;
  rows: number;
  /** Compressed bytes of the row group's column chunks. */
  bytes: number;
}

/**
 * `GET /v1/products/:namespace/:name/ports/:port/preview?path=&rows=`: the first rows of a
 * file, read with ranged requests (never the whole object). Values are JSON: numbers that
 * do not fit a double, and dates, are strings.
 *
 * @public
 */
export interface LakePreview {
  product: string;
  port: string;
  path: string;
  format: LakePreviewFormat;
  /** The object's size in bytes. */
  size: number;
  columns: LakePreviewColumn[];
  /** The first rows, each in the order of `columns`. */
  rows: unknown[][];
  /** Rows in the whole file, when the format tells (Parquet's footer). */
  totalRows?: number;
  /** Parquet only. */
  rowGroups?: LakeRowGroup[];
  /** Parquet only: the writer (`created_by`). */
  createdBy?: string;
  /** Bytes read from the object to build this preview. */
  bytesRead: number;
  /** The file has more rows than `rows` holds. */
  truncated: boolean;
  /** The masked columns' names (also flagged in `columns`). */
  masked: string[];
}

/**
 * `POST /v1/products/:namespace/:name/ports/:port/download` with `{ path }`: a presigned GET
 * URL of the object, valid until `expiresAt` (a few minutes). The request is audited.
 *
 * @public
 */
export interface LakeDownload {
  url: string;
  /** ISO 8601. */
  expiresAt: string;
  size: number;
}

/**
 * What one data product stores.
 *
 * @public
 */
export interface LakeProductUsage {
  /** `dataproduct:<tenant>/<name>`, or `null` for objects under no product's port. */
  product: string | null;
  objects: number;
  bytes: number;
  /** Bytes added (negative: removed) over the last 7 days, when a measurement that old exists. */
  growth7dBytes?: number;
}

/**
 * A measurement of a tenant's storage at one time.
 *
 * @public
 */
export interface LakeUsagePoint {
  /** ISO 8601. */
  measuredAt: string;
  objects: number;
  bytes: number;
}

/**
 * `GET /v1/tenants/:tenant/usage`: what a tenant stores, against its quota.
 *
 * @public
 */
export interface LakeTenantUsage {
  tenant: string;
  /** Where the tenant's data lives. */
  location: { bucket: string; prefix: string };
  objects: number;
  bytes: number;
  /** The tenant registry's storage quota, when set. */
  quotaBytes?: number;
  growth7dBytes?: number;
  products: LakeProductUsage[];
  /** Past measurements, oldest first (one per day at most). */
  history: LakeUsagePoint[];
  /** ISO 8601; absent when the tenant was never measured. */
  measuredAt?: string;
}

/**
 * `GET /v1/usage`: the tenants whose usage the caller may read (all of them for platform admins).
 *
 * @public
 */
export interface LakeUsageResponse {
  tenants: LakeTenantUsage[];
}

/**
 * The `name` of the errors the lake API answers with besides Backstage's own
 * (`InputError`, `NotAllowedError`, `NotFoundError`, `ConflictError`).
 *
 * @public
 */
export const LAKE_ERROR_NAMES = {
  /** The S3 endpoint did not answer in time or refused the connection (503). */
  unavailable: 'ServiceUnavailableError',
  /** S3 refused the portal's own credentials (502): the deployment is at fault, not the caller. */
  credentials: 'LakeCredentialsError',
  /** The file cannot be previewed (unknown format, corrupt footer) (422). */
  preview: 'LakePreviewError',
  /** The deployment has no lake (`lake.s3` is not configured) (503). */
  notConfigured: 'LakeNotConfiguredError',
  /** S3 answered with an error of its own, neither of the above (502). */
  s3: 'LakeS3Error',
} as const;
