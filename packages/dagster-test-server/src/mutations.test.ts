import { DagsterTestServer, startDagsterTestServer } from './DagsterTestServer';
import {
  GET_RUN,
  LAUNCH_RUN,
  LIST_RUNS,
  REEXECUTE,
  RUN_LOGS,
  TERMINATE,
  graphql,
  tagsOf,
} from './testUtils';

const selector = {
  repositoryLocationName: 'etl',
  repositoryName: '__repository__',
  jobName: 'daily_etl',
};

describe('mutations', () => {
  let server: DagsterTestServer;

  beforeEach(async () => {
    server = await startDagsterTestServer({
      locations: [
        {
          name: 'etl',
          repositories: [
            {
              jobs: [
                {
                  name: 'daily_etl',
                  ops: ['extract', 'load'],
                  configSchema: {
                    ops: {
                      load: { config: ['table', 'mode'], required: ['table'] },
                    },
                  },
                  tags: { team: 'data' },
                },
                {
                  name: '__ASSET_JOB',
                  assetKeys: [
                    ['raw', 'orders'],
                    ['raw', 'customers'],
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
  });

  afterEach(async () => {
    server.assertNoInvalidRequests();
    await server.stop();
  });

  describe('launchRun', () => {
    it('queues a run with the launch tags, visible to runsOrError', async () => {
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector,
          runConfigData: { ops: { load: { config: { table: 'orders' } } } },
          executionMetadata: {
            tags: [
              { key: 'akili/tenant', value: 'acme' },
              { key: 'akili/requested-by', value: 'user:default/jane' },
            ],
          },
        },
      });

      const { launchRun } = reply.body.data;
      expect(launchRun).toMatchObject({
        __typename: 'LaunchRunSuccess',
        run: {
          status: 'QUEUED',
          jobName: 'daily_etl',
          assetSelection: null,
          runConfigYaml: 'ops:\n  load:\n    config:\n      table: orders\n',
        },
      });
      expect(tagsOf(launchRun.run)).toEqual({
        team: 'data',
        'akili/tenant': 'acme',
        'akili/requested-by': 'user:default/jane',
      });
      const listed = await graphql(server, LIST_RUNS, {
        filter: {
          tags: [{ key: 'akili/tenant', value: 'acme' }],
          statuses: ['QUEUED'],
        },
      });
      expect(
        listed.body.data.runsOrError.results.map(
          (run: { runId: string }) => run.runId,
        ),
      ).toEqual([launchRun.run.runId]);
      expect(
        server.getRun(launchRun.run.runId)!.events.map(event => event.type),
      ).toEqual(['RunEnqueuedEvent']);
    });

    it('materializes a subset of the asset job', async () => {
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector: {
            ...selector,
            jobName: '__ASSET_JOB',
            assetSelection: [{ path: ['raw', 'orders'] }],
          },
        },
      });

      expect(reply.body.data.launchRun.run.assetSelection).toEqual([
        { path: ['raw', 'orders'] },
      ]);
    });

    it('answers PipelineNotFoundError for an unknown location, repository or job', async () => {
      for (const wrong of [
        { repositoryLocationName: 'nope' },
        { repositoryName: 'other' },
        { jobName: 'weekly_etl' },
      ]) {
        const reply = await graphql(server, LAUNCH_RUN, {
          executionParams: { selector: { ...selector, ...wrong } },
        });
        const expected = { ...selector, ...wrong };
        expect(reply.body.data.launchRun).toEqual({
          __typename: 'PipelineNotFoundError',
          message: `Could not find Pipeline ${expected.repositoryLocationName}.${expected.repositoryName}.${expected.jobName}`,
          pipelineName: expected.jobName,
          repositoryName: expected.repositoryName,
          repositoryLocationName: expected.repositoryLocationName,
        });
      }
    });

    it('answers InvalidSubsetError for assets outside the job', async () => {
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector: {
            ...selector,
            jobName: '__ASSET_JOB',
            assetSelection: [
              { path: ['raw', 'orders'] },
              { path: ['mart', 'revenue'] },
            ],
          },
        },
      });

      expect(reply.body.data.launchRun).toEqual({
        __typename: 'InvalidSubsetError',
        message:
          'Assets provided in asset_selection argument ["mart", "revenue"] do not exist in parent asset group or job.',
        pipeline: { name: '__ASSET_JOB' },
      });
    });

    it('answers RunConfigValidationInvalid for unknown and missing config', async () => {
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector,
          runConfigData: { ops: { load: { config: { tabel: 'orders' } } } },
        },
      });

      expect(reply.body.data.launchRun).toEqual({
        __typename: 'RunConfigValidationInvalid',
        pipelineName: 'daily_etl',
        errors: [
          {
            __typename: 'FieldNotDefinedConfigError',
            message:
              'Received unexpected config entry "tabel" at path root:ops:load:config. Expected: "{ table mode? }".',
            path: ['ops', 'load', 'config'],
            reason: 'FIELD_NOT_DEFINED',
          },
          {
            __typename: 'MissingFieldConfigError',
            message:
              "Missing required config entry \"table\" at path root:ops:load:config. Sample config for missing entry: {'table': '...'}",
            path: ['ops', 'load', 'config'],
            reason: 'MISSING_REQUIRED_FIELD',
          },
        ],
      });
      const unknownOp = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector,
          runConfigData: {
            ops: { load: { config: { table: 'x' } }, transform: {} },
          },
        },
      });
      expect(unknownOp.body.data.launchRun.errors).toEqual([
        expect.objectContaining({
          __typename: 'FieldNotDefinedConfigError',
          path: ['ops'],
          reason: 'FIELD_NOT_DEFINED',
        }),
      ]);
      const noConfig = await graphql(server, LAUNCH_RUN, {
        executionParams: { selector },
      });
      expect(noConfig.body.data.launchRun.errors).toEqual([
        expect.objectContaining({
          __typename: 'MissingFieldConfigError',
          path: [],
        }),
      ]);
    });

    it('answers InvalidStepError for a step the job does not have', async () => {
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector,
          runConfigData: { ops: { load: { config: { table: 'x' } } } },
          stepKeys: ['transform'],
        },
      });

      expect(reply.body.data.launchRun).toEqual({
        __typename: 'InvalidStepError',
        invalidStepKey: 'transform',
      });
    });
  });

  describe('launchRunReexecution', () => {
    it('re-executes a failed run from failure with its tags and extra tags', async () => {
      const parent = server.addRun({
        jobName: 'daily_etl',
        repositoryOrigin: {
          repositoryLocationName: 'etl',
          repositoryName: '__repository__',
        },
        status: 'FAILURE',
        runConfig: { ops: { load: { config: { table: 'orders' } } } },
        tags: {
          'akili/tenant': 'acme',
          'akili/requested-by': 'user:default/jane',
        },
      });

      const reply = await graphql(server, REEXECUTE, {
        reexecutionParams: {
          parentRunId: parent.runId,
          strategy: 'FROM_FAILURE',
          extraTags: [{ key: 'akili/requested-by', value: 'user:default/li' }],
        },
      });

      const { run } = reply.body.data.launchRunReexecution;
      expect(run).toMatchObject({
        parentRunId: parent.runId,
        rootRunId: parent.runId,
        status: 'QUEUED',
      });
      expect(tagsOf(run)).toEqual({
        'akili/tenant': 'acme',
        'akili/requested-by': 'user:default/li',
        'dagster/parent_run_id': parent.runId,
        'dagster/root_run_id': parent.runId,
        'dagster/is_resume_retry': 'true',
      });
      const failedStep = parent.stepStats.find(
        step => step.status === 'FAILURE',
      )!.stepKey;
      const child = server.getRun(run.runId)!;
      expect(child.stepKeysToExecute).toEqual(
        ['extract', 'load'].slice(['extract', 'load'].indexOf(failedStep)),
      );
      expect(child.runConfig).toEqual(parent.runConfig);

      const grandchild = await graphql(server, REEXECUTE, {
        reexecutionParams: {
          parentRunId: run.runId,
          strategy: 'ALL_STEPS',
          useParentRunTags: false,
        },
      });
      expect(grandchild.body.data.launchRunReexecution.run).toMatchObject({
        parentRunId: run.runId,
        rootRunId: parent.runId,
      });
      expect(tagsOf(grandchild.body.data.launchRunReexecution.run)).toEqual({
        team: 'data',
        'dagster/parent_run_id': run.runId,
        'dagster/root_run_id': parent.runId,
      });
    });

    it('answers a PythonError for a missing parent or a parent that did not fail', async () => {
      const succeeded = server.addRun({
        jobName: 'daily_etl',
        repositoryOrigin: {
          repositoryLocationName: 'etl',
          repositoryName: '__repository__',
        },
        status: 'SUCCESS',
      });

      const missing = await graphql(server, REEXECUTE, {
        reexecutionParams: { parentRunId: 'nope', strategy: 'ALL_STEPS' },
      });
      const notFailed = await graphql(server, REEXECUTE, {
        reexecutionParams: {
          parentRunId: succeeded.runId,
          strategy: 'FROM_FAILURE',
        },
      });
      const allSteps = await graphql(server, REEXECUTE, {
        reexecutionParams: {
          parentRunId: succeeded.runId,
          strategy: 'ALL_STEPS',
        },
      });

      expect(missing.body.data.launchRunReexecution).toEqual({
        __typename: 'PythonError',
        message:
          'dagster._check.functions.CheckError: Expected non-None value: Could not find parent run with id: nope\n',
      });
      expect(notFailed.body.data.launchRunReexecution).toEqual({
        __typename: 'PythonError',
        message:
          'dagster._core.errors.DagsterInvariantViolationError: Cannot reexecute from failure a run that is not failed or canceled\n',
      });
      expect(allSteps.body.data.launchRunReexecution.__typename).toBe(
        'LaunchRunSuccess',
      );
    });

    it("answers PipelineNotFoundError when the parent's job is gone", async () => {
      const orphan = server.addRun({
        jobName: 'retired_job',
        status: 'FAILURE',
      });

      const reply = await graphql(server, REEXECUTE, {
        reexecutionParams: {
          parentRunId: orphan.runId,
          strategy: 'FROM_FAILURE',
        },
      });

      expect(reply.body.data.launchRunReexecution).toEqual({
        __typename: 'PipelineNotFoundError',
        message: 'Could not find Pipeline etl.__repository__.retired_job',
      });
    });
  });

  describe('terminateRun', () => {
    it('cancels a queued run at once and a started one through CANCELING', async () => {
      const queued = server.addRun({ status: 'QUEUED' });
      const started = server.addRun({ status: 'STARTED' });

      const fromQueue = await graphql(server, TERMINATE, {
        runId: queued.runId,
      });
      const running = await graphql(server, TERMINATE, {
        runId: started.runId,
      });

      expect(fromQueue.body.data.terminateRun).toEqual({
        __typename: 'TerminateRunSuccess',
        run: { runId: queued.runId, status: 'CANCELED', canTerminate: false },
      });
      expect(running.body.data.terminateRun).toEqual({
        __typename: 'TerminateRunSuccess',
        run: { runId: started.runId, status: 'CANCELING', canTerminate: false },
      });

      const canceled = server.setRunStatus(started.runId, 'CANCELED');
      expect(canceled).toMatchObject({
        status: 'CANCELED',
        endTime: expect.any(Number),
      });
      expect(canceled.events.slice(-2).map(event => event.type)).toEqual([
        'RunCancelingEvent',
        'RunCanceledEvent',
      ]);
    });

    it('refuses to terminate a finished run, even by force', async () => {
      const done = server.addRun({ status: 'SUCCESS' });

      for (const terminatePolicy of [
        'SAFE_TERMINATE',
        'MARK_AS_CANCELED_IMMEDIATELY',
      ]) {
        const reply = await graphql(server, TERMINATE, {
          runId: done.runId,
          terminatePolicy,
        });
        expect(reply.body.data.terminateRun).toEqual({
          __typename: 'TerminateRunFailure',
          message: `Run ${done.runId} could not be terminated due to having status SUCCESS.`,
          run: { runId: done.runId, status: 'SUCCESS' },
        });
      }
    });

    it('marks a starting run canceled only by force', async () => {
      const starting = server.addRun({ status: 'STARTING' });

      const safe = await graphql(server, TERMINATE, { runId: starting.runId });
      const forced = await graphql(server, TERMINATE, {
        runId: starting.runId,
        terminatePolicy: 'MARK_AS_CANCELED_IMMEDIATELY',
      });

      expect(safe.body.data.terminateRun.__typename).toBe(
        'TerminateRunFailure',
      );
      expect(forced.body.data.terminateRun.run.status).toBe('CANCELED');
    });

    it('answers RunNotFoundError for an unknown run', async () => {
      const reply = await graphql(server, TERMINATE, { runId: 'nope' });

      expect(reply.body.data.terminateRun).toEqual({
        __typename: 'RunNotFoundError',
        runId: 'nope',
        message: 'Run nope could not be found.',
      });
    });

    it('finishes canceling on its own when told how long it takes', async () => {
      const quick = await startDagsterTestServer({ cancelingDurationMs: 20 });
      try {
        const started = quick.addRun({ status: 'STARTED' });
        await graphql(quick, TERMINATE, { runId: started.runId });
        await new Promise(resolve => setTimeout(resolve, 60));

        expect(quick.getRun(started.runId)!.status).toBe('CANCELED');
      } finally {
        await quick.stop();
      }
    });
  });

  describe('test fixtures', () => {
    it('moves a launched run through its lifecycle with the matching events', async () => {
      const launched = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector,
          runConfigData: { ops: { load: { config: { table: 'orders' } } } },
        },
      });
      const { runId } = launched.body.data.launchRun.run;

      server.setRunStatus(runId, 'STARTED', { time: 1_700_000_000 });
      const failed = server.setRunStatus(runId, 'FAILURE', {
        time: 1_700_000_100,
      });

      expect(failed).toMatchObject({
        status: 'FAILURE',
        startTime: 1_700_000_000,
        endTime: 1_700_000_100,
        updateTime: 1_700_000_100,
        stats: {
          stepsFailed: 1,
          startTime: 1_700_000_000,
          endTime: 1_700_000_100,
        },
        stepStats: [{ stepKey: 'extract', status: 'FAILURE' }],
      });
      expect(failed.events.map(event => event.type)).toEqual([
        'RunEnqueuedEvent',
        'RunStartingEvent',
        'RunStartEvent',
        'ExecutionStepStartEvent',
        'ExecutionStepFailureEvent',
        'RunFailureEvent',
      ]);
      const detail = await graphql(server, GET_RUN, { runId });
      expect(detail.body.data.runOrError).toMatchObject({
        status: 'FAILURE',
        canTerminate: false,
      });
    });

    it('takes exact events and reports them in the log', async () => {
      const run = server.addRun({
        jobName: 'daily_etl',
        events: [
          { type: 'RunStartEvent', timestamp: '1700000000000' },
          {
            type: 'LogMessageEvent',
            message: 'hello',
            stepKey: 'extract',
            timestamp: '1700000000500',
          },
        ],
      });
      server.appendEvents(run.runId, [
        {
          type: 'ExecutionStepFailureEvent',
          stepKey: 'extract',
          timestamp: '1700000001000',
          error: {
            message: 'ValueError: bad row\n',
            stack: ['  File "x.py", line 1\n'],
          },
        },
      ]);

      expect(server.getRun(run.runId)).toMatchObject({
        status: 'STARTED',
        startTime: 1_700_000_000,
      });
      const logs = await graphql(server, RUN_LOGS, { runId: run.runId });
      expect(logs.body.data.logsForRun.events).toEqual([
        expect.objectContaining({
          __typename: 'RunStartEvent',
          timestamp: '1700000000000',
          level: 'DEBUG',
        }),
        expect.objectContaining({
          __typename: 'LogMessageEvent',
          message: 'hello',
          level: 'INFO',
          eventType: null,
          stepKey: 'extract',
        }),
        {
          __typename: 'ExecutionStepFailureEvent',
          runId: run.runId,
          message: 'Execution of step "extract" failed.',
          timestamp: '1700000001000',
          level: 'ERROR',
          stepKey: 'extract',
          eventType: 'STEP_FAILURE',
          error: {
            message: 'ValueError: bad row\n',
            stack: ['  File "x.py", line 1\n'],
          },
        },
      ]);
    });
  });
});
