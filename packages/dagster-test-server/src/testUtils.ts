import { DagsterTestServer } from './DagsterTestServer';

export interface GraphqlReply {
  status: number;
  headers: Headers;
  body: any;
}

/** Posts a GraphQL operation as a Dagster client would. */
export async function graphql(
  server: DagsterTestServer,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphqlReply> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Left as text: plain-text errors and the invalid-json fault.
  }
  return { status: response.status, headers: response.headers, body };
}

export const LIST_RUNS = `
query ListRuns($filter: RunsFilter, $cursor: String, $limit: Int) {
  runsOrError(filter: $filter, cursor: $cursor, limit: $limit) {
    __typename
    ... on Runs {
      results { runId jobName status creationTime updateTime tags { key value } }
    }
    ... on PythonError { message stack }
  }
}`;

export const COUNT_RUNS = `
query CountRuns($filter: RunsFilter) {
  runsOrError(filter: $filter, limit: 1) { __typename ... on Runs { count } }
}`;

export const GET_RUN = `
query GetRun($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run {
      runId jobName status creationTime startTime endTime updateTime parentRunId rootRunId
      canTerminate runConfigYaml tags { key value }
      repositoryOrigin { repositoryLocationName repositoryName }
      assetSelection { path }
      stats { __typename ... on RunStatsSnapshot { stepsSucceeded stepsFailed enqueuedTime launchTime startTime endTime } }
      stepStats { stepKey status startTime endTime attempts { startTime } }
    }
    ... on RunNotFoundError { runId message }
    ... on PythonError { message }
  }
}`;

export const RUN_LOGS = `
query RunLogs($runId: ID!, $afterCursor: String, $limit: Int) {
  logsForRun(runId: $runId, afterCursor: $afterCursor, limit: $limit) {
    __typename
    ... on EventConnection {
      cursor hasMore
      events {
        __typename
        ... on MessageEvent { runId message timestamp level stepKey eventType }
        ... on ErrorEvent { error { message stack } }
      }
    }
    ... on RunNotFoundError { message }
    ... on PythonError { message }
  }
}`;

export const LAUNCH_RUN = `
mutation LaunchRun($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId status jobName tags { key value } assetSelection { path } runConfigYaml } }
    ... on RunConfigValidationInvalid { pipelineName errors { __typename message path reason } }
    ... on PipelineNotFoundError { message pipelineName repositoryName repositoryLocationName }
    ... on InvalidSubsetError { message pipeline { name } }
    ... on InvalidStepError { invalidStepKey }
    ... on PythonError { message stack }
  }
}`;

export const REEXECUTE = `
mutation Reexecute($reexecutionParams: ReexecutionParams) {
  launchRunReexecution(reexecutionParams: $reexecutionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId parentRunId rootRunId status tags { key value } } }
    ... on PipelineNotFoundError { message }
    ... on PythonError { message }
  }
}`;

export const TERMINATE = `
mutation Terminate($runId: String!, $terminatePolicy: TerminateRunPolicy) {
  terminateRun(runId: $runId, terminatePolicy: $terminatePolicy) {
    __typename
    ... on TerminateRunSuccess { run { runId status canTerminate } }
    ... on TerminateRunFailure { message run { runId status } }
    ... on RunNotFoundError { runId message }
    ... on PythonError { message }
  }
}`;

/** A run's tags as a mapping. */
export function tagsOf(run: { tags: Array<{ key: string; value: string }> }) {
  return Object.fromEntries(run.tags.map(tag => [tag.key, tag.value]));
}
