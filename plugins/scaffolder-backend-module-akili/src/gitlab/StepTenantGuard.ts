import {
  AuthService,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { mayRunIn, resolveScaffolderAccess } from '../access';
import { TaskFactsReader } from '../tasks';
import { GitlabTargetChecker } from './GitlabTargetChecker';
import { gitlabTargetsOf, TenantBoundGitlabActionId } from './targets';

/**
 * Decides, before a GitLab action of a step runs, whether its targets lie inside the tenant:
 * the tenant of every target (as the step resolved its input) must be one the task's initiator
 * develops or operates and, in a real run, the task's own tenant (its `tenant` parameter, checked
 * when the task was created).
 */
export class StepTenantGuard {
  readonly #auth: AuthService;
  readonly #userInfo: UserInfoService;
  readonly #tasks: TaskFactsReader;
  readonly #checker: GitlabTargetChecker;
  readonly #logger: LoggerService;

  constructor(options: {
    auth: AuthService;
    userInfo: UserInfoService;
    tasks: TaskFactsReader;
    checker: GitlabTargetChecker;
    logger: LoggerService;
  }) {
    this.#auth = options.auth;
    this.#userInfo = options.userInfo;
    this.#tasks = options.tasks;
    this.#checker = options.checker;
    this.#logger = options.logger;
  }

  /**
   * Refuses a GitLab action whose targets are not inside the task's tenant (and one the
   * initiator develops or operates).
   */
  async checkGitlabStep(
    actionId: TenantBoundGitlabActionId,
    ctx: ActionContext<JsonObject>,
  ): Promise<void> {
    await this.#refusing(actionId, ctx, async ({ allowed, scope }) => {
      for (const target of gitlabTargetsOf(actionId, ctx.input)) {
        await this.#checker.check(target, allowed, scope);
      }
    });
  }

  /**
   * Refuses a read of a GitLab project outside the shared groups and the task's tenant.
   * `host` and `projectPath` are what the read URL points into.
   */
  async checkRead(
    actionId: string,
    ctx: ActionContext<JsonObject>,
    read: { host: string; projectPath: string },
  ): Promise<void> {
    await this.#refusing(actionId, ctx, async ({ allowed, scope }) => {
      await this.#checker.check(
        { kind: 'project', host: read.host, ref: read.projectPath },
        allowed,
        scope,
      );
    });
  }

  /**
   * Refuses a step about something of `tenant` (what `subject` names, e.g. "the manifest's
   * namespace") unless that is the task's tenant (in a dry run: a tenant the initiator develops
   * or operates, as the dry run's `tenant` parameter was checked).
   */
  async checkTenant(
    actionId: string,
    ctx: ActionContext<JsonObject>,
    tenant: string,
    subject: string,
  ): Promise<void> {
    await this.#refusing(actionId, ctx, async ({ allowed, scope }) => {
      if (!allowed(tenant)) {
        throw new NotAllowedError(`${subject} '${tenant}' is not ${scope}`);
      }
    });
  }

  /** Runs a check with the tenants the step may act in, logging a refusal. */
  async #refusing(
    actionId: string,
    ctx: ActionContext<JsonObject>,
    check: (tenants: {
      allowed: (tenant: string) => boolean;
      scope: string;
    }) => Promise<void>,
  ): Promise<void> {
    try {
      const access = await resolveScaffolderAccess(
        await ctx.getInitiatorCredentials(),
        { auth: this.#auth, userInfo: this.#userInfo },
      );
      let taskTenant: string | undefined;
      if (!ctx.isDryRun) {
        const task = await this.#tasks.read(ctx.task.id);
        if (!task) {
          throw new NotAllowedError(`Task ${ctx.task.id} does not exist`);
        }
        taskTenant = task.tenant;
      }
      await check({
        allowed: tenant =>
          mayRunIn(access, tenant) &&
          (taskTenant === undefined || tenant === taskTenant),
        scope:
          taskTenant !== undefined
            ? `this task's tenant '${taskTenant}'`
            : 'a tenant where you are a developer or operator',
      });
    } catch (error) {
      this.#logger.warn('Scaffolder step refused outside its tenant', {
        action: actionId,
        taskId: ctx.task.id,
        step: ctx.step?.id,
        user: ctx.user?.ref,
        reason: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }
}
