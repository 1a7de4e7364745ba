import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { dirname, join as joinPath } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  DocumentNode,
  GraphQLError,
  GraphQLFieldResolver,
  GraphQLSchema,
  OperationDefinitionNode,
  buildSchema,
  execute,
  getNamedType,
  isNonNullType,
  isUnionType,
  parse,
  validate,
} from 'graphql';
import { AssetCheckStore } from './AssetCheckStore';
import { writeLog } from './events';
import {
  RunStatus,
  TestAssetCheckExecution,
  TestAssetCheckExecutionInput,
  TestLocation,
  TestPythonError,
  TestRun,
  TestRunEventInput,
  TestRunInput,
} from './model';
import { RequestContext, Resolvers, pythonErrorView } from './resolvers';
import { RunStore, StoredRun, isFinished } from './RunStore';
import {
  DagsterTestSeed,
  SeedSummary,
  seedRuns,
  seededLocation,
  seededProducts,
} from './seed';
import {
  DEFAULT_REPOSITORY,
  Workspace,
  assetStepKey,
  stepsOfJob,
} from './Workspace';

/** The response header carrying the server's own processing time of a request. */
export const SERVER_TIME_HEADER = 'x-dagster-test-server-time-ms';

/**
 * Faults the server can answer with instead of running an operation:
 * `python-error` answers each root field whose result union has `PythonError` with one (other
 * root fields fail with a top-level error, HTTP 500); `resolver-error` makes every root field
 * raise the error, as a resolver exception does (HTTP 500, the message in `errors[]` with
 * `extensions.errorInfo`); `http-500` is a crashed webserver's plain-text 500; `invalid-json` is
 * a 200 whose JSON body is cut off.
 */
export type DagsterFault =
  | 'python-error'
  | 'resolver-error'
  | 'http-500'
  | 'invalid-json';

export interface DagsterTestServerOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Generates data products, their code locations and runs. */
  seed?: DagsterTestSeed;
  /** Code locations to serve besides the seeded ones. */
  locations?: TestLocation[];
  /** What `Query.version` answers; default `1.11.0`. */
  version?: string;
  /**
   * How long a terminated run stays CANCELING before it is CANCELED. Unset, it stays CANCELING
   * until a test calls `setRunStatus(runId, 'CANCELED')`.
   */
  cancelingDurationMs?: number;
  /** Told of every run launched or re-executed through GraphQL, e.g. to play it through. */
  onRunLaunched?: (runId: string) => void;
}

/** One request the server answered. */
export interface DagsterTestRequest {
  operationName: string | null;
  variables: Record<string, unknown> | null;
  query: string | null;
  /** False when real Dagster would have rejected the request (HTTP 400). */
  valid: boolean;
  status: number;
  /** Server processing time, without any latency set with `setLatency`. */
  durationMs: number;
  /** The error messages of a rejected or failed request. */
  errors?: string[];
  /** The fault injected instead of running the operation. */
  fault?: DagsterFault;
}

