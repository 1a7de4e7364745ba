import fs from 'node:fs';
import path from 'node:path';
import {
  AuthService,
  BackendFeature,
  BackstageCredentials,
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { NotFoundError } from '@backstage/errors';
import { authProvidersExtensionPoint } from '@backstage/plugin-auth-node';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import eventsPlugin from '@backstage/plugin-events-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchModulePostgres from '@backstage/plugin-search-backend-module-pg';
import { parse } from 'yaml';
import {
  DagsterTestServer,
  addProductRuns,
  productTargetsFromManifests,
  startDagsterTestServer,
} from '@akili/dagster-test-server';
import { readAkiliBackendPackages } from './akiliPackages';
import { TENANT_A, TENANT_B } from './routeTable';

export const repoRoot = path.resolve(__dirname, '../../../../..');
const backendDir = path.resolve(__dirname, '../../..');

/**
 * The sweep's users and the ownership refs their tokens carry, as the Akili sign-in resolver
 * would issue them from Authentik groups.
 */
export const SWEEP_USERS = {
  alice: [
    'user:default/alice',
    'group:akili/acme.developer',
    'group:akili/acme.operator',
  ],
  bob: [
    'user:default/bob',
    'group:akili/globex.developer',
    'group:akili/globex.operator',
  ],
} as const;

export type SweepUser = keyof typeof SWEEP_USERS;

/** The auth provider id of the test-only provider that issues the sweep users' tokens. */
export const SWEEP_AUTH_PROVIDER = 'sweep';

/**
 * A test-only auth provider module: `GET /api/auth/sweep/refresh?user=alice` issues a real
 * Backstage user token through the auth backend's own token issuer (the same signing keys and
 * JWKS every plugin verifies against), for one of {@link SWEEP_USERS}.
 */
const sweepAuthProviderModule = createBackendModule({
  pluginId: 'auth',
  moduleId: 'sweep-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: SWEEP_AUTH_PROVIDER,
          factory: ({ resolverContext }) => ({
            async start(_req, res) {
              res.status(404).end();
            },
            async frameHandler(_req, res) {
              res.status(404).end();
            },
            async refresh(req, res) {
              const user = String(req.query.user) as SweepUser;
              if (!Object.hasOwn(SWEEP_USERS, user)) {
                throw new NotFoundError(`No sweep user '${user}'`);
              }
              const ent = [...SWEEP_USERS[user]];
              const { token } = await resolverContext.issueToken({
                claims: { sub: ent[0], ent },
              });
              res.json({ token });
            },
          }),
        });
      },
    });
  },
});

/** What a probe plugin inside the backend can do with the real `AuthService`. */
export interface AuthProbe {
  /** A plugin-to-plugin token minted by the probe plugin for another plugin (`targetPluginId`). */
  serviceToken(targetPluginId: string): Promise<string>;
  /** A token for `targetPluginId` on behalf of the user whose token is given. */
  onBehalfOfUserToken(
    userToken: string,
    targetPluginId: string,
  ): Promise<string>;
}

function createAuthProbePlugin(): {
  plugin: ReturnType<typeof createBackendPlugin>;
  probe: AuthProbe;
} {
  let auth: AuthService | undefined;
  const ready = () => {
    if (!auth) throw new Error('The auth probe plugin has not started');
    return auth;
  };
  const plugin = createBackendPlugin({
    pluginId: 'sweep-probe',
    register(reg) {
      reg.registerInit({
        deps: { auth: coreServices.auth },
        async init(deps) {
          auth = deps.auth;
        },
      });
    },
  });
  const token = async (
    onBehalfOf: BackstageCredentials,
    targetPluginId: string,
  ) =>
    (await ready().getPluginRequestToken({ onBehalfOf, targetPluginId })).token;
  return {
    plugin,
    probe: {
      async serviceToken(targetPluginId) {
        return token(await ready().getOwnServiceCredentials(), targetPluginId);
      },
      async onBehalfOfUserToken(userToken, targetPluginId) {
        return token(await ready().authenticate(userToken), targetPluginId);
      },
    },
  };
}

/** The store the sweep runs on. */
export type SweepDatabase =
  | { client: 'better-sqlite3' }
  | { client: 'pg'; connection: string; prefix: string };

/**
 * The sweep's configuration: the parts of app-config.yaml that shape tenancy (the DataProduct
 * providers, catalog rules, `akili.*` with the tenant seed, search), with relative paths made
 * absolute, plus the test-only sign-in provider.
 */
