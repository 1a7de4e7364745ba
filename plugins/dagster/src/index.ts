/**
 * Dagster runs of Akili data products in the portal: the Runs tab of a data product, run pages
 * with steps and logs, and the operators' page of all runs of a tenant.
 *
 * @packageDocumentation
 */
export { dagsterPlugin as default } from './plugin';
export { dagsterRunsApiRef, DagsterRunsClient } from './api';
export type { DagsterRunsApi, RunLogQuery } from './api';
