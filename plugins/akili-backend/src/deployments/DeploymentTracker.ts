import { LoggerService } from '@backstage/backend-plugin-api';
import { isFinalDeploymentStatus } from '@akili/plugin-akili-common';
import { DeploymentStore } from './DeploymentStore';
import { deploymentStatusOf, GitlabPipelines } from './GitlabPipelines';

/** How a pipeline is polled: first after `initialDelayMs`, then 1.5 times longer each time. */
export interface FollowSchedule {
  initialDelayMs: number;
  maxDelayMs: number;
  /** After this long, the deployment is marked `unknown` and no longer followed. */
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

/** What to follow: a recorded deployment and where its pipeline is. */
export interface FollowedDeployment {
  tenant: string;
  id: string;
  projectId: number;
  projectPath: string;
  pipelineId: number;
}

/**
 * Follows deployments' pipelines in this backend process until they end, with backoff and a
 * bound, and records how they ended ({@link DeploymentStore.update}, which writes the event).
 *
 * @remarks
 *
 * Nothing survives a restart: a deployment followed when the backend stops stays `pending` or
 * `running` in the store. Marking those `unknown` (or resuming them) at start-up is left for a
 * later version.
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

  /** Starts following a deployment in the background. */
  follow(gitlab: GitlabPipelines, deployment: FollowedDeployment): void {
    const logger = this.#logger.child({
      tenant: deployment.tenant,
      deploymentId: deployment.id,
      pipelineId: deployment.pipelineId,
    });
    const deadline = Date.now() + this.#schedule.maxDurationMs;
    let delay = this.#schedule.initialDelayMs;
    let errors = 0;

    const end = async (status: 'unknown', message: string) => {
      await this.#store.update(deployment.tenant, deployment.id, {
        status,
        message,
      });
      logger.warn('Deployment no longer followed', { message });
    };

    // eslint-disable-next-line prefer-const
    let schedule: () => void;
    const poll = async () => {
      if (Date.now() > deadline) {
        await end(
          'unknown',
          `The pipeline did not end within ${Math.round(
            this.#schedule.maxDurationMs / 60_000,
          )} minutes; see it in GitLab`,
        );
        return;
      }
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
          return;
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
          return;
        }
      } catch (error) {
        errors += 1;
        logger.warn('Could not read the deployment pipeline', {
          error: (error as Error).message,
          errors,
        });
        if (errors >= this.#schedule.maxErrors) {
          await end(
            'unknown',
            `GitLab did not answer for the pipeline ${errors} times in a row: ${
              (error as Error).message
            }`,
          );
          return;
        }
      }
      schedule();
    };

    schedule = () => {
      if (this.#stopped) {
        return;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        poll().catch(error =>
          logger.error('Following the deployment failed', error as Error),
        );
      }, delay);
      this.#timers.add(timer);
      delay = Math.min(delay * 1.5, this.#schedule.maxDelayMs);
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
