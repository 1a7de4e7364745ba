/*
 * The GraphQL operations the portal sends to the Dagster webserver. Every one is validated
 * against Dagster's schema in operations.test.ts, so a field or argument Dagster would reject
 * fails the tests, not a user's request.
 */

/** What a run list shows. */
const RUN_SUMMARY_FIELDS = `
  runId
  jobName
  status
  creationTime
  startTime
  endTime
  updateTime
  parentRunId
  rootRunId
  tags { key value }
  assetSelection { path }
  repositoryOrigin { repositoryLocationName repositoryName }
`;

/** What the run page shows, besides the summary. */
const RUN_DETAIL_FIELDS = `
  ${RUN_SUMMARY_FIELDS}
  canTerminate
  runConfigYaml
  stats {
    __typename
    ... on RunStatsSnapshot {
      stepsSucceeded
      stepsFailed
      enqueuedTime
      launchTime
      startTime
      endTime
    }
    ... on PythonError { message }
  }
  stepStats { stepKey status startTime endTime attempts { startTime } }
`;

/** The members of the launch result unions the portal turns into answers. */
const LAUNCH_RESULT_FIELDS = `
  __typename
  ... on LaunchRunSuccess { run { ${RUN_DETAIL_FIELDS} } }
  ... on RunConfigValidationInvalid {
    pipelineName
    errors { __typename message path reason }
  }
  ... on PipelineNotFoundError {
    message
    pipelineName
    repositoryName
    repositoryLocationName
  }
  ... on InvalidStepError { invalidStepKey }
  ... on InvalidOutputError { stepKey invalidOutputName }
  ... on InvalidSubsetError { message }
  ... on ConflictingExecutionParamsError { message }
  ... on PresetNotFoundError { message }
  ... on NoModeProvidedError { message }
  ... on RunConflict { message }
  ... on UnauthorizedError { message }
  ... on PythonError { message className stack }
`;

/** A page of runs, newest first; `cursor` is the runId of the previous page's last run. */
export const LIST_RUNS = `
query AkiliListRuns($filter: RunsFilter, $cursor: String, $limit: Int) {
  runsOrError(filter: $filter, cursor: $cursor, limit: $limit) {
    __typename
    ... on Runs { results { ${RUN_SUMMARY_FIELDS} } }
    ... on InvalidPipelineRunsFilterError { message }
    ... on PythonError { message className stack }
  }
}`;

/** One run. */
export const GET_RUN = `
query AkiliGetRun($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { ${RUN_DETAIL_FIELDS} }
    ... on RunNotFoundError { runId message }
    ... on PythonError { message className stack }
  }
}`;

/**
 * A page of a run's event log, with the run's tags in the same round trip: the portal checks the
 * run's tenant before it returns any event.
 */
export const RUN_LOGS = `
query AkiliRunLogs($runId: ID!, $afterCursor: String, $limit: Int) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      runId
      status
      tags { key value }
      repositoryOrigin { repositoryLocationName repositoryName }
    }
    ... on RunNotFoundError { runId message }
    ... on PythonError { message className stack }
  }
  logsForRun(runId: $runId, afterCursor: $afterCursor, limit: $limit) {
    __typename
    ... on EventConnection {
      cursor
      hasMore
      events {
        __typename
        ... on MessageEvent { message timestamp level stepKey eventType }
        ... on ErrorEvent { error { message stack } }
      }
    }
    ... on RunNotFoundError { message }
    ... on PythonError { message className stack }
  }
}`;

/** Launches a job, or materializes assets of one. */
export const LAUNCH_RUN = `
mutation AkiliLaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) { ${LAUNCH_RESULT_FIELDS} }
}`;

/** Re-executes a run, from its failure or all of its steps. */
export const REEXECUTE_RUN = `
mutation AkiliReexecuteRun($reexecutionParams: ReexecutionParams) {
  launchRunReexecution(reexecutionParams: $reexecutionParams) { ${LAUNCH_RESULT_FIELDS} }
}`;

/** Terminates a run. */
export const TERMINATE_RUN = `
mutation AkiliTerminateRun($runId: String!, $terminatePolicy: TerminateRunPolicy) {
  terminateRun(runId: $runId, terminatePolicy: $terminatePolicy) {
    __typename
    ... on TerminateRunSuccess { run { ${RUN_DETAIL_FIELDS} } }
    ... on TerminateRunFailure { message run { runId status } }
    ... on RunNotFoundError { runId message }
    ... on UnauthorizedError { message }
    ... on PythonError { message className stack }
  }
}`;

/**
 * The asset nodes of some asset keys with the code location that defines each and its asset
 * checks (the asset check tracker reads only checks of a product's own location).
 */
export const ASSET_CHECKS = `
query AkiliAssetChecks($assetKeys: [AssetKeyInput!]) {
  assetNodes(assetKeys: $assetKeys) {
    assetKey { path }
    repository { name location { name } }
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name description } }
      ... on AssetCheckNeedsMigrationError { message }
      ... on AssetCheckNeedsUserCodeUpgrade { message }
      ... on AssetCheckNeedsAgentUpgradeError { message }
    }
  }
}`;

/**
 * A page of one asset check's executions, newest first; `cursor` is the id of the previous
 * page's last execution (the next page holds older ones).
 */
export const ASSET_CHECK_EXECUTIONS = `
query AkiliAssetCheckExecutions($assetKey: AssetKeyInput!, $checkName: String!, $limit: Int!, $cursor: String) {
  assetCheckExecutions(assetKey: $assetKey, checkName: $checkName, limit: $limit, cursor: $cursor) {
    id
    runId
    status
    timestamp
    partition
    evaluation {
      success
      severity
      timestamp
      description
      partition
      metadataEntries {
        __typename
        label
        ... on FloatMetadataEntry { floatValue floatRepr }
        ... on IntMetadataEntry { intValue intRepr }
        ... on TextMetadataEntry { text }
        ... on BoolMetadataEntry { boolValue }
      }
    }
  }
}`;

/** Every operation, by name, for the schema test. */
export const DAGSTER_OPERATIONS: Record<string, string> = {
  AkiliListRuns: LIST_RUNS,
  AkiliGetRun: GET_RUN,
  AkiliRunLogs: RUN_LOGS,
  AkiliLaunchRun: LAUNCH_RUN,
  AkiliReexecuteRun: REEXECUTE_RUN,
  AkiliTerminateRun: TERMINATE_RUN,
  AkiliAssetChecks: ASSET_CHECKS,
  AkiliAssetCheckExecutions: ASSET_CHECK_EXECUTIONS,
};
