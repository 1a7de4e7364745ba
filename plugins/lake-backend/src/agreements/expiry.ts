import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { AccessAgreementStore } from './AccessAgreementStore';

/** Every 5 minutes: reads already treat an agreement past `until` as expired. */
export const AGREEMENT_EXPIRY_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 30 },
  };

/**
 * Schedules the job that writes `expired` on agreements past `until` (with `access.revoked`,
 * reason `expired`, for those that were in force), on one instance at a time. Errors are logged
 * and the next round tries again; until then reads and grants already leave them out.
 */
export async function scheduleAgreementExpiry(options: {
  scheduler: SchedulerService;
  store: AccessAgreementStore;
  logger: LoggerService;
  schedule?: SchedulerServiceTaskScheduleDefinition;
}): Promise<void> {
  const logger = options.logger.child({ task: 'lake-agreement-expiry' });
  await options.scheduler.scheduleTask({
    id: 'lake-agreement-expiry',
    ...(options.schedule ?? AGREEMENT_EXPIRY_SCHEDULE),
    fn: async () => {
      try {
        const expired = await options.store.expireDue();
        if (expired > 0) {
          logger.info('Expired access agreements', { expired });
        }
      } catch (error) {
        logger.warn('Could not expire access agreements', {
          error: (error as Error).message,
        });
      }
    },
  });
}
