/**
 * Akili data products in the portal: the marketplace page and the DataProduct entity pages.
 *
 * @packageDocumentation
 */
export { akiliPlugin as default } from './plugin';
