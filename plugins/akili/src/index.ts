/**
 * Akili data products in the portal: the marketplace page, tenant management and the
 * DataProduct entity pages.
 *
 * @packageDocumentation
 */
export { akiliPlugin as default } from './plugin';
export { akiliTenantsApiRef, AkiliTenantsClient } from './api';
export type { AkiliTenantsApi } from './api';
