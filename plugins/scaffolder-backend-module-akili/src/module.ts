import { manifestParserServiceRef } from '@akili/plugin-akili-node';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  GitlabUrlReader,
  UrlReaders,
} from '@backstage/backend-defaults/urlReader';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  scaffolderActionsExtensionPoint,
  scaffolderServiceRef,
} from '@backstage/plugin-scaffolder-node';
import { createTenantFetchActions } from './fetch/actions';
import { createTenantBoundGitlabActions } from './gitlab/actions';
import { GitlabTargetChecker } from './gitlab/GitlabTargetChecker';
import { GitlabTenancy } from './gitlab/GitlabTenancy';
import { createPortalInfoAction } from './gitlab/portalInfoAction';
import { StepTenantGuard } from './gitlab/StepTenantGuard';
import { createManifestCreateAction } from './manifest/createAction';
import { createManifestEditAction } from './manifest/editAction';
import { createManifestValidateAction } from './manifest/validateAction';
import { createProductDeployAction } from './product/deployAction';
import { createProductRegisterAction } from './product/registerAction';
import { createTaskAccessRouter } from './service/taskAccessRouter';
import { ScaffolderTaskFactsReader } from './tasks';

/**
 * The scaffolder inside the user's tenant: the official GitLab actions, each checked against
 * the task's tenant before it runs, and the routes that keep tasks visible to their creator and
 * the tenant's operators. Install it instead of `@backstage/plugin-scaffolder-backend-module-gitlab`,
 * together with {@link scaffolderUrlReaderFactories} (the package's default export has both).
 *
 * @public
 */
export const scaffolderModuleAkili = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'akili',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        userInfo: coreServices.userInfo,
        actions: scaffolderActionsExtensionPoint,
        scaffolder: scaffolderServiceRef,
        parser: manifestParserServiceRef,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        auth,
        discovery,
        httpAuth,
        httpRouter,
        userInfo,
        actions,
        scaffolder,
        parser,
        catalog,
      }) {
        const tenancy = GitlabTenancy.fromConfig(config);
        const integrations = ScmIntegrations.fromConfig(config);
        const tasks = new ScaffolderTaskFactsReader({ scaffolder, auth });
        const guard = new StepTenantGuard({
          auth,
          userInfo,
          tasks,
          checker: new GitlabTargetChecker({ tenancy, integrations }),
          logger,
        });
        actions.addActions(
          ...createTenantBoundGitlabActions({ config, integrations, guard }),
          ...createTenantFetchActions({
            integrations,
            tenancy,
            // Its own GitLab reader: the scaffolder's reads only shared groups.
            reader: UrlReaders.create({
              config,
              logger,
              factories: [GitlabUrlReader.factory],
            }),
            guard,
          }),
          createManifestCreateAction(),
          createPortalInfoAction({ config }),
          createManifestValidateAction({ parser, guard }),
          createManifestEditAction({ guard }),
          // Registers as the task's user: the control plane authorizes the user, not this plugin.
          createProductRegisterAction({
            parser,
            guard,
            discovery,
            auth,
            catalog,
          }),
          // Deploys as the task's user, reading the deployment as often as the control plane
          // reads the pipeline.
          createProductDeployAction({
            guard,
            discovery,
            auth,
            pollIntervalMs: config.getOptionalNumber(
              'akili.deployments.pollIntervalMs',
            ),
          }),
        );
        // Mounted before the scaffolder's own routes (modules start before their plugin).
        httpRouter.use(
          createTaskAccessRouter({ auth, httpAuth, userInfo, tasks, logger }),
        );
        logger.info('Scaffolder steps bound to tenants', {
          rootGroup: tenancy.rootGroup ?? '(not set: GitLab steps are refused)',
          sharedGroups: tenancy.sharedGroups.join(',') || '(none)',
        });
      },
    });
  },
});
