/**
 * Keeps the catalog's file reads (placeholders, Location targets) inside a tenant.
 *
 * @packageDocumentation
 */

export { catalogModuleAkiliGuard as default } from './module';
export { SourceTenancy, isSameSource } from './sources';
export type { SourceScope } from './sources';
