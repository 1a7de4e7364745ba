/**
 * The Akili lake backend: files of data products' output ports on S3, masked previews,
 * audited presigned downloads, storage use per tenant, and access agreements between tenants.
 *
 * @packageDocumentation
 */
export { lakePlugin as default } from './plugin';
export type { LakeStorageApi } from './storage/types';
