import request from 'supertest';
import {
  BackendFeature,
  BackstageUserPrincipal,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleAkiliPolicy from '@akili/plugin-permission-backend-module-akili-policy';
import { Entity } from '@backstage/catalog-model';
import { GitlabTestServer } from '@akili/gitlab-test-server';
import { authKeepingActor } from '@akili/plugin-akili-node/testUtils';

/** The users of the two-tenant tests and the ownership refs their tokens carry. */
export const USERS = {
  /** Developer of acme. */
  alice: ['user:default/alice', 'group:akili/acme.developer'],
  /** Operator of acme. */
  otto: ['user:default/otto', 'group:akili/acme.operator'],
  /** Consumer of acme. */
  carl: ['user:default/carl', 'group:akili/acme.consumer'],
  /** Developer of globex. */
  bob: ['user:default/bob', 'group:akili/globex.developer'],
  root: ['user:default/root', 'group:akili/platform-admin'],
} as const;

export type TestUser = keyof typeof USERS;

const userInfoFromUsers = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const { userEntityRef } = credentials.principal as BackstageUserPrincipal;
      const user = Object.values(USERS).find(refs => refs[0] === userEntityRef);
      return {
        userEntityRef,
        ownershipEntityRefs: user ? [...user] : [userEntityRef],
      };
    },
  }),
});

/** The errors the catalog reported while processing, per entity ref. */
export type ProcessingErrors = Map<string, string[]>;

function processingErrorsModule(errors: ProcessingErrors) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-processing-errors',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.setOnProcessingErrorHandler(event => {
            const ref = `${event.unprocessedEntity.kind}:${
              event.unprocessedEntity.metadata.namespace ?? 'default'
            }/${event.unprocessedEntity.metadata.name}`.toLocaleLowerCase(
              'en-US',
            );
            errors.set(ref, [
              ...(errors.get(ref) ?? []),
              ...event.errors.map(e => messagesOf(e).join(' / ')),
            ]);
          });
        },
      });
    },
  });
}

/** An error's message and its causes' messages. */
export function messagesOf(error: unknown): string[] {
  const messages: string[] = [];
  for (let e: any = error; e; e = e.cause) {
    messages.push(String(e.message));
  }
  return messages;
}

/**
 * Starts the real catalog, the real permission backend with the Akili policy, and the given
 * catalog modules, reading from the GitLab test server, with the two-tenant users above.
 */
export async function startCatalog(options: {
  gitlab: GitlabTestServer;
  modules: BackendFeature[];
  locations: string[];
  rootGroup?: string;
}) {
  const processingErrors: ProcessingErrors = new Map();
  const { server } = await startTestBackend({
    features: [
      catalogPlugin,
      permissionPlugin,
      permissionModuleAkiliPolicy,
      processingErrorsModule(processingErrors),
      ...options.modules,
      userInfoFromUsers,
      authKeepingActor,
      // The real actions registry: the catalog's actions (validate-entity, ...) are routes too.
      actionsRegistryServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          integrations: { gitlab: [options.gitlab.integrationConfig()] },
          akili: {
            tenancy: {
              gitlab: { rootGroup: options.rootGroup ?? 'data-products' },
            },
          },
          catalog: {
            processingInterval: { seconds: 1 },
            rules: [{ allow: ['Component', 'Location', 'User'] }],
            locations: options.locations.map(target => ({
              type: 'url',
              target,
            })),
          },
        },
      }),
    ],
  });

  const as = (user: TestUser) => {
    const auth = mockCredentials.user.header(USERS[user][0]);
    return {
      get: (url: string) => request(server).get(url).set('Authorization', auth),
      post: (url: string, body?: object) =>
        request(server).post(url).set('Authorization', auth).send(body),
      delete: (url: string) =>
        request(server).delete(url).set('Authorization', auth),
    };
  };

  /** Waits until the admin sees every entity named, by ref. */
  const waitForEntities = async (refs: string[], timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await as('root').post('/api/catalog/entities/by-refs', {
        entityRefs: refs,
      });
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      const items = res.body.items as Array<Entity | null>;
      if (items.every(Boolean)) return items as Entity[];
      if (Date.now() > deadline) {
        throw new Error(
          `entities not ingested: ${refs.filter(
            (_, i) => !items[i],
          )}; processing errors: ${JSON.stringify([...processingErrors])}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  };

  return { server, as, waitForEntities, processingErrors };
}
