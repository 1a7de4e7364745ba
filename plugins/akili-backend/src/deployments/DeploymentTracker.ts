import { LoggerService } from '@backstage/backend-plugin-api';
import {
  isFinalDeploymentStatus,
  ProductDeployment,
} from '@akili/plugin-akili-common';
import { DeploymentStore } from './DeploymentStore';
import { deploymentStatusOf, GitlabPipelines } from './GitlabPipelines';

/** How a pipeline is polled: first after `initialDelayMs`, then 1.5 times longer each time. */
export interface FollowSchedule {
  initialDelayMs: number;
  maxDelayMs: number;
  /**
   * After this long from the request, the deployment is marked `unknown` and no longer
   * followed.
   */
  maxDurationMs: number;
  /** GitLab errors in a row after which the deployment is marked `unknown`. */
  maxErrors: number;
}

export const DEFAULT_FOLLOW_SCHEDULE: FollowSchedule = {
  initialDelayMs: 2_000,
  maxDelayMs: 30_000,
  maxDurationMs: 2 * 60 * 60 * 1000,
  maxErrors: 10,
};

/** Deployments followed again at start-up, per tenant, at the most (the oldest first). */
const MAX_RESUMED_PER_TENANT = 1000;
/** Between the first polls of deployments followed again at start-up, so GitLab is not flooded. */
const RESUME_SPREAD_MS = 100;

/** What to follow: a recorded deployment and where its pipeline is. */
export interface FollowedDeployment {
  tenant: string;
  id: string;
  /** The GitLab project's id, or its full path when only that was kept. */
  projectId: number | string;
  projectPath: string;
  pipelineId: number;
  /** When it was requested (the bound counts from there); now when not given. */
  requestedAt?: string;
  /** Before the first poll; the schedule's `initialDelayMs` when not given. */
  firstDelayMs?: number;
}

/**
 * Follows deployments' pipelines until they end, with backoff and a bound, and records how they
 * ended ({@link DeploymentStore.update}, which writes the event).
 *
 * @remarks
 *
 * Survives restarts: {@link DeploymentTracker.resume} follows again, at start-up, every
 * deployment the store still has as `pending` or `running`; one whose pipeline ended while no
 * backend followed it gets that end recorded on the first poll. Two followers of one deployment
 * (two backends, or overlapping restarts) only cost GitLab reads: the store records an end, and
 * writes its event, once.
 */
export class DeploymentTracker {
  readonly #store: DeploymentStore;
  readonly #logger: LoggerService;
  readonly #schedule: FollowSchedule;
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(options: {
    store: DeploymentStore;
    logger: LoggerService;
    schedule?: Partial<FollowSchedule>;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    // Unset values (config not given) keep the defaults.
    const given = Object.fromEntries(
      Object.entries(options.schedule ?? {}).filter(([, v]) => v !== undefined),
    );
    this.#schedule = { ...DEFAULT_FOLLOW_SCHEDULE, ...given };
  }

  /**
   * Follows again the unfinished deployments of `tenants` (at start-up): their first polls
   * spread out, then the usual backoff; the bound counts from each one's request, so one
   * requested too long ago is read once and, unless its pipeline ended, marked `unknown`.
   * Answers how many it follows.
   */
  async resume(gitlab: GitlabPipelines, tenants: string[]): Promise<number> {
    let resumed = 0;
    for (const tenant of tenants) {
      let unfinished: ProductDeployment[];
      try {
        unfinished = await this.#store.listUnfinished(
          tenant,
          MAX_RESUMED_PER_TENANT,
        );
      } catch (error) {
        this.#logger.error('Could not read unfinished deployments', {
          tenant,
          error: (error as Error).message,
        });
        continue;
      }
      for (const deployment of unfinished) {
        if (this.#stopped) {
          return resumed;
        }
        this.follow(gitlab, {
          tenant,
          id: deployment.id,
          projectId: deployment.gitlabProject,
          projectPath: deployment.gitlabProject,
          pipelineId: deployment.pipelineId!,
          requestedAt: deployment.requestedAt,
          firstDelayMs:
            this.#schedule.initialDelayMs + resumed * RESUME_SPREAD_MS,
        });
        resumed += 1;
      }
    }
    if (resumed > 0) {
      this.#logger.info('Following unfinished deployments again', {
        deployments: resumed,
      });
    }
    return resumed;
  }

  /** Starts following a deployment in the background. */
  follow(gitlab: GitlabPipelines, deployment: FollowedDeployment): void {
    const logger = this.#logger.child({
      tenant: deployment.tenant,
      deploymentId: deployment.id,
      pipelineId: deployment.pipelineId,
    });
    const requestedAt = deployment.requestedAt
      ? Date.parse(deployment.requestedAt)
      : Date.now();
    const deadline = requestedAt + this.#schedule.maxDurationMs;
    let delay = deployment.firstDelayMs ?? this.#schedule.initialDelayMs;
    let errors = 0;

    const end = async (message: string) => {
      await this.#store.update(deployment.tenant, deployment.id, {
        status: 'unknown',
        message,
      });
      logger.warn('Deployment no longer followed', { message });
    };
    const overdue = () =>
      `The pipeline did not end within ${Math.round(
        this.#schedule.maxDurationMs / 60_000,
      )} minutes; see it in GitLab`;

    /** One poll; whether to poll again. */
    const poll = async (): Promise<boolean> => {
      try {
        const pipeline = await gitlab.pipeline(
          deployment.projectId,
          deployment.projectPath,
          deployment.pipelineId,
        );
        errors = 0;
        const status = deploymentStatusOf(pipeline.status);
        const current = await this.#store.get(deployment.tenant, deployment.id);
        if (!current || isFinalDeploymentStatus(current.status)) {
          return false;
        }
        if (status !== current.status) {
          await this.#store.update(deployment.tenant, deployment.id, {
            status,
            ...(status === 'failed' || status === 'canceled'
              ? { message: `The GitLab pipeline ended ${pipeline.status}` }
              : {}),
            ...(pipeline.finished_at
              ? { finishedAt: new Date(pipeline.finished_at) }
              : {}),
          });
          logger.info('Deployment status changed', { status });
        }
        if (isFinalDeploymentStatus(status)) {
          return false;
        }
      } catch (error) {
        errors += 1;
        logger.warn('Could not read the deployment pipeline', {
          error: (error as Error).message,
          errors,
        });
        if (errors >= this.#schedule.maxErrors) {
          await end(
            `GitLab did not answer for the pipeline ${errors} times in a row: ${
              (error as Error).message
            }`,
          );
          return false;
        }
      }
      // Checked after the read: a pipeline that ended while nobody followed it is recorded.
      if (Date.now() > deadline) {
        await end(overdue());
        return false;
      }
      return true;
    };

    const schedule = () => {
      if (this.#stopped) {
        return;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        poll().then(
          again => {
            if (again) {
              schedule();
            }
          },
          error =>
            logger.error('Following the deployment failed', error as Error),
        );
      }, delay);
      this.#timers.add(timer);
      delay = Math.min(
        Math.max(delay, this.#schedule.initialDelayMs) * 1.5,
        this.#schedule.maxDelayMs,
      );
    };
    schedule();
  }

  /** Stops following (backend shutdown); what was followed stays as last recorded. */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) {
      clearTimeout(timer);
    }
    this.#timers.clear();
  }
}
