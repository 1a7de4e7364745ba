import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { userInfoFromDirectory } from '../testUtils';
import { akiliSchedulerServiceFactory } from './schedulerServiceFactory';

/** A plugin with one scheduled task, as the catalog's providers or the runs tracker have. */
const taskPlugin = createBackendPlugin({
  pluginId: 'tasks',
  register(reg) {
    reg.registerInit({
      deps: { scheduler: coreServices.scheduler },
      async init({ scheduler }) {
        await scheduler.scheduleTask({
          id: 'refresh-every-tenant',
          frequency: { hours: 1 },
          timeout: { minutes: 1 },
          initialDelay: { hours: 1 },
          fn: async () => {},
        });
      },
    });
  },
});

describe('akiliSchedulerServiceFactory', () => {
  const directory = {
    'user:default/admin': ['group:akili/platform-admin'],
    'user:default/ops': ['group:akili/acme.operator'],
    'user:default/consumer': ['group:akili/acme.consumer'],
  };

  async function start() {
    const { server } = await startTestBackend({
      features: [
        akiliSchedulerServiceFactory,
        userInfoFromDirectory(directory),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        taskPlugin,
      ],
    });
    return server;
  }

  const tasks = '/api/tasks/.backstage/scheduler/v1/tasks';
  const trigger = `${tasks}/refresh-every-tenant/trigger`;

  it('lets platform admins and backend plugins list and trigger tasks', async () => {
    const server = await start();
    const admin = mockCredentials.user.header('user:default/admin');
    const list = await request(server).get(tasks).set('Authorization', admin);
    expect(list.status).toBe(200);
    expect(list.body.tasks.map((t: { taskId: string }) => t.taskId)).toEqual([
      'refresh-every-tenant',
    ]);
    await request(server).post(trigger).set('Authorization', admin).expect(200);
    await request(server)
      .get(tasks)
      .set(
        'Authorization',
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:catalog'),
          targetPluginId: 'tasks',
        }),
      )
      .expect(200);
  });

  it('refuses tenant members (operators too), API tokens and anonymous callers', async () => {
    const server = await start();
    const callers = [
      mockCredentials.user.header('user:default/ops'),
      mockCredentials.user.header('user:default/consumer'),
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('external:akili-token:acme.1'),
        targetPluginId: 'tasks',
      }),
    ];
    for (const authorization of callers) {
      const list = await request(server)
        .get(tasks)
        .set('Authorization', authorization);
      expect(list.status).toBe(403);
      expect(list.text).not.toContain('refresh-every-tenant');
      const run = await request(server)
        .post(trigger)
        .set('Authorization', authorization);
      expect(run.status).toBe(403);
      expect(run.body.error.message).toBe(
        'Scheduled tasks are for platform admins and backend plugins only',
      );
    }
    await request(server).get(tasks).expect(401);
  });
});
