export { dagsterRunsApiRef } from './DagsterRunsApi';
export type { DagsterRunsApi, RunLogQuery } from './DagsterRunsApi';
export { DagsterRunsClient } from './DagsterRunsClient';
