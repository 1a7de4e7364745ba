import { UrlReaderService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import {
  createFetchPlainAction,
  createFetchPlainFileAction,
  createFetchTemplateAction,
  createFetchTemplateFileAction,
} from '@backstage/plugin-scaffolder-backend';
import {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { JsonObject } from '@backstage/types';
import { GitlabTenancy } from '../gitlab/GitlabTenancy';
import { StepTenantGuard } from '../gitlab/StepTenantGuard';
import { gitlabProjectPathOfUrl } from '../gitlab/urls';

/**
 * The URL a fetch action reads, as `fetchContents` / `fetchFile` of the scaffolder resolve it:
 * absolute as given, relative against the template's location; `undefined` when the action
 * copies from disk (a template registered from a file, a dry run) or will refuse the URL itself.
 */
export function readUrlOf(
  url: unknown,
  baseUrl: string | undefined,
  integrations: ScmIntegrations,
): string | undefined {
  if (typeof url !== 'string') {
    return undefined;
  }
  if (URL.canParse(url)) {
    return url;
  }
  if (!baseUrl || baseUrl.startsWith('file://')) {
    return undefined;
  }
  return integrations.byUrl(baseUrl)?.resolveUrl({ url, base: baseUrl });
}

/**
 * `akili:fetch:plain`, `akili:fetch:plain:file`, `akili:fetch:template` and
 * `akili:fetch:template:file`: the scaffolder's fetch actions (same inputs and behaviour), which
 * may also read the task's own tenant's GitLab projects. The URL each step reads is checked
 * before the read: a shared group, or a project of the task's tenant (as written and as GitLab
 * resolves it); anything else is refused before GitLab is asked.
 */
export function createTenantFetchActions(options: {
  integrations: ScmIntegrations;
  tenancy: GitlabTenancy;
  /** A reader of GitLab URLs with the portal's token (not the scaffolder's own, which is limited to shared groups). */
  reader: UrlReaderService;
  guard: StepTenantGuard;
}): TemplateAction<any, any, any>[] {
  const { integrations, tenancy, reader, guard } = options;
  const inner: TemplateAction<any, any, any>[] = [
    createFetchPlainAction({ reader, integrations }),
    createFetchPlainFileAction({ reader, integrations }),
    createFetchTemplateAction({ reader, integrations }),
    createFetchTemplateFileAction({ reader, integrations }),
  ];
  return inner.map(action => {
    const id = `akili:${action.id}`;
    return {
      ...action,
      id,
      description: `${action.description} Reads GitLab only in groups shared by all tenants and in the task's own tenant.`,
      async handler(ctx: ActionContext<JsonObject>) {
        const url = readUrlOf(
          ctx.input.url,
          ctx.templateInfo?.baseUrl,
          integrations,
        );
        if (url !== undefined) {
          const refuse = () =>
            new NotAllowedError(
              `${id} reads GitLab projects of groups shared by all tenants and of the task's tenant, as /-/blob/ or /-/tree/ URLs; not '${url}'`,
            );
          let parsed: URL;
          try {
            parsed = new URL(url);
          } catch {
            throw refuse();
          }
          const gitlab = integrations.gitlab.byHost(parsed.host)?.config;
          const projectPath =
            gitlab &&
            gitlabProjectPathOfUrl(parsed, gitlab.baseUrl, { strict: true });
          if (!projectPath) {
            throw refuse();
          }
          if (!tenancy.isShared(projectPath)) {
            await guard.checkRead(id, ctx, { host: parsed.host, projectPath });
          }
        }
        await action.handler(ctx);
      },
    };
  });
}
