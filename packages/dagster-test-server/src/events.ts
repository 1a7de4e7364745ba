import {
  LogLevel,
  RunStatus,
  TestEventType,
  TestPythonError,
  TestRunEvent,
  TestRunEventInput,
  TestRunStats,
  TestStepStats,
} from './model';

interface EventKind {
  eventType: string | null;
  level: LogLevel;
  /** The run status Dagster's run storage moves to when it stores this event. */
  status?: RunStatus;
}

const EVENT_KINDS: Record<TestEventType, EventKind> = {
  RunEnqueuedEvent: {
    eventType: 'RUN_ENQUEUED',
    level: 'DEBUG',
    status: 'QUEUED',
  },
  RunDequeuedEvent: { eventType: 'RUN_DEQUEUED', level: 'DEBUG' },
  RunStartingEvent: {
    eventType: 'RUN_STARTING',
    level: 'DEBUG',
    status: 'STARTING',
  },
  RunStartEvent: { eventType: 'RUN_START', level: 'DEBUG', status: 'STARTED' },
  RunSuccessEvent: {
    eventType: 'RUN_SUCCESS',
    level: 'DEBUG',
    status: 'SUCCESS',
  },
  RunFailureEvent: {
    eventType: 'RUN_FAILURE',
    level: 'ERROR',
    status: 'FAILURE',
  },
  RunCancelingEvent: {
    eventType: 'RUN_CANCELING',
    level: 'DEBUG',
    status: 'CANCELING',
  },
  RunCanceledEvent: {
    eventType: 'RUN_CANCELED',
    level: 'ERROR',
    status: 'CANCELED',
  },
  ExecutionStepStartEvent: { eventType: 'STEP_START', level: 'DEBUG' },
  ExecutionStepSuccessEvent: { eventType: 'STEP_SUCCESS', level: 'DEBUG' },
  ExecutionStepFailureEvent: { eventType: 'STEP_FAILURE', level: 'ERROR' },
  ExecutionStepSkippedEvent: { eventType: 'STEP_SKIPPED', level: 'DEBUG' },
  LogMessageEvent: { eventType: null, level: 'INFO' },
  EngineEvent: { eventType: 'ENGINE_EVENT', level: 'DEBUG' },
};

/** The run status an event moves its run to, if it is a run lifecycle event. */
export function statusAfter(type: TestEventType): RunStatus | undefined {
  return EVENT_KINDS[type].status;
}

/** Event types that carry the job name (`RunEvent.pipelineName`). */
export function isRunEvent(type: TestEventType): boolean {
  return type.startsWith('Run');
}

function defaultMessage(
  type: TestEventType,
  jobName: string,
  stepKey: string | null,
) {
  switch (type) {
    case 'RunEnqueuedEvent':
      return 'Adding run to the queue.';
    case 'RunDequeuedEvent':
      return 'Run has been dequeued.';
    case 'RunStartingEvent':
      return 'Launching run.';
    case 'RunStartEvent':
      return `Started execution of run for "${jobName}".`;
    case 'RunSuccessEvent':
      return `Finished execution of run for "${jobName}".`;
    case 'RunFailureEvent':
      return `Execution of run for "${jobName}" failed.`;
    case 'RunCancelingEvent':
      return 'Sending run termination request.';
    case 'RunCanceledEvent':
      return `Execution of run for "${jobName}" canceled.`;
    case 'ExecutionStepStartEvent':
      return `Started execution of step "${stepKey}".`;
    case 'ExecutionStepSuccessEvent':
      return `Finished execution of step "${stepKey}".`;
    case 'ExecutionStepFailureEvent':
      return `Execution of step "${stepKey}" failed.`;
    case 'ExecutionStepSkippedEvent':
      return `Skipped execution of step "${stepKey}".`;
    default:
      return '';
  }
}

