import {
  completeEvent,
  runStatsOf,
  statusAfter,
  stepStatsOf,
  writeLog,
} from './events';
import {
  RunStatus,
  TestRun,
  TestRunEvent,
  TestRunEventInput,
  TestRunStats,
  TestStepStats,
} from './model';
import { dumpYaml } from './yaml';

/** A run in storage: the fields of {@link TestRun} that are not derived from the log. */
export type StoredRun = Omit<
  TestRun,
  'runConfigYaml' | 'events' | 'stepStats' | 'stats'
> & {
  /** Dagster's run storage id: the order runs were added in. */
  storageId: number;
  /** Written on first read for runs added without a log (most seeded runs are never read). */
  events?: TestRunEvent[];
  derived?: { stepStats: TestStepStats[]; stats: TestRunStats };
};

/** The arguments of `runsOrError`'s `RunsFilter` that the storage applies. */
export interface RunsFilter {
  runIds?: Array<string | null> | null;
  pipelineName?: string | null;
  tags?: Array<{ key: string; value: string }> | null;
  statuses?: RunStatus[] | null;
  createdAfter?: number | null;
  createdBefore?: number | null;
  updatedAfter?: number | null;
  updatedBefore?: number | null;
}

const FINISHED: ReadonlySet<RunStatus> = new Set([
  'SUCCESS',
  'FAILURE',
  'CANCELED',
]);

export function isFinished(status: RunStatus): boolean {
  return FINISHED.has(status);
}

function appendTo<K>(index: Map<K, number[]>, key: K, storageId: number) {
  const ids = index.get(key);
  if (ids) ids.push(storageId);
  else index.set(key, [storageId]);
}

/** The position of the first id in an ascending list that is not lower than `id`. */
function lowerBound(ids: number[], id: number) {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle] < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Runs in Dagster's storage order, indexed by tag and by job so a page of one product's runs
 * reads only that product's runs. Storage ids only grow, so every index list stays sorted.
 */
export class RunStore {
  private readonly runs: StoredRun[] = [];
  private readonly byRunId = new Map<string, StoredRun>();
  private readonly byTag = new Map<string, Map<string, number[]>>();
  private readonly byJob = new Map<string, number[]>();

  constructor(
    /** The steps a run executes, for the logs the store writes. */
    readonly stepsOf: (run: StoredRun) => string[],
  ) {}

  get size() {
    return this.runs.length;
  }

  get(runId: string): StoredRun | undefined {
    return this.byRunId.get(runId);
  }

  /** Stores the run object itself (no copy: seeding 100,000 runs should not make 200,000). */
  insert(run: Omit<StoredRun, 'storageId'>): StoredRun {
    if (this.byRunId.has(run.runId)) {
      throw new Error(`A run with id ${run.runId} already exists`);
    }
    const stored = run as StoredRun;
    stored.storageId = this.runs.length + 1;
    this.runs.push(stored);
    this.byRunId.set(stored.runId, stored);
    appendTo(this.byJob, stored.jobName, stored.storageId);
    for (const key in stored.tags) {
      if (!Object.hasOwn(stored.tags, key)) continue;
      const value = stored.tags[key];
      let values = this.byTag.get(key);
      if (!values) {
        values = new Map();
        this.byTag.set(key, values);
      }
      appendTo(values, value, stored.storageId);
    }
    return stored;
  }

  /**
   * Runs matching the filter, newest (highest storage id) first, older than the cursor run.
   * Like Dagster's SQL storage, an unknown cursor matches nothing, and an empty cursor or a
   * limit of 0 is ignored.
   */
  query(
    filter: RunsFilter = {},
    cursor?: string | null,
    limit?: number | null,
  ): StoredRun[] {
    let below = Infinity;
    if (cursor) {
      const cursorRun = this.byRunId.get(cursor);
      if (!cursorRun) return [];
      below = cursorRun.storageId;
    }
    const max = limit ? limit : Infinity;
    const matches = this.matcher(filter);
    const results: StoredRun[] = [];
    const candidates = this.candidates(filter);
    if (candidates) {
      for (
        let i = lowerBound(candidates, below) - 1;
        i >= 0 && results.length < max;
        i--
      ) {
        const run = this.runs[candidates[i] - 1];
        if (matches(run)) results.push(run);
      }
    } else {
      const start = Math.min(below - 1, this.runs.length);
      for (let id = start; id >= 1 && results.length < max; id--) {
        const run = this.runs[id - 1];
        if (matches(run)) results.push(run);
      }
    }
    return results;
  }

