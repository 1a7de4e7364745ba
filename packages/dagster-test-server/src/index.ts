/**
 * A Dagster webserver stand-in for tests and benchmarks: GraphQL validated against Dagster's own
 * schema, answered from an in-memory instance with realistic runs.
 *
 * @packageDocumentation
 */
export {
  SERVER_TIME_HEADER,
  dagsterSchema,
  startDagsterTestServer,
} from './DagsterTestServer';
export type {
  DagsterFault,
  DagsterTestRequest,
  DagsterTestServer,
  DagsterTestServerOptions,
} from './DagsterTestServer';
export type { DagsterTestSeed, SeedSummary, SeededProduct } from './seed';
export { SEEDED_ASSET_CHECKS } from './seed';
export {
  addForgedRuns,
  addProductAssetChecks,
  addProductRuns,
  productTargetsFromManifests,
} from './products';
export type {
  ProductAssetChecksOptions,
  ProductDagsterTarget,
  ProductRunsOptions,
} from './products';
export type {
  AssetCheckExecutionRecordStatus,
  AssetCheckExecutionResolvedStatus,
  AssetCheckSeverity,
  TestAssetCheck,
  TestAssetCheckEvaluation,
  TestAssetCheckExecution,
  TestAssetCheckExecutionInput,
  TestMetadataEntry,
  LogLevel,
  RunStatus,
  StepStatus,
  TestEventType,
  TestJob,
  TestJobConfigSchema,
  TestLocation,
  TestPythonError,
  TestRepository,
  TestRepositoryOrigin,
  TestRun,
  TestRunEvent,
  TestRunEventInput,
  TestRunInput,
  TestRunStats,
  TestStepStats,
} from './model';
