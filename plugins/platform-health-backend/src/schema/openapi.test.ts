import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createRouter } from '../service/router';
import { PlatformHealthService } from '../service/PlatformHealthService';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of platform-health', () => {
  it('describes exactly the routes the router answers', async () => {
    const router = await createRouter({
      tenancy: {} as any,
      health: {} as PlatformHealthService,
      frequencyMs: 1000,
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