export function sweepConfig(database: SweepDatabase, dagsterUrl: string) {
  const appConfig = parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const providers = appConfig.catalog?.providers?.akiliDataProducts ?? {};
  const akiliDataProducts = Object.fromEntries(
    Object.entries(providers).map(([id, value]) => {
      const provider = value as { folder?: string; schedule?: object };
      return [
        id,
        {
          ...provider,
          ...(provider.folder && {
            folder: path.resolve(backendDir, provider.folder),
          }),
          schedule: {
            frequency: { minutes: 10 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 0 },
          },
        },
      ];
    }),
  );
  if (Object.keys(akiliDataProducts).length === 0) {
    throw new Error(
      'app-config.yaml has no catalog.providers.akiliDataProducts: the sweep needs the example data products',
    );
  }
  return {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      baseUrl: 'http://localhost:7007',
      database:
        database.client === 'pg'
          ? {
              client: 'pg',
              connection: database.connection,
              prefix: database.prefix,
            }
          : { client: 'better-sqlite3', connection: ':memory:' },
    },
    auth: {
      providers: { [SWEEP_AUTH_PROVIDER]: {} },
    },
    permission: { enabled: true },
    catalog: {
      rules: appConfig.catalog?.rules,
      providers: { akiliDataProducts },
      locations: (
        appConfig.catalog?.locations as Array<{ type: string; target: string }>
      ).map(l =>
        l.type === 'file'
          ? { ...l, target: path.resolve(backendDir, l.target) }
          : l,
      ),
    },
    search: {
      collators: {
        catalog: {
          schedule: {
            frequency: { seconds: 5 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 2 },
          },
        },
      },
    },
    akili: appConfig.akili,
    dagster: { baseUrl: dagsterUrl, tracker: { enabled: false } },
  };
}

/**
 * The sweep's Dagster: the example products' code locations and runs, and one failed run per
 * tenant fixture under a known id, for the routes that name a run. Stopped with the backend.
 */
async function startSweepDagster(): Promise<DagsterTestServer> {
  const dagster = await startDagsterTestServer();
  const targets = productTargetsFromManifests(
    path.join(repoRoot, 'examples/data-products'),
  );
  addProductRuns(dagster, targets, { runsPerProduct: 5 });
  for (const fixture of [TENANT_A, TENANT_B]) {
    const target = targets.find(
      t => t.tenant === fixture.tenant && t.name === fixture.product,
    );
    if (!target) {
      throw new Error(
        `examples/data-products/${fixture.tenant}/${fixture.product} names no Dagster job: the sweep needs one`,
      );
    }
    dagster.addRun({
      runId: fixture.runId,
      jobName: target.job,
      status: 'FAILURE',
      tags: {
        'akili/tenant': fixture.tenant,
        'akili/product': `dataproduct:${fixture.tenant}/${fixture.product}`,
      },
      repositoryOrigin: {
        repositoryLocationName: target.codeLocation,
        repositoryName: target.repository ?? '__repository__',
      },
    });
  }
  return dagster;
}

/**
 * Starts the portal backend's Akili feature set with real authentication (auth, httpAuth and
 * userInfo of @backstage/backend-defaults verifying tokens the real auth backend issued), the
 * real permission service and the Akili tenant policy, the example catalog and tenant seed.
 * Every `@akili/*` backend plugin and module the backend depends on is added.
 */
export async function startSweepBackend(database: SweepDatabase) {
  const { plugin: probePlugin, probe } = createAuthProbePlugin();
  const dagster = await startSweepDagster();
  const dagsterStopper = createBackendPlugin({
    pluginId: 'sweep-dagster',
    register(reg) {
      reg.registerInit({
        deps: { lifecycle: coreServices.lifecycle },
        async init({ lifecycle }) {
          lifecycle.addShutdownHook(() => dagster.stop());
        },
      });
    },
  });
  // Loaded by name (the list comes from package.json), so not a static import.
  const akiliFeatures = readAkiliBackendPackages().map(
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    p => Promise.resolve(require(p.name) as { default: BackendFeature }),
  );
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({
        data: sweepConfig(database, dagster.url),
      }),
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      schedulerServiceFactory,
      databaseServiceFactory,
      authPlugin,
      sweepAuthProviderModule,
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      permissionPlugin,
      searchPlugin,
      ...(database.client === 'pg' ? [searchModulePostgres] : []),
      searchModuleCatalogCollator,
      eventsPlugin,
      ...akiliFeatures,
      probePlugin,
      dagsterStopper,
    ],
  });
  return { backend, server: backend.server, probe };
}
