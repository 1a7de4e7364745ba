/**
 * The Akili lake backend: files of data products' output ports on S3, masked previews,
 * audited presigned downloads and storage use per tenant.
 *
 * @packageDocumentation
 */
export { lakePlugin as default } from './plugin';
export type { LakeStorageApi } from './storage/types';
export {
  lakePortAccessGrantsServiceRef,
  noPortAccessGrants,
} from './service/grants';
export type { PortAccessGrant, PortAccessGrants } from './service/grants';
