/**
 * Keeps the catalog's file reads (placeholders, Location targets) and entity relations inside a
 * tenant.
 *
 * @packageDocumentation
 */

export { catalogModuleAkiliGuard as default } from './module';
export { RelationGuardProcessor } from './RelationGuardProcessor';
export { SourceNamespaceProcessor } from './SourceNamespaceProcessor';
export { TechDocsGuardProcessor } from './TechDocsGuardProcessor';
export { SourceTenancy, isSameSource } from './sources';
export type { SourceScope } from './sources';