/** Fills in what an appended event left out, the way Dagster would have written it. */
export function completeEvent(
  input: TestRunEventInput,
  jobName: string,
  nowMs: number,
): TestRunEvent {
  const kind = EVENT_KINDS[input.type];
  if (!kind) {
    throw new Error(
      `dagster-test-server does not model events of type ${input.type}`,
    );
  }
  const stepKey = input.stepKey ?? null;
  return {
    type: input.type,
    message: input.message ?? defaultMessage(input.type, jobName, stepKey),
    timestamp: input.timestamp ?? String(Math.round(nowMs)),
    level: input.level ?? kind.level,
    stepKey,
    eventType: input.eventType === undefined ? kind.eventType : input.eventType,
    error:
      input.error === undefined && input.type === 'ExecutionStepFailureEvent'
        ? stepError(stepKey ?? 'op', 0)
        : input.error ?? null,
  };
}

const FAILURES: Array<(step: string) => TestPythonError> = [
  step => ({
    message: `psycopg2.errors.UndefinedTable: relation "staging.${step}" does not exist\n`,
    className: 'UndefinedTable',
    stack: [
      `  File "/opt/dagster/app/akili/assets.py", line 87, in ${step}\n    cursor.execute(query)\n`,
    ],
  }),
  step => ({
    message:
      'botocore.exceptions.ClientError: An error occurred (SlowDown) when calling the PutObject ' +
      'operation: Please reduce your request rate.\n',
    className: 'ClientError',
    stack: [
      `  File "/opt/dagster/app/akili/io.py", line 31, in handle_output\n    client.put_object(Key="${step}.parquet", **request)\n`,
    ],
  }),
  step => ({
    message: `dagster._core.definitions.events.Failure: ${step}: 0 rows loaded, expected at least 1\n`,
    className: 'Failure',
    stack: [
      `  File "/opt/dagster/app/akili/assets.py", line 112, in ${step}\n    raise Failure(description)\n`,
    ],
  }),
];

/** A realistic error for a failed step; `variant` picks one of a few kinds. */
export function stepError(stepKey: string, variant: number): TestPythonError {
  return FAILURES[variant % FAILURES.length](stepKey);
}

