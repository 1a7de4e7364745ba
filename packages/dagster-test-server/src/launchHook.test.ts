import { startDagsterTestServer } from './DagsterTestServer';
import { LAUNCH_RUN, graphql } from './testUtils';

describe('onRunLaunched', () => {
  it('is told of each run launched through GraphQL, which can then be played through', async () => {
    const launched: string[] = [];
    const server = await startDagsterTestServer({
      locations: [
        { name: 'etl', repositories: [{ jobs: [{ name: 'daily' }] }] },
      ],
      onRunLaunched: runId => launched.push(runId),
    });
    try {
      // Runs added by a test are not launches.
      server.addRun({ jobName: 'daily' });
      const reply = await graphql(server, LAUNCH_RUN, {
        executionParams: {
          selector: {
            repositoryLocationName: 'etl',
            repositoryName: '__repository__',
            jobName: 'daily',
          },
        },
      });
      const runId = reply.body.data.launchRun.run.runId;
      expect(launched).toEqual([runId]);
      expect(server.getRun(runId)?.status).toBe('QUEUED');
      server.setRunStatus(runId, 'STARTED');
      server.setRunStatus(runId, 'SUCCESS');
      expect(server.getRun(runId)).toMatchObject({ status: 'SUCCESS' });
      expect(server.getRun(runId)?.endTime).not.toBeNull();
    } finally {
      await server.stop();
    }
  });
});
