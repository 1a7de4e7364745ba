/**
 * Tenant-scoped Dagster runs for the Akili portal.
 *
 * @packageDocumentation
 */
export { dagsterPlugin as default } from './plugin';
export {
  DagsterGraphqlClient,
  readDagsterClientConfig,
} from './client/DagsterGraphqlClient';
export type { DagsterClientConfig } from './client/DagsterGraphqlClient';
