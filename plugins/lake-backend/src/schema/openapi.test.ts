import { routesAgainstSpec } from '@akili/plugin-akili-node/testUtils';
import { createAgreementsRouter } from '../agreements';
import { AccessAgreementStore } from '../agreements/AccessAgreementStore';
import { AgreementsService } from '../agreements/AgreementsService';
import { createRouter } from '../service/router';
import { LakeService } from '../service/LakeService';
import { spec } from './openapi/generated/router';

describe('the OpenAPI spec of the lake', () => {
  it('describes exactly the routes the router answers, the agreements included', async () => {
    const router = await createRouter({
      lake: {} as LakeService,
      agreements: createAgreementsRouter({
        tenancy: {} as any,
        httpAuth: {} as any,
        service: {} as AgreementsService,
        store: {} as AccessAgreementStore,
      }),
    });
    expect(routesAgainstSpec(router, spec)).toEqual({
      undocumented: [],
      unmounted: [],
    });
  });
});