/** @public */
export interface DagsterTestServer {
  /** Base URL without a trailing slash; GraphQL is served at `${url}/graphql`. */
  readonly url: string;
  /** The seeded products and how long seeding took, when the server was started with a seed. */
  readonly seeded: SeedSummary | undefined;
  /** Adds a code location, or replaces the one with the same name. */
  addLocation(location: TestLocation): void;
  /** Adds a run as the newest in storage order and returns it in full. */
  addRun(run?: TestRunInput): TestRun;
  /**
   * Stores an asset check execution as the newest of its check (next storage id): evaluated
   * when `success` is given, planned otherwise. The check is defined with its repository
   * (`TestRepository.assetChecks`).
   */
  addAssetCheckExecution(
    execution: TestAssetCheckExecutionInput,
  ): TestAssetCheckExecution;
  /** Evaluates a planned execution (it keeps its id). */
  evaluateAssetCheckExecution(
    id: string,
    evaluation: Omit<
      TestAssetCheckExecutionInput,
      'assetKey' | 'checkName' | 'runId'
    > & {
      success: boolean;
    },
  ): TestAssetCheckExecution;
  getRun(runId: string): TestRun | undefined;
  /** Appends to a run's log; run lifecycle events move its status and times. */
  appendEvents(runId: string, events: TestRunEventInput[]): TestRun;
  /**
   * Moves a run to a status by appending the events Dagster would log on the way (starting it
   * first if it has to have run). `time` is epoch seconds, default now.
   */
  setRunStatus(
    runId: string,
    status: RunStatus,
    options?: { time?: number },
  ): TestRun;
  requests(): DagsterTestRequest[];
  invalidRequests(): DagsterTestRequest[];
  /** Throws, listing them, if any request would have been rejected by real Dagster. */
  assertNoInvalidRequests(): void;
  clearRequests(): void;
  /**
   * Answers the next `count` valid requests with a fault instead of running them; `error` is the
   * Python error of `python-error` and `resolver-error` (default: user code unreachable).
   */
  failNext(
    count: number,
    kind: DagsterFault,
    error?: Partial<TestPythonError>,
  ): void;
  /** Delays every answer by this long ("slow Dagster"). */
  setLatency(ms: number): void;
  /** Down: closes the listener and drops open connections. Up: listens on the same port again. */
  setDown(down: boolean): Promise<void>;
  /**
   * Stuck: every new request is accepted and read, and never answered (a hung webserver). With
   * `afterProcessing` the operation still runs (a launch happens, its answer is lost); without,
   * it never runs. Unstuck: the held connections are dropped and new requests are answered.
   */
  setStuck(stuck: boolean, options?: { afterProcessing?: boolean }): void;
  stop(): Promise<void>;
}

let cachedSchema: GraphQLSchema | undefined;

/** Dagster's schema, built from the SDL copied into this package (see README). */
export function dagsterSchema(): GraphQLSchema {
  if (!cachedSchema) {
    // Resolved like Backstage's resolvePackagePath, so it works from src/ and from dist/.
    const packageDir = dirname(
      require.resolve('@akili/dagster-test-server/package.json'),
    );
    const sdl = readFileSync(
      joinPath(packageDir, 'schema', 'schema.graphql'),
      'utf8',
    );
    cachedSchema = buildSchema(sdl);
  }
  return cachedSchema;
}

/**
 * Resolves fields from the returned objects like graphql-js's default resolver, but names a
 * required field the server does not model instead of failing with a bare null error.
 */
const fieldResolver: GraphQLFieldResolver<unknown, RequestContext> = (
  source,
  args,
  context,
  info,
) => {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[info.fieldName];
  if (typeof value === 'function')
    return value.call(source, args, context, info);
  if (value === undefined && isNonNullType(info.returnType)) {
    throw new Error(
      `The Dagster test server does not model ${info.parentType.name}.${info.fieldName}`,
    );
  }
  return value;
};

/** Root fields whose result union can carry a `PythonError`. */
function fieldsWithPythonError(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      const type = getNamedType(field.type);
      if (
        isUnionType(type) &&
        type.getTypes().some(member => member.name === 'PythonError')
      ) {
        names.add(field.name);
      }
    }
  }
  return names;
}

const DEFAULT_PYTHON_ERROR: TestPythonError = {
  message:
    'dagster._core.errors.DagsterUserCodeUnreachableError: Could not reach user code server. ' +
    'gRPC Error code: UNAVAILABLE\n',
  className: 'DagsterUserCodeUnreachableError',
  stack: [
    '  File "/usr/local/lib/python3.12/site-packages/dagster/_grpc/client.py", line 204, in _query\n    return self._get_response(method, request=request_type(**kwargs), timeout=timeout)\n',
  ],
};

/** Dagster's `errorInfo` extension of a resolver exception (a packed `SerializableErrorInfo`). */
function errorInfo(error: Error) {
  return {
    __class__: 'SerializableErrorInfo',
    message: `${error.name}: ${error.message}\n`,
    stack: (error.stack ?? '')
      .split('\n')
      .slice(1)
      .map(line => `${line}\n`),
    cls_name: error.name,
    cause: null,
    context: null,
  };
}

interface Reply {
  status: number;
  type: 'application/json' | 'text/plain';
  body: string;
}

