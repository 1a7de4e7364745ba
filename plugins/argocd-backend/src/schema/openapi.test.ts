import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createRouter } from '../service/router';
import { DeploymentService } from '../service/DeploymentService';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of argocd', () => {
  it('describes exactly the routes the router answers', async () => {
    const router = await createRouter({
      deployments: {} as DeploymentService,
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
