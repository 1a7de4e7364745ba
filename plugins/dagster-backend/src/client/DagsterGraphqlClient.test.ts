import { ConfigReader } from '@backstage/config';
import {
  DagsterTestServer,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import {
  DagsterGraphqlClient,
  readDagsterClientConfig,
} from './DagsterGraphqlClient';
import { DagsterNoAnswerError, DagsterUnavailableError } from './errors';
import { GET_RUN } from './operations';

jest.setTimeout(30_000);

describe('readDagsterClientConfig', () => {
  const read = (dagster: object) =>
    readDagsterClientConfig(new ConfigReader({ dagster }));

  it('reads the base URL, headers and timeout, defaulting to 4.5 s', () => {
    expect(read({ baseUrl: 'https://dagster.example/' })).toEqual({
      baseUrl: 'https://dagster.example',
      headers: {},
      timeoutMs: 4500,
    });
    expect(
      read({
        baseUrl: 'http://d:3000',
        headers: { 'Dagster-Cloud-Api-Token': 't' },
        timeoutMs: 2000,
      }),
    ).toEqual({
      baseUrl: 'http://d:3000',
      headers: { 'Dagster-Cloud-Api-Token': 't' },
      timeoutMs: 2000,
    });
    expect(read({})).toBeUndefined();
  });

  it('names the key of a bad value', () => {
    expect(() => read({ baseUrl: 'dagster:3000' })).toThrow(
      'dagster.baseUrl must be an http(s) URL, not "dagster:3000"',
    );
    expect(() => read({ baseUrl: 'not a url' })).toThrow(
      'dagster.baseUrl is not a URL: "not a url"',
    );
    expect(() => read({ baseUrl: 'http://d', timeoutMs: 0 })).toThrow(
      'dagster.timeoutMs must be a whole number of milliseconds between 100 and 120000, not 0',
    );
  });
});

describe('DagsterGraphqlClient', () => {
  let dagster: DagsterTestServer;
  beforeAll(async () => {
    dagster = await startDagsterTestServer();
  });
  afterAll(async () => {
    await dagster.stop();
  });

  it('sends the operation with its name and the configured headers', async () => {
    const client = new DagsterGraphqlClient({
      baseUrl: dagster.url,
      headers: { authorization: 'Bearer proxy-token' },
      timeoutMs: 4500,
    });
    const data = await client.request<{ runOrError: { __typename: string } }>(
      'AkiliGetRun',
      GET_RUN,
      { runId: 'nope' },
    );
    expect(data.runOrError.__typename).toBe('RunNotFoundError');
    expect(dagster.requests().at(-1)).toMatchObject({
      operationName: 'AkiliGetRun',
      variables: { runId: 'nope' },
      valid: true,
    });
    expect(client.requestCount).toBe(1);
  });

  it('gives up on a stuck Dagster after the default 4.5 s with a 503', async () => {
    const client = new DagsterGraphqlClient(
      readDagsterClientConfig(
        new ConfigReader({ dagster: { baseUrl: dagster.url } }),
      ),
    );
    dagster.setLatency(20_000);
    try {
      await expect(
        client.request('AkiliGetRun', GET_RUN, { runId: 'x' }),
      ).rejects.toMatchObject({
        name: 'DagsterUnavailableError',
        statusCode: 503,
        message: `Dagster at ${dagster.url} did not answer within 4.5 s (AkiliGetRun)`,
      });
    } finally {
      dagster.setLatency(0);
    }
  });

  it('tells a request Dagster may have received (no answer, connection dropped) from one it never got (refused)', async () => {
    const client = new DagsterGraphqlClient({
      baseUrl: dagster.url,
      headers: {},
      timeoutMs: 300,
    });
    const ask = () => client.request('AkiliGetRun', GET_RUN, { runId: 'x' });

    dagster.setStuck(true);
    const timedOut = (await ask().catch(e => e)) as Error;
    const dropped = ask().catch(e => e);
    await new Promise(resolve => setTimeout(resolve, 100));
    dagster.setStuck(false);
    await dagster.setDown(true);
    // Once the client saw its kept-alive connections closed (a request written to one the server
    // just closed is a dropped connection: it may have arrived, so its outcome is unknown too).
    await new Promise(resolve => setTimeout(resolve, 200));
    const refused = (await ask().catch(e => e)) as Error;
    await dagster.setDown(false);

    expect(timedOut).toBeInstanceOf(DagsterNoAnswerError);
    expect(timedOut.message).toBe(
      `Dagster at ${dagster.url} did not answer within 0.3 s (AkiliGetRun)`,
    );
    // Unstuck drops the held connection before the timeout.
    expect(await dropped).toBeInstanceOf(DagsterNoAnswerError);
    expect(refused).toBeInstanceOf(DagsterUnavailableError);
    expect(refused).not.toBeInstanceOf(DagsterNoAnswerError);
    expect(refused.message).toMatch(
      /could not be reached \(AkiliGetRun\): ECONNREFUSED$/,
    );
    for (const error of [timedOut, await dropped, refused]) {
      expect(error).toMatchObject({
        name: 'DagsterUnavailableError',
        statusCode: 503,
      });
    }
  });

  it('reports a query Dagster rejects as our failure (502), and not configured as 503', async () => {
    const client = new DagsterGraphqlClient({
      baseUrl: dagster.url,
      headers: {},
      timeoutMs: 4500,
    });
    await expect(
      client.request(
        'Broken',
        'query Broken { runOrError(runId: 1) { nope } }',
      ),
    ).rejects.toMatchObject({ name: 'DagsterFailedError', statusCode: 502 });
    dagster.clearRequests();
    await expect(
      new DagsterGraphqlClient(undefined).request('AkiliGetRun', GET_RUN),
    ).rejects.toMatchObject({
      name: 'DagsterNotConfiguredError',
      statusCode: 503,
    });
  });
});