interface GraphqlRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const json = (status: number, body: unknown): Reply => ({
  status,
  type: 'application/json',
  body: JSON.stringify(body),
});
const text = (status: number, body: string): Reply => ({
  status,
  type: 'text/plain',
  body,
});

function operationNameOf(
  document: DocumentNode,
  requested: unknown,
): string | null {
  if (typeof requested === 'string' && requested) return requested;
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition',
  );
  return operations.length === 1 ? operations[0].name?.value ?? null : null;
}

class TestServer implements DagsterTestServer {
  url = '';
  seeded: SeedSummary | undefined;
  private readonly schema = dagsterSchema();
  private readonly pythonErrorFields = fieldsWithPythonError(this.schema);
  private readonly workspace = new Workspace();
  private readonly store: RunStore;
  private readonly checks = new AssetCheckStore();
  private readonly resolvers: Resolvers;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly log: DagsterTestRequest[] = [];
  private readonly faults: Array<{
    kind: DagsterFault;
    error: TestPythonError;
  }> = [];
  private latencyMs = 0;
  /** Answers held back by `setLatency`, released at once on `stop`. */
  private readonly delayed = new Set<{
    timer: NodeJS.Timeout;
    release: () => void;
  }>();
  private down = false;
  private port = 0;
  /** Set while stuck (see `setStuck`). */
  private stuck: { afterProcessing: boolean } | undefined;
  /** Answers never sent while stuck; their connections are dropped when unstuck or stopped. */
  private readonly held = new Set<ServerResponse>();

