import { mockCredentials } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AkiliAuthorization, TenancyService } from '@akili/plugin-akili-node';
import type { QueryRequest } from '../engine/QueryRunner';
import { QuerySummary, ResultSink } from '../engine/types';
import { endUserOf, QueryService } from './QueryService';

const user = (userEntityRef: string): AkiliAuthorization =>
  ({
    principal: {
      type: 'user',
      userEntityRef,
      platformAdmin: false,
      tenants: {},
    },
    credentials: mockCredentials.user(userEntityRef),
    actorRef: userEntityRef,
    tenant: 'acme',
  } as AkiliAuthorization);

const token: AkiliAuthorization = {
  principal: {
    type: 'token',
    tokenId: 't1',
    tenant: 'acme',
    permissions: ['akili.query.run'],
  },
  credentials: mockCredentials.service('external:akili'),
  actorRef: 'token:t1',
  tenant: 'acme',
} as AkiliAuthorization;

describe('endUserOf', () => {
  it('names the StarRocks user a person runs as, and none for an API token', () => {
    expect(endUserOf(user('user:default/jane.doe'))).toBe('jane.doe');
    expect(endUserOf(user('user:people/ann@example.com'))).toBe(
      'ann@example.com',
    );
    expect(endUserOf(token)).toBeUndefined();
  });

  it('refuses a name EXECUTE AS could not quote, rather than run as someone else', () => {
    for (const ref of ["user:default/o'brien", 'user:default/a b']) {
      expect(() => endUserOf(user(ref))).toThrow(NotAllowedError);
    }
  });
});

describe('QueryService with starrocks.executeAsEndUser', () => {
  const product = {
    apiVersion: 'akili.io/v1alpha1',
    kind: 'DataProduct',
    metadata: { namespace: 'acme', name: 'orders' },
    spec: {
      outputPorts: [
        {
          name: 'orders',
          kind: 'table',
          location: { table: { database: 'sales', table: 'orders' } },
          schema: [],
        },
      ],
    },
  };

  function service(executeAsEndUser: boolean) {
    const requests: QueryRequest[] = [];
    const engine = {
      async run(
        request: QueryRequest,
        sink: ResultSink,
      ): Promise<QuerySummary> {
        requests.push(request);
        sink.columns([]);
        const summary = {
          rowCount: 0,
          bytes: 0,
          truncated: false,
          durationMs: 0,
          pauses: 0,
        };
        await sink.end(summary);
        return summary;
      },
    };
    // Only the catalog read of the tenant's tables goes through the tenancy service here.
    const tenancy = {
      catalogCredentials: async () => mockCredentials.service(),
    } as unknown as TenancyService;
    const queries = new QueryService({
      tenancy,
      catalog: catalogServiceMock({ entities: [product] }),
      engine,
      defaultCatalog: 'default_catalog',
      executeAsEndUser,
    });
    return { queries, requests };
  }

  const sink: ResultSink = {
    columns() {},
    row: () => true,
    onDrain: callback => callback(),
    end: async () => {},
  };

  it("hands the person's StarRocks user to the engine with the statement", async () => {
    const { queries, requests } = service(true);
    const jane = user('user:default/jane');
    const prepared = await queries.prepare(jane, 'SELECT * FROM sales.orders', {
      unmask: false,
    });
    expect(prepared.runAs).toBe('jane');
    await queries.run(prepared, {}, sink);
    expect(requests[0]).toMatchObject({ tenant: 'acme', runAs: 'jane' });

    const byToken = await queries.prepare(token, 'SELECT 1', { unmask: false });
    await queries.run(byToken, {}, sink);
    expect(requests[1].runAs).toBeUndefined();
  });

  it('runs as the tenant user when the option is off', async () => {
    const { queries, requests } = service(false);
    const prepared = await queries.prepare(
      user('user:default/jane'),
      'SELECT * FROM sales.orders',
      { unmask: false },
    );
    await queries.run(prepared, {}, sink);
    expect(requests[0].runAs).toBeUndefined();
  });
});
