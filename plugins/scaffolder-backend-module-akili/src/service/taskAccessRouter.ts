import {
  AuthService,
  HttpAuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import {
  mayRetryTask,
  maySeeTask,
  requireTaskTenant,
  resolveScaffolderAccess,
} from '../access';
import { TaskFactsReader } from '../tasks';

/**
 * The namespace of the template a task or dry run is created from: the `templateRef` of a task,
 * the inline template of a dry run.
 */
function templateNamespaceOf(path: string, body: any): string | undefined {
  if (/dry-run/i.test(path)) {
    const namespace = body?.template?.metadata?.namespace;
    return typeof namespace === 'string' ? namespace : DEFAULT_NAMESPACE;
  }
  if (typeof body?.templateRef !== 'string') {
    return undefined;
  }
  try {
    return parseEntityRef(body.templateRef, { defaultKind: 'template' })
      .namespace;
  } catch {
    return undefined; // the scaffolder answers a malformed ref itself
  }
}

/** The body limit of the scaffolder's own routes (dry runs carry whole templates). */
const BODY_LIMIT = '10MB';

/**
 * Routes of the scaffolder plugin that run before the scaffolder's own (a module's handlers are
 * mounted first), and keep tasks inside their tenant:
 *
 * - creating a task or a dry run: the template parameter `tenant` must name a tenant where the
 *   user is a developer or operator (it is stored with the task, and every GitLab step must stay
 *   in it);
 * - every route below `/v2/tasks/:taskId` (the task, its events and event stream, cancel, retry,
 *   and any route a later scaffolder adds there): only the task's creator, operators of its
 *   tenant and platform admins get past; anyone else gets the same 404 as for a task that does
 *   not exist. Retrying also needs the right to run templates in the task's tenant;
 * - the task list: a user other than a platform admin lists their own tasks.
 *
 * Only users pass (and this plugin's own service principal, which reads tasks for the checks).
 * The permission policy decides the scaffolder permissions on top (`scaffolder.ts` of the Akili
 * policy): it lets operators read tasks, relying on these routes to keep them in their tenant.
 */
export function createTaskAccessRouter(options: {
  auth: AuthService;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  tasks: TaskFactsReader;
  logger: LoggerService;
}): express.Router {
  const { auth, httpAuth, userInfo, tasks, logger } = options;
  const router = Router();
  const json = express.json({ limit: BODY_LIMIT });

  /** The caller's access, or `undefined` for this plugin itself (its own task reads). */
  async function callerAccess(req: Request) {
    const credentials = await httpAuth.credentials(req);
    if (
      auth.isPrincipal(credentials, 'service') &&
      credentials.principal.subject === 'plugin:scaffolder'
    ) {
      return undefined;
    }
    return resolveScaffolderAccess(credentials, { auth, userInfo });
  }

  router.post(['/v2/tasks', '/v2/dry-run'], json, async (req, _res, next) => {
    const access = await callerAccess(req);
    if (!access) {
      throw new NotAllowedError('Scaffolder tasks are created by users');
    }
    const body = req.body ?? {};
    const tenant = requireTaskTenant(
      access,
      body.values,
      templateNamespaceOf(req.path, body),
    );
    if (tenant !== undefined && body.values?.tenant === undefined) {
      // Stored with the task's parameters, where the checks of its steps and routes read it.
      body.values = { ...body.values, tenant };
    }
    next();
  });

  router.get('/v2/tasks', async (req, _res, next) => {
    const access = await callerAccess(req);
    if (access && !access.platformAdmin) {
      req.query.createdBy = access.userEntityRef;
    }
    next();
  });

  const taskRoute = async (req: Request, next: () => void) => {
    const { taskId } = req.params;
    const access = await callerAccess(req);
    if (!access) {
      next();
      return;
    }
    const task = await tasks.read(taskId);
    if (!task || !maySeeTask(access, task)) {
      if (task) {
        logger.info('Scaffolder task refused outside its tenant', {
          taskId,
          user: access.userEntityRef,
          route: req.path,
        });
      }
      throw new NotFoundError(`Task with id ${taskId} does not exist`);
    }
    if (/\/retry\/?$/i.test(req.path) && !mayRetryTask(access, task)) {
      throw new NotAllowedError(
        task.tenant
          ? `Retrying runs the task again as you: you need to be a developer or operator of tenant '${task.tenant}'`
          : 'Only its creator retries a task of no tenant',
      );
    }
    next();
  };
  router.all('/v2/tasks/:taskId', (req, _res, next) => taskRoute(req, next));
  router.all('/v2/tasks/:taskId/*', (req, _res, next) => taskRoute(req, next));

  return router;
}