  constructor(private readonly options: DagsterTestServerOptions) {
    this.store = new RunStore(run => this.stepsOf(run));
    this.resolvers = new Resolvers(
      this.store,
      this.workspace,
      {
        version: options.version ?? '1.11.0',
        cancelingDurationMs: options.cancelingDurationMs,
        onRunLaunched: options.onRunLaunched,
      },
      this.checks,
    );
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        if (!res.headersSent && !res.destroyed) {
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(String(error));
        }
      });
    });
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  seed(seed: DagsterTestSeed) {
    const started = performance.now();
    const products = seededProducts(seed);
    for (const product of products) {
      this.workspace.add(
        seededLocation(product, { assetChecks: seed.assetChecks }),
      );
    }
    const now = (seed.now?.getTime() ?? Date.now()) / 1000;
    seedRuns(
      this.store,
      seed,
      products,
      now,
      seed.assetChecks ? this.checks : undefined,
    );
    this.seeded = {
      products,
      runs: this.store.size,
      assetCheckExecutions: this.checks.size,
      durationMs: performance.now() - started,
    };
  }

  async listen(port: number) {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.url = `http://${host}:${this.port}`;
  }

  private stepsOf(run: StoredRun): string[] {
    if (run.stepKeysToExecute?.length) return run.stepKeysToExecute;
    if (run.assetSelection?.length) return run.assetSelection.map(assetStepKey);
    const origin = run.repositoryOrigin;
    const job = this.workspace.job(
      origin.repositoryLocationName,
      origin.repositoryName,
      run.jobName,
    );
    return job ? stepsOfJob(job) : [run.jobName];
  }

  addLocation(location: TestLocation) {
    this.workspace.add(location);
  }

  addRun(input: TestRunInput = {}): TestRun {
    const now = Date.now() / 1000;
    const { events, ...fields } = input;
    const creationTime = input.creationTime ?? now - 60;
    const jobName = input.jobName ?? '__ASSET_JOB';
    // Like Dagster, a run comes from the location that defines its job (the first one that
    // does), unless the test says where it came from.
    const origin =
      input.repositoryOrigin ?? this.workspace.originOfJob(jobName);
    const run = this.store.insert({
      runId: randomUUID(),
      jobName: '__ASSET_JOB',
      status: 'NOT_STARTED',
      parentRunId: null,
      rootRunId: null,
      runConfig: {},
      assetSelection: null,
      stepKeysToExecute: null,
      startTime: null,
      endTime: null,
      updateTime: creationTime,
      ...fields,
      creationTime,
      tags: { ...input.tags },
      repositoryOrigin: {
        repositoryLocationName:
          origin?.repositoryLocationName ??
          this.workspace.list()[0]?.name ??
          'default',
        repositoryName: origin?.repositoryName ?? DEFAULT_REPOSITORY,
      },
    });
    if (events) {
      // The log decides status and times, unless the run says otherwise.
      run.events = [];
      this.store.append(run, events);
      for (const key of [
        'status',
        'startTime',
        'endTime',
        'updateTime',
      ] as const) {
        if (input[key] !== undefined) Object.assign(run, { [key]: input[key] });
      }
      return this.store.snapshot(run);
    }
    const status = input.status ?? 'SUCCESS';
    const hasRun = !['QUEUED', 'NOT_STARTED', 'MANAGED'].includes(status);
    run.status = status;
    if (input.startTime === undefined)
      run.startTime = hasRun ? creationTime + 5 : null;
    if (input.endTime === undefined) {
      run.endTime = isFinished(status)
        ? (run.startTime ?? creationTime) + 40
        : null;
    }
    if (input.updateTime === undefined) {
      run.updateTime = run.endTime ?? run.startTime ?? creationTime;
    }
    run.events = writeLog(run, this.stepsOf(run), now);
    return this.store.snapshot(run);
  }

  addAssetCheckExecution(
    execution: TestAssetCheckExecutionInput,
  ): TestAssetCheckExecution {
    return structuredClone(this.checks.add(execution));
  }

  evaluateAssetCheckExecution(
    id: string,
    evaluation: Omit<
      TestAssetCheckExecutionInput,
      'assetKey' | 'checkName' | 'runId'
    > & {
      success: boolean;
    },
  ): TestAssetCheckExecution {
    return structuredClone(this.checks.evaluate(id, evaluation));
  }

  getRun(runId: string) {
    const run = this.store.get(runId);
    return run && this.store.snapshot(run);
  }

  private stored(runId: string): StoredRun {
    const run = this.store.get(runId);
    if (!run) throw new Error(`No run with id ${runId}`);
    return run;
  }

  appendEvents(runId: string, events: TestRunEventInput[]) {
    const run = this.stored(runId);
    this.store.append(run, events);
    return this.store.snapshot(run);
  }

  setRunStatus(
    runId: string,
    status: RunStatus,
    options: { time?: number } = {},
  ) {
    const run = this.stored(runId);
    const timestamp = String(
      Math.round((options.time ?? Date.now() / 1000) * 1000),
    );
    const events: TestRunEventInput[] = [];
    const add = (event: TestRunEventInput) =>
      events.push({ timestamp, ...event });
    const ensureStarted = () => {
      if (run.startTime !== null) return;
      if (run.status !== 'STARTING') add({ type: 'RunStartingEvent' });
      add({ type: 'RunStartEvent' });
    };
    const pendingSteps = () => {
      const done = new Map(
        this.store
          .derivedOf(run)
          .stepStats.map(step => [step.stepKey, step.status]),
      );
      return this.stepsOf(run)
        .filter(
          step => done.get(step) !== 'SUCCESS' && done.get(step) !== 'FAILURE',
        )
        .map(step => ({ step, started: done.get(step) === 'IN_PROGRESS' }));
    };
    switch (status) {
      case 'QUEUED':
        add({ type: 'RunEnqueuedEvent' });
        break;
      case 'STARTING':
        add({ type: 'RunStartingEvent' });
        break;
      case 'STARTED':
        ensureStarted();
        break;
      case 'SUCCESS':
        ensureStarted();
        for (const { step, started } of pendingSteps()) {
          if (!started) add({ type: 'ExecutionStepStartEvent', stepKey: step });
          add({ type: 'ExecutionStepSuccessEvent', stepKey: step });
        }
        add({ type: 'RunSuccessEvent' });
        break;
      case 'FAILURE': {
        ensureStarted();
        const [next] = pendingSteps();
        const failed = next?.step ?? this.stepsOf(run)[0];
        if (next && !next.started)
          add({ type: 'ExecutionStepStartEvent', stepKey: failed });
        add({ type: 'ExecutionStepFailureEvent', stepKey: failed });
        add({
          type: 'RunFailureEvent',
          message: `Execution of run for "${run.jobName}" failed. Steps failed: ['${failed}'].`,
        });
        break;
      }
      case 'CANCELING':
        add({ type: 'RunCancelingEvent' });
        break;
      case 'CANCELED':
        add({ type: 'RunCanceledEvent' });
        break;
      default:
        // NOT_STARTED and MANAGED have no event of their own.
        run.status = status;
        run.updateTime = Number(timestamp) / 1000;
    }
    this.store.append(run, events);
    return this.store.snapshot(run);
  }

  requests() {
    return [...this.log];
  }

  invalidRequests() {
    return this.log.filter(request => !request.valid);
  }

  assertNoInvalidRequests() {
    const invalid = this.invalidRequests();
    if (invalid.length) {
      const list = invalid
        .map(
          request =>
            `- ${request.operationName ?? '(anonymous)'}: ${(
              request.errors ?? []
            ).join('; ')}`,
        )
        .join('\n');
      throw new Error(
        `The Dagster test server received ${invalid.length} request(s) Dagster would reject:\n${list}`,
      );
    }
  }

  clearRequests() {
    this.log.length = 0;
  }

  failNext(
    count: number,
    kind: DagsterFault,
    error: Partial<TestPythonError> = {},
  ) {
    for (let i = 0; i < count; i++) {
      this.faults.push({ kind, error: { ...DEFAULT_PYTHON_ERROR, ...error } });
    }
  }

  setLatency(ms: number) {
    this.latencyMs = ms;
  }

  async setDown(down: boolean) {
    if (down === this.down) return;
    this.down = down;
    if (down) {
      await new Promise<void>(resolve => {
        this.server.close(() => resolve());
        for (const socket of this.sockets) socket.destroy();
      });
    } else {
      await this.listen(this.port);
    }
  }

  setStuck(stuck: boolean, options: { afterProcessing?: boolean } = {}) {
    if (stuck) {
      this.stuck = { afterProcessing: options.afterProcessing ?? false };
      return;
    }
    this.stuck = undefined;
    for (const res of [...this.held]) res.socket?.destroy();
    this.held.clear();
  }

  /** Never answers `res` (while stuck). */
  private hold(res: ServerResponse) {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  async stop() {
    this.resolvers.close();
    this.setStuck(false);
    // Held-back answers go out now (to connections about to close) rather than after the stop.
    for (const wait of [...this.delayed]) wait.release();
    await this.setDown(true);
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const stuck = this.stuck;
    if (stuck && !stuck.afterProcessing) {
      this.hold(res);
      return;
    }
    const started = performance.now();
    const entry: DagsterTestRequest = {
      operationName: null,
      variables: null,
      query: null,
      valid: true,
      status: 200,
      durationMs: 0,
    };
    const reply = this.process(
      req,
      Buffer.concat(chunks).toString('utf8'),
      entry,
    );
    entry.status = reply.status;
    entry.durationMs = performance.now() - started;
    this.log.push(entry);
    if (stuck) {
      this.hold(res);
      return;
    }
    if (this.latencyMs > 0) {
      await new Promise<void>(resolve => {
        const wait = {
          timer: setTimeout(() => wait.release(), this.latencyMs),
          release: () => {
            clearTimeout(wait.timer);
            this.delayed.delete(wait);
            resolve();
          },
        };
        this.delayed.add(wait);
      });
    }
    if (res.destroyed) return;
    res.on('error', () => {});
    res.writeHead(reply.status, {
      'content-type': `${reply.type}; charset=utf-8`,
      [SERVER_TIME_HEADER]: entry.durationMs.toFixed(3),
    });
    res.end(reply.body);
  }

  /** Answers one request the way Dagster's webserver does (`dagster_webserver/graphql.py`). */
  private process(
    req: IncomingMessage,
    body: string,
    entry: DagsterTestRequest,
  ): Reply {
    const reject = (reply: Reply, errors: string[]) => {
      entry.valid = false;
      entry.errors = errors;
      return reply;
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/graphql' && url.pathname !== '/graphql/') {
      return reject(text(404, 'Not Found'), [
        `No route ${req.method} ${url.pathname}`,
      ]);
    }

    let data: GraphqlRequest;
    const contentType = req.headers['content-type'] ?? '';
    if (req.method === 'POST' && contentType.includes('application/json')) {
      try {
        data = JSON.parse(body);
      } catch {
        return reject(text(400, `GraphQL request is invalid JSON:\n${body}`), [
          'invalid JSON body',
        ]);
      }
    } else if (
      req.method === 'POST' &&
      contentType.includes('application/graphql')
    ) {
      data = { query: body };
    } else if (req.method === 'POST' || req.method === 'GET') {
      data = Object.fromEntries(url.searchParams);
    } else {
      return reject(text(405, 'Method Not Allowed'), [`method ${req.method}`]);
    }

    const { query, operationName } = data ?? {};
    let variables = data?.variables;
    entry.query = typeof query === 'string' ? query : null;
    if (typeof query !== 'string') {
      return reject(text(400, 'No GraphQL query found in the request'), [
        'no query',
      ]);
    }
    if (typeof variables === 'string') {
      try {
        variables = JSON.parse(variables);
      } catch {
        return reject(
          text(
            400,
            `Malformed GraphQL variables. Passed as string but not valid JSON:\n${variables}`,
          ),
          ['malformed variables'],
        );
      }
    }
    entry.variables =
      (variables as Record<string, unknown> | null | undefined) ?? null;

    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      const graphqlError = error as GraphQLError;
      return reject(
        json(400, { data: null, errors: [graphqlError.toJSON()] }),
        [graphqlError.message],
      );
    }
    entry.operationName = operationNameOf(document, operationName);
    const validationErrors = validate(this.schema, document);
    if (validationErrors.length) {
      return reject(
        json(400, {
          data: null,
          errors: validationErrors.map(error => error.toJSON()),
        }),
        validationErrors.map(error => error.message),
      );
    }

    const fault = this.faults.shift();
    const context: RequestContext = {};
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'http-500') return text(500, 'Internal Server Error');
      if (fault.kind === 'invalid-json') {
        return { status: 200, type: 'application/json', body: '{"data": {"' };
      }
      if (fault.kind === 'resolver-error') context.resolverError = fault.error;
      else context.pythonError = fault.error;
    }

    const result = execute({
      schema: this.schema,
      document,
      rootValue: this.rootValue(),
      contextValue: context,
      variableValues: entry.variables,
      operationName:
        typeof operationName === 'string' ? operationName : undefined,
      fieldResolver,
    });
    if (result instanceof Promise) {
      throw new Error('The Dagster test server resolves synchronously');
    }
    if (!result.errors?.length) return json(200, result);
    entry.errors = result.errors.map(error => error.message);
    if (!('data' in result) || result.data === undefined) {
      // Variables that do not fit, or no operation to run: rejected before execution.
      entry.valid = false;
      return json(400, {
        data: null,
        errors: result.errors.map(error => error.toJSON()),
      });
    }
    return json(500, {
      data: result.data,
      errors: result.errors.map(error => ({
        ...error.toJSON(),
        ...(error.originalError
          ? { extensions: { errorInfo: errorInfo(error.originalError) } }
          : {}),
      })),
    });
  }

  private rootValue() {
    const root = this.resolvers.rootValue();
    for (const [name, value] of Object.entries(root)) {
      if (typeof value !== 'function') continue;
      root[name] = (
        args: unknown,
        context: RequestContext,
        ...rest: unknown[]
      ) => {
        if (context.resolverError) {
          throw new Error(context.resolverError.message.trim());
        }
        if (!context.pythonError) return value(args, context, ...rest);
        if (this.pythonErrorFields.has(name))
          return pythonErrorView(context.pythonError);
        throw new Error(context.pythonError.message.trim());
      };
    }
    return root;
  }
}

/**
 * Starts a Dagster webserver stand-in: GraphQL at `${url}/graphql`, every operation validated
 * against Dagster's schema, answered from an in-memory instance.
 */
export async function startDagsterTestServer(
  options: DagsterTestServerOptions = {},
): Promise<DagsterTestServer> {
  const server = new TestServer(options);
  if (options.seed) server.seed(options.seed);
  for (const location of options.locations ?? []) server.addLocation(location);
  await server.listen(options.port ?? 0);
  return server;
}