  count(filter: RunsFilter = {}): number {
    const matches = this.matcher(filter);
    const candidates = this.candidates(filter);
    let count = 0;
    if (candidates) {
      for (const id of candidates) if (matches(this.runs[id - 1])) count++;
    } else {
      for (const run of this.runs) if (matches(run)) count++;
    }
    return count;
  }

  /** The shortest index list that holds every match, or undefined to scan all runs. */
  private candidates(filter: RunsFilter): number[] | undefined {
    const lists: number[][] = [];
    const runIds = (filter.runIds ?? []).filter((id): id is string => !!id);
    if (runIds.length) {
      lists.push(
        runIds
          .map(id => this.byRunId.get(id)?.storageId)
          .filter((id): id is number => id !== undefined)
          .sort((a, b) => a - b),
      );
    }
    if (filter.pipelineName)
      lists.push(this.byJob.get(filter.pipelineName) ?? []);
    for (const [key, value] of collapseTags(filter.tags)) {
      lists.push(this.byTag.get(key)?.get(value) ?? []);
    }
    if (!lists.length) return undefined;
    return lists.reduce((shortest, list) =>
      list.length < shortest.length ? list : shortest,
    );
  }

  private matcher(filter: RunsFilter): (run: StoredRun) => boolean {
    const runIds = (filter.runIds ?? []).filter((id): id is string => !!id);
    const ids = runIds.length ? new Set(runIds) : undefined;
    const tags = [...collapseTags(filter.tags)];
    const statuses = filter.statuses?.length
      ? new Set(filter.statuses)
      : undefined;
    const {
      pipelineName,
      createdAfter,
      createdBefore,
      updatedAfter,
      updatedBefore,
    } = filter;
    return run =>
      (!ids || ids.has(run.runId)) &&
      (!pipelineName || run.jobName === pipelineName) &&
      (!statuses || statuses.has(run.status)) &&
      (!createdAfter || run.creationTime > createdAfter) &&
      (!createdBefore || run.creationTime < createdBefore) &&
      (!updatedAfter || run.updateTime > updatedAfter) &&
      (!updatedBefore || run.updateTime < updatedBefore) &&
      tags.every(([key, value]) => run.tags[key] === value);
  }

  eventsOf(run: StoredRun): TestRunEvent[] {
    if (!run.events) {
      run.events = writeLog(run, this.stepsOf(run), Date.now() / 1000);
    }
    return run.events;
  }

  derivedOf(run: StoredRun) {
    if (!run.derived) {
      const events = this.eventsOf(run);
      run.derived = {
        stepStats: stepStatsOf(events),
        stats: runStatsOf(events),
      };
    }
    return run.derived;
  }

  /**
   * Appends to a run's log. Run lifecycle events move the run's status and times as Dagster's
   * run storage does when it stores them.
   */
  append(run: StoredRun, inputs: TestRunEventInput[]): TestRunEvent[] {
    const events = this.eventsOf(run);
    const added = inputs.map(input =>
      completeEvent(input, run.jobName, Date.now()),
    );
    for (const event of added) {
      events.push(event);
      const time = Number(event.timestamp) / 1000;
      const status = statusAfter(event.type);
      if (status) {
        run.status = status;
        run.updateTime = time;
        if (event.type === 'RunStartEvent') run.startTime = time;
        if (isFinished(status)) run.endTime = time;
      }
    }
    run.derived = undefined;
    return added;
  }

  snapshot(run: StoredRun): TestRun {
    const { storageId, events, derived, ...fields } = run;
    const { stepStats, stats } = this.derivedOf(run);
    return {
      ...fields,
      tags: { ...fields.tags },
      runConfig: JSON.parse(JSON.stringify(run.runConfig)),
      runConfigYaml: dumpYaml(run.runConfig),
      events: [...this.eventsOf(run)],
      stepStats: stepStats.map(step => ({ ...step })),
      stats: { ...stats },
    };
  }
}

/** `RunsFilter.tags` as Dagster reads them: a mapping, so a repeated key keeps its last value. */
export function collapseTags(tags: RunsFilter['tags']): Map<string, string> {
  return new Map((tags ?? []).map(tag => [tag.key, tag.value]));
}
