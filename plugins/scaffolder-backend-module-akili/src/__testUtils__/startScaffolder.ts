import { GitlabTestServer } from '@akili/gitlab-test-server';
import {
  authKeepingActor,
  userInfoFromDirectory,
} from '@akili/plugin-akili-node/testUtils';
import permissionModuleAkiliPolicy from '@akili/plugin-permission-backend-module-akili-policy';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { BackendFeature } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import scaffolderAkili from '..';

/** Users and the ownership refs of their tokens, as the Akili sign-in resolver issues them. */
export const TEST_USERS: Record<string, string[]> = {
  'user:default/ann': ['user:default/ann', 'group:akili/acme.developer'],
  'user:default/dora': [
    'user:default/dora',
    'group:akili/acme.developer',
    'group:akili/globex.developer',
  ],
  'user:default/root': ['user:default/root', 'group:akili/platform-admin'],
};

/**
 * A backend with the real scaffolder, this module, the permission backend with the Akili policy
 * and the GitLab test server (root group `data-products`, shared group `platform`).
 */
export async function startScaffolder(
  options: {
    /** Templates in the catalog; a function when they name the GitLab test server. */
    templates?: Entity[] | ((gitlab: GitlabTestServer) => Entity[]);
    /** Users and their ownership refs (default {@link TEST_USERS}). */
    users?: Record<string, string[]>;
    /** More features (e.g. the control plane with its database). */
    features?: BackendFeature[];
    /** More `akili` config, beside `akili.tenancy`. */
    akiliConfig?: JsonObject;
    /** More top-level config (e.g. `backend.database`). */
    config?: JsonObject;
  } = {},
) {
  const users = options.users ?? TEST_USERS;
  const gitlab = new GitlabTestServer();
  await gitlab.start();
  const templates =
    typeof options.templates === 'function'
      ? options.templates(gitlab)
      : options.templates ?? [];
  const entities = [
    ...templates,
    ...Object.keys(users).map(ref => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: ref.split('/')[1], namespace: 'default' },
      spec: {},
    })),
  ];
  const backend = await startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderAkili,
      permissionPlugin,
      permissionModuleAkiliPolicy,
      catalogServiceMock.factory({ entities }),
      userInfoFromDirectory(users),
      authKeepingActor,
      ...(options.features ?? []),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          // The portal's URL (akili:portal:info); the backend's own URLs come from discovery.
          backend: {
            baseUrl: 'http://portal.akili.test',
            ...(options.config?.backend as JsonObject | undefined),
          },
          permission: { enabled: true },
          integrations: { gitlab: [gitlab.integrationConfig()] },
          akili: {
            ...options.akiliConfig,
            tenancy: {
              gitlab: {
                rootGroup: 'data-products',
                sharedGroups: ['platform'],
              },
            },
          },
        },
      }),
    ],
  });

  const { server } = backend;

  const as = (user: string) => ({
    get: (url: string) =>
      request(server)
        .get(`/api/scaffolder${url}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (url: string, body: object = {}) =>
      request(server)
        .post(`/api/scaffolder${url}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
  });

  /** Waits for a task to end; its status and log. */
  const finished = async (taskId: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await as('user:default/root').get(`/v2/tasks/${taskId}`);
      if (['completed', 'failed', 'cancelled'].includes(res.body.status)) {
        const events = await as('user:default/root').get(
          `/v2/tasks/${taskId}/events`,
        );
        return {
          status: res.body.status as string,
          log: (events.body as { body: { message?: string } }[])
            .map(e => e.body.message ?? '')
            .join('\n'),
        };
      }
      if (Date.now() > deadline) {
        throw new Error(`task ${taskId} did not finish: ${res.text}`);
      }
      await new Promise(r => setTimeout(r, 100));
    }
  };

  return { backend, server, gitlab, as, finished };
}
