import {
  coreServices,
  createServiceFactory,
  HttpAuthService,
  HttpRouterService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { NotAllowedError } from '@backstage/errors';
import { parseAkiliAccess } from '@akili/plugin-akili-common';
import express from 'express';

/** Where the scheduler mounts its routes on each plugin's router. */
export const SCHEDULER_ROUTES_PATH = '/.backstage/scheduler';

/**
 * Whether a caller may use the scheduler's routes: platform admins and backend plugins only.
 * External service principals (Akili API tokens, static tokens) are tenant- or tool-scoped, so
 * never.
 */
async function assertMayUseScheduler(
  req: express.Request,
  httpAuth: HttpAuthService,
  userInfo: UserInfoService,
) {
  const credentials = await httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const { principal } = credentials;
  if (principal.type === 'service') {
    if (principal.subject.startsWith('plugin:')) {
      return;
    }
    throw new NotAllowedError(
      'Scheduled tasks are for platform admins and backend plugins only',
    );
  }
  const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
  if (!parseAkiliAccess(ownershipEntityRefs).platformAdmin) {
    throw new NotAllowedError(
      'Scheduled tasks are for platform admins and backend plugins only',
    );
  }
}

/**
 * A plugin's HTTP router as the scheduler sees it: whatever the scheduler mounts is guarded by
 * {@link assertMayUseScheduler} under {@link SCHEDULER_ROUTES_PATH}.
 */
function guardedRouter(
  httpRouter: HttpRouterService,
  httpAuth: HttpAuthService,
  userInfo: UserInfoService,
): HttpRouterService {
  return {
    use(handler) {
      const router = express.Router();
      router.use(
        SCHEDULER_ROUTES_PATH,
        function guardSchedulerRoutes(req, _res, next) {
          assertMayUseScheduler(req, httpAuth, userInfo).then(
            () => next(),
            next,
          );
        },
      );
      router.use(handler);
      httpRouter.use(router);
    },
    addAuthPolicy(policy) {
      httpRouter.addAuthPolicy(policy);
    },
  };
}

/**
 * The scheduler of every plugin, as Backstage's own, except for its HTTP routes
 * (`/api/<plugin>/.backstage/scheduler/v1/tasks`, `.../:id/trigger`, `.../:id/cancel`): the
 * stock scheduler answers them for any signed-in user, so a consumer of one tenant could list
 * and trigger every plugin's tasks (the catalog's refresh of every tenant's sources, the runs
 * tracker). Here only platform admins and backend plugins may.
 *
 * @public
 */
export const akiliSchedulerServiceFactory = createServiceFactory({
  service: coreServices.scheduler,
  deps: {
    database: coreServices.database,
    logger: coreServices.logger,
    rootLifecycle: coreServices.rootLifecycle,
    httpRouter: coreServices.httpRouter,
    httpAuth: coreServices.httpAuth,
    userInfo: coreServices.userInfo,
    pluginMetadata: coreServices.pluginMetadata,
    metrics: metricsServiceRef,
  },
  factory({ httpRouter, httpAuth, userInfo, ...rest }) {
    return DefaultSchedulerService.create({
      ...rest,
      httpRouter: guardedRouter(httpRouter, httpAuth, userInfo),
    });
  },
});
