import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { LocationGuardProcessor } from './LocationGuardProcessor';
import { RelationGuardProcessor } from './RelationGuardProcessor';
import { SourceNamespaceProcessor } from './SourceNamespaceProcessor';
import { TechDocsGuardProcessor } from './TechDocsGuardProcessor';
import { createGuardedPlaceholderResolvers } from './placeholders';
import { CatalogReadGuard } from './readGuard';
import { CatalogRequestContext } from './requestContext';
import { SourceTenancy } from './sources';

/**
 * Keeps the catalog's file reads inside a tenant: the `$text`, `$json` and `$yaml` placeholders
 * (replacing the catalog's own resolvers) and Location targets are read only from the entity's
 * own source, and, in a user's request (`/validate-entity`), only from the user's tenants; and
 * keeps relations inside a tenant (see {@link RelationGuardProcessor}) and an entity's TechDocs
 * inside its own repository (see {@link TechDocsGuardProcessor}).
 *
 * @public
 */
export const catalogModuleAkiliGuard = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'akili-guard',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        httpRouter: coreServices.httpRouter,
      },
      async init({
        catalog,
        config,
        logger,
        auth,
        httpAuth,
        userInfo,
        httpRouter,
      }) {
        const tenancy = SourceTenancy.fromConfig(config);
        const context = new CatalogRequestContext({ auth, httpAuth, userInfo });
        const guard = new CatalogReadGuard(tenancy, context);

        // Modules initialise before their plugin, so this runs ahead of every catalog route.
        httpRouter.use(context.middleware());

        for (const [key, resolver] of Object.entries(
          createGuardedPlaceholderResolvers(guard),
        )) {
          catalog.addPlaceholderResolver(key, resolver);
        }
        const integrations = ScmIntegrations.fromConfig(config);
        catalog.addProcessor(
          new LocationGuardProcessor(guard, integrations),
          new SourceNamespaceProcessor(tenancy),
          new RelationGuardProcessor(),
          new TechDocsGuardProcessor(tenancy, integrations),
        );
        if (!config.has('akili.tenancy.gitlab.rootGroup')) {
          logger.warn(
            'No akili.tenancy.gitlab.rootGroup: catalog placeholders and Location targets are read only from the entity’s own file',
          );
        }
      },
    });
  },
});
