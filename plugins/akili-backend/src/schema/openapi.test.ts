import { mockServices } from '@backstage/backend-test-utils';
import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createApiTokensRouter } from '../apiTokens';
import { createDeploymentsRouter } from '../deployments';
import { createProductNamesRouter } from '../productNames/router';
import { createProductsRouter } from '../products';
import { createReviewsRouter } from '../reviews/router';
import { createManifestsRouter } from '../service/manifestsRouter';
import { createRouter } from '../service/router';
import { createTenantsRouter } from '../tenants';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of akili', () => {
  it('describes exactly the routes the plugin answers', async () => {
    // The routes only: no dependency is called while the routers are built.
    const deps = {} as any;
    const logger = mockServices.logger.mock();
    const router = await createRouter([
      await createTenantsRouter({ ...deps, logger, groupPattern: '' }),
      createManifestsRouter({ ...deps, logger }),
      createProductsRouter({ ...deps, logger }),
      createDeploymentsRouter({ ...deps, logger, gitlab: 'not configured' }),
      createProductNamesRouter({ ...deps, logger }),
      createReviewsRouter({
        logger,
        config: { manifestPath: 'dataproduct.yaml' },
        reviewer: 'not configured',
      }),
      createApiTokensRouter({ ...deps, logger, config: undefined }),
    ]);
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
