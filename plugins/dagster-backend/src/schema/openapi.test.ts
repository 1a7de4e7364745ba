import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createRouter } from '../service/router';
import { RunAuditStore } from '../service/RunAuditStore';
import { RunsService } from '../service/RunsService';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of dagster', () => {
  it('describes exactly the routes the router answers', async () => {
    const router = await createRouter({
      tenancy: {} as any,
      runs: {} as RunsService,
      audit: {} as RunAuditStore,
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
