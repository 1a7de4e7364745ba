/**
 * Search support for Akili data products.
 *
 * @packageDocumentation
 */
export { searchModuleAkili as default } from './module';
export { dataProductEntityTransformer } from './transformer';
