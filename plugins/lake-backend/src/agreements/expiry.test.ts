import { mockServices } from '@backstage/backend-test-utils';
import { SchedulerServiceTaskInvocationDefinition } from '@backstage/backend-plugin-api';
import { AccessAgreementStore } from './AccessAgreementStore';
import { AGREEMENT_EXPIRY_SCHEDULE, scheduleAgreementExpiry } from './expiry';

describe('scheduleAgreementExpiry', () => {
  it('schedules one task that expires what is due and logs a failure instead of throwing', async () => {
    const tasks: SchedulerServiceTaskInvocationDefinition[] = [];
    const scheduler = mockServices.scheduler.mock({
      scheduleTask: async task => {
        tasks.push(task);
      },
    });
    const logger = mockServices.logger.mock();
    logger.child.mockReturnValue(logger);
    const outcomes = [
      () => Promise.resolve(2),
      () => Promise.reject(new Error('db down')),
    ];
    const store = {
      expireDue: jest.fn(() => outcomes.shift()!()),
    } as unknown as AccessAgreementStore;

    await scheduleAgreementExpiry({ scheduler, store, logger });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      id: 'lake-agreement-expiry',
      frequency: AGREEMENT_EXPIRY_SCHEDULE.frequency,
    });
    const signal = new AbortController().signal as any;
    await tasks[0].fn(signal);
    expect(logger.info).toHaveBeenCalledWith('Expired access agreements', {
      expired: 2,
    });
    await expect(tasks[0].fn(signal)).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not expire access agreements',
      { error: 'db down' },
    );
  });
});
