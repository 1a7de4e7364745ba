/**
 * Tenant-scoped SQL over StarRocks (MySQL protocol) for the Akili portal.
 *
 * @packageDocumentation
 */
export { starrocksPlugin as default } from './plugin';
export * from './config';
export * from './engine/dialect';
export * from './engine/errors';
export * from './engine/formats';
export * from './engine/QueryRunner';
export * from './engine/TenantPools';
export * from './engine/types';
