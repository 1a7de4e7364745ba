import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createRouter } from '../service/router';
import { QualityService } from '../service/QualityService';
import { QualityStore } from '../service/QualityStore';
import { IncidentStore } from '../incidents';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of quality', () => {
  it('describes exactly the routes the router answers', async () => {
    const router = await createRouter({
      tenancy: {} as any,
      quality: {} as QualityService,
      store: {} as QualityStore,
      incidents: {} as IncidentStore,
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
