import { Config } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  createGitlabGroupEnsureExistsAction,
  createGitlabIssueAction,
  createGitlabProjectVariableAction,
  createGitlabRepoPushAction,
  createPublishGitlabAction,
  createPublishGitlabMergeRequestAction,
  createTriggerGitlabPipelineAction,
  editGitlabIssueAction,
} from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { publishRemovingFailedProject } from './publishCleanup';
import { StepTenantGuard } from './StepTenantGuard';
import {
  TENANT_BOUND_GITLAB_ACTIONS,
  TenantBoundGitlabActionId,
} from './targets';

/**
 * The official GitLab actions of `@backstage/plugin-scaffolder-backend-module-gitlab`, under
 * their own ids, each checked by the guard before it runs. They replace that module's
 * registration (which must not be installed as well: the ids would clash). `publish:gitlab`
 * removes the project it created again when its push fails (`./publishCleanup.ts`).
 */
export function createTenantBoundGitlabActions(options: {
  config: Config;
  integrations: ScmIntegrations;
  guard: StepTenantGuard;
}): TemplateAction<any, any, any>[] {
  const { config, integrations, guard } = options;
  const requireScmUserCredentials =
    config.getOptionalBoolean('scaffolder.requireScmUserCredentials') ?? false;
  const common = { integrations, requireScmUserCredentials };
  const actions: TemplateAction<any, any, any>[] = [
    createPublishGitlabAction({ config, integrations }),
    createPublishGitlabMergeRequestAction(common),
    createGitlabRepoPushAction(common),
    createGitlabGroupEnsureExistsAction(common),
    createGitlabProjectVariableAction(common),
    createTriggerGitlabPipelineAction(common),
    createGitlabIssueAction(common),
    editGitlabIssueAction(common),
  ];
  return actions.map(action => {
    const id = action.id as TenantBoundGitlabActionId;
    if (!TENANT_BOUND_GITLAB_ACTIONS.includes(id)) {
      throw new Error(`No tenant rule for GitLab action ${action.id}`);
    }
    return {
      ...action,
      async handler(ctx) {
        await guard.checkGitlabStep(id, ctx as any);
        if (id === 'publish:gitlab') {
          // A failed push must not leave the project it created behind.
          await publishRemovingFailedProject(
            ctx as any,
            c => action.handler(c),
            integrations,
          );
          return;
        }
        if (id === 'gitlab:projectVariable:create') {
          await settingVariable(ctx.input, () => action.handler(ctx));
          return;
        }
        await action.handler(ctx);
      },
    } satisfies TemplateAction<JsonObject, JsonObject, any>;
  });
}

/**
 * Runs `gitlab:projectVariable:create`, whose error (gitbeaker's, GitLab's message only) then says
 * which variable of which project failed and that it can be set by hand: the project exists.
 */
async function settingVariable(
  input: JsonObject,
  run: () => Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    const status = (error as { cause?: { response?: { status?: unknown } } })
      ?.cause?.response?.status;
    const reason = `${typeof status === 'number' ? `${status} ` : ''}${
      error instanceof Error ? error.message : String(error)
    }`;
    throw new Error(
      `GitLab did not set the CI/CD variable ${input.key} on project ${input.projectId} (${reason}): the project exists; a maintainer of it can set ${input.key} in its Settings > CI/CD > Variables`,
      { cause: error },
    );
  }
}
