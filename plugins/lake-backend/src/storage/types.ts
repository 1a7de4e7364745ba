import {
  LakeFolder,
  LakeObject,
  LakePreviewFormat,
  LakeRowGroup,
} from '@akili/plugin-lake-common';

/** A bucket and a key prefix (`''` or ending with `/`): a tenant's storage, or a port's files. */
export interface LakeArea {
  bucket: string;
  prefix: string;
}

/** One page of a folder, as the storage lists it. */
export interface LakeStoragePage {
  folders: LakeFolder[];
  objects: LakeObject[];
  nextCursor?: string;
}

/** A column of a file as the preview read it, before masking. */
export interface RawPreviewColumn {
  name: string;
  type: string;
}

/** The first rows of a file, unmasked: the service masks them for the caller. */
export interface RawPreview {
  format: LakePreviewFormat;
  size: number;
  columns: RawPreviewColumn[];
  rows: unknown[][];
  totalRows?: number;
  rowGroups?: LakeRowGroup[];
  createdBy?: string;
  bytesRead: number;
  truncated: boolean;
}

/** What the objects under some prefixes hold. */
export interface LakeMeasurement {
  objects: number;
  bytes: number;
  /** Per group key given to `measure`; objects under no group count in the totals only. */
  groups: Map<string, { objects: number; bytes: number }>;
}

/**
 * The lake's storage as the lake service uses it: every call names the tenant, whose own area
 * and credentials are used; `relPath` is relative to `port` and checked before any request
 * (an `InputError` naming the path when it would leave the port's prefix). S3 unreachable →
 * `ServiceUnavailableError` naming the endpoint within the timeout; S3 refusing the portal's
 * credentials → an error named `LakeCredentialsError` (502); a missing key → `NotFoundError`.
 */
export interface LakeStorageApi {
  /** The tenant's own storage area (bucket and prefix) from config. */
  areaOf(tenant: string): LakeArea;
  /**
   * Where a port's files are: the manifest's `s3` location, accepted only inside the tenant's
   * area; otherwise `{ problem }` saying why (another bucket, a prefix outside the tenant's).
   */
  resolvePort(
    tenant: string,
    location: { bucket: string; prefix: string },
  ): LakeArea | { problem: string };
  list(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { cursor?: string; limit: number },
  ): Promise<LakeStoragePage>;
  preview(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { rows: number },
  ): Promise<RawPreview>;
  presign(
    tenant: string,
    port: LakeArea,
    relPath: string,
    options: { expiresInSeconds: number },
  ): Promise<{ url: string; expiresAt: string; size: number }>;
  /** Counts the objects and bytes of the tenant's area, and per group of prefixes inside it. */
  measure(
    tenant: string,
    groups: Array<{ key: string; prefix: string }>,
  ): Promise<LakeMeasurement>;
}
