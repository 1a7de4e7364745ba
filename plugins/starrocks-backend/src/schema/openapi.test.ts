import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { QueryAuditStore } from '../audit/QueryAuditStore';
import { createRouter } from '../service/router';
import { QueryService } from '../service/QueryService';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of starrocks', () => {
  it('describes exactly the routes the router answers', async () => {
    const router = await createRouter({
      queries: {} as QueryService,
      tenancy: {} as any,
      audit: {} as QueryAuditStore,
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