/** A small, stable hash of a string, for choices that must not change between runs. */
export function hashOf(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** What a run looks like to the log writer. Times are epoch seconds. */
export interface LogShape {
  runId: string;
  jobName: string;
  status: RunStatus;
  creationTime: number;
  startTime: number | null;
  endTime: number | null;
}

/**
 * Writes the event log a run with this status and these times would have: enqueued, launched,
 * started, its steps in order, and how it ended. Which step fails or is running when a run
 * is cut short follows from the run id, so the same run always gets the same log.
 */
export function writeLog(
  run: LogShape,
  steps: string[],
  nowSeconds: number,
): TestRunEvent[] {
  const events: TestRunEvent[] = [];
  const add = (
    type: TestEventType,
    seconds: number,
    extra: Partial<TestRunEventInput> = {},
  ) =>
    events.push(
      completeEvent(
        { type, ...extra, timestamp: String(Math.round(seconds * 1000)) },
        run.jobName,
        0,
      ),
    );
  const { status, creationTime } = run;
  const hash = hashOf(run.runId);

  if (status === 'NOT_STARTED' || status === 'MANAGED') return events;
  add('RunEnqueuedEvent', creationTime);
  if (status === 'QUEUED') return events;
  if (run.startTime === null) {
    if (status === 'CANCELED')
      add('RunCanceledEvent', run.endTime ?? creationTime);
    if (status === 'STARTING') add('RunStartingEvent', creationTime + 1);
    return events;
  }
  const start = run.startTime;
  add('RunDequeuedEvent', creationTime + (start - creationTime) * 0.2);
  add('RunStartingEvent', creationTime + (start - creationTime) * 0.4);
  add('RunStartEvent', start);

  const horizon = Math.max(start, run.endTime ?? nowSeconds);
  const slot = (horizon - start) / (steps.length + 1);
  const finished = status === 'SUCCESS';
  // The step that fails, or is running when the run is canceled or still going.
  const stopAt = finished ? steps.length : hash % steps.length;
  for (let i = 0; i < steps.length && i <= stopAt; i++) {
    const stepKey = steps[i];
    const stepStart = start + slot * (i + 0.2);
    add('ExecutionStepStartEvent', stepStart, { stepKey });
    if (i === stopAt) {
      if (status === 'FAILURE') {
        add('ExecutionStepFailureEvent', stepStart + slot * 0.6, {
          stepKey,
          error: stepError(stepKey, hash >>> 8),
        });
      }
      break;
    }
    add('LogMessageEvent', stepStart + slot * 0.3, {
      stepKey,
      message: `${stepKey}: wrote ${(hash >>> i % 16) % 100000} rows`,
    });
    add('ExecutionStepSuccessEvent', stepStart + slot * 0.7, { stepKey });
  }

  const end = run.endTime ?? horizon;
  switch (status) {
    case 'SUCCESS':
      add('RunSuccessEvent', end);
      break;
    case 'FAILURE':
      add('RunFailureEvent', end, {
        message: `Execution of run for "${run.jobName}" failed. Steps failed: ['${steps[stopAt]}'].`,
      });
      break;
    case 'CANCELING':
      add('RunCancelingEvent', end);
      break;
    case 'CANCELED':
      add('RunCancelingEvent', Math.max(start, end - 1));
      add('RunCanceledEvent', end);
      break;
    default:
      break;
  }
  return events;
}

const seconds = (event: TestRunEvent) => Number(event.timestamp) / 1000;

/** Per-step status and times, from the step events of a log (Dagster's `RunStepStats`). */
export function stepStatsOf(events: TestRunEvent[]): TestStepStats[] {
  const byStep = new Map<string, TestStepStats>();
  for (const event of events) {
    if (!event.stepKey || !event.type.startsWith('ExecutionStep')) continue;
    let stats = byStep.get(event.stepKey);
    if (!stats) {
      stats = {
        stepKey: event.stepKey,
        status: null,
        startTime: null,
        endTime: null,
      };
      byStep.set(event.stepKey, stats);
    }
    switch (event.type) {
      case 'ExecutionStepStartEvent':
        stats.status = 'IN_PROGRESS';
        stats.startTime = seconds(event);
        stats.endTime = null;
        break;
      case 'ExecutionStepSuccessEvent':
        stats.status = 'SUCCESS';
        stats.endTime = seconds(event);
        break;
      case 'ExecutionStepFailureEvent':
        stats.status = 'FAILURE';
        stats.endTime = seconds(event);
        break;
      case 'ExecutionStepSkippedEvent':
        stats.status = 'SKIPPED';
        break;
      default:
        break;
    }
  }
  return [...byStep.values()];
}

/** Dagster's `RunStatsSnapshot` of a log. */
export function runStatsOf(events: TestRunEvent[]): TestRunStats {
  const stats: TestRunStats = {
    stepsSucceeded: 0,
    stepsFailed: 0,
    materializations: 0,
    expectations: 0,
    enqueuedTime: null,
    launchTime: null,
    startTime: null,
    endTime: null,
  };
  for (const event of events) {
    switch (event.type) {
      case 'ExecutionStepSuccessEvent':
        stats.stepsSucceeded++;
        break;
      case 'ExecutionStepFailureEvent':
        stats.stepsFailed++;
        break;
      case 'RunEnqueuedEvent':
        stats.enqueuedTime = seconds(event);
        break;
      case 'RunStartingEvent':
        stats.launchTime = seconds(event);
        break;
      case 'RunStartEvent':
        stats.startTime = seconds(event);
        break;
      case 'RunSuccessEvent':
      case 'RunFailureEvent':
      case 'RunCanceledEvent':
        stats.endTime = seconds(event);
        break;
      default:
        break;
    }
  }
  return stats;
}
