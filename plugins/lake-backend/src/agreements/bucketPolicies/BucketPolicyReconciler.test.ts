import {
  GetBucketPolicyCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AccessAgreement } from '@akili/plugin-lake-common';
import {
  describeWithS3,
  putObjects,
  testLakeConfig,
  useTestBuckets,
} from '../../__testUtils__/testS3';
import { LakeStorage } from '../../storage/LakeStorage';
import { BucketPolicyReconciler } from './BucketPolicyReconciler';

const PORT_PREFIX = 'data-products/churn-features/training/';

function agreement(id: string, overrides: Partial<AccessAgreement> = {}) {
  return {
    id,
    status: 'approved',
    provider: {
      tenant: 'acme',
      product: 'dataproduct:acme/churn-features',
      port: 'training_snapshots',
    },
    consumer: { tenant: 'globex' },
    purpose: 'test',
    columns: ['customer_key'],
    until: '2099-01-01T00:00:00.000Z',
    requestedBy: 'user:default/gina',
    requestedAt: '2026-12-01T00:00:00.000Z',
    ...overrides,
  } as AccessAgreement;
}

/** The error name of an S3 call, or 'ok'. */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as Error).name;
  }
}

describeWithS3('BucketPolicyReconciler on Ceph RGW', () => {
  const buckets = useTestBuckets();
  let bucket: string;
  let storage: LakeStorage;

  beforeAll(async () => {
    bucket = await buckets.create('acme', 'policies');
    await putObjects(buckets.client('acme'), bucket, [
      [`${PORT_PREFIX}2026-12-01.csv`, 'customer_key,churn\n1,0\n'],
      [`${PORT_PREFIX}sub/part-1.csv`, 'customer_key,churn\n2,1\n'],
      // Next to the port: the same start without the slash.
      ['data-products/churn-features/training-raw/all.csv', 'secret\n'],
      ['data-products/finance/ledger.csv', 'secret\n'],
    ]);
    storage = LakeStorage.fromConfig(
      new ConfigReader(
        testLakeConfig({
          tenants: { acme: { bucket } },
        }) as ConstructorParameters<typeof ConfigReader>[0],
      ),
    )!;
  });
  afterAll(() => storage?.destroy());

  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'akili.io/v1alpha1',
        kind: 'DataProduct',
        metadata: { namespace: 'acme', name: 'churn-features' },
        spec: {
          outputPorts: [
            {
              name: 'training_snapshots',
              kind: 'files',
              location: {
                s3: { bucket: 'PLACEHOLDER', prefix: PORT_PREFIX },
              },
            },
          ],
        },
      },
    ],
  });

  function reconcilerWith(inForce: AccessAgreement[]) {
    // The manifest names the test's bucket (known only once created).
    const withBucket = {
      ...catalog,
      getEntitiesByRefs: async (
        ...args: Parameters<typeof catalog.getEntitiesByRefs>
      ) => {
        const out = await catalog.getEntitiesByRefs(...args);
        return JSON.parse(
          JSON.stringify(out).replace(/PLACEHOLDER/g, bucket),
        ) as typeof out;
      },
    };
    const reconciler = new BucketPolicyReconciler({
      storage,
      agreements: { allInForce: async () => inForce },
      catalog: withBucket as typeof catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      rgwUsers: { globex: 'akili-globex', acme: 'akili-acme' },
      tenants: ['acme'],
    });
    return reconciler;
  }

  /** What globex's own RGW user (its Dagster jobs) can do in acme's bucket. */
  async function globexAccess() {
    const globex: S3Client = buckets.client('globex');
    const get = (key: string) =>
      outcome(globex.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
    const list = (prefix?: string) =>
      outcome(
        globex.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            ...(prefix !== undefined ? { Prefix: prefix } : {}),
          }),
        ),
      );
    return {
      portFile: await get(`${PORT_PREFIX}2026-12-01.csv`),
      portSubFile: await get(`${PORT_PREFIX}sub/part-1.csv`),
      neighbourFile: await get(
        'data-products/churn-features/training-raw/all.csv',
      ),
      otherFile: await get('data-products/finance/ledger.csv'),
      listPort: await list(PORT_PREFIX),
      listPortSub: await list(`${PORT_PREFIX}sub/`),
      listOther: await list('data-products/finance/'),
      listNeighbour: await list('data-products/churn-features/training'),
      listAll: await list(),
    };
  }

  const DENIED = {
    portFile: 'AccessDenied',
    portSubFile: 'AccessDenied',
    neighbourFile: 'AccessDenied',
    otherFile: 'AccessDenied',
    listPort: 'AccessDenied',
    listPortSub: 'AccessDenied',
    listOther: 'AccessDenied',
    listNeighbour: 'AccessDenied',
    listAll: 'AccessDenied',
  };
  const PORT_ONLY = {
    ...DENIED,
    portFile: 'ok',
    portSubFile: 'ok',
    listPort: 'ok',
    listPortSub: 'ok',
  };

  async function policyOf(): Promise<any> {
    try {
      const out = await buckets
        .client('acme')
        .send(new GetBucketPolicyCommand({ Bucket: bucket }));
      return JSON.parse(out.Policy!);
    } catch (error) {
      return (error as Error).name;
    }
  }

  it("lets the consumer tenant's RGW user read and list only the agreed port, and takes it back", async () => {
    expect(await globexAccess()).toEqual(DENIED);

    const changes = await reconcilerWith([agreement('a1')]).reconcile();
    expect(changes).toEqual([
      {
        bucket,
        tenant: 'acme',
        action: 'put',
        grants: [`globex:${PORT_PREFIX}`],
      },
    ]);
    expect(await globexAccess()).toEqual(PORT_ONLY);
    // The listing of the port shows the port's files, and only them.
    const listing = await buckets
      .client('globex')
      .send(new ListObjectsV2Command({ Bucket: bucket, Prefix: PORT_PREFIX }));
    expect(listing.Contents?.map(c => c.Key).sort()).toEqual([
      `${PORT_PREFIX}2026-12-01.csv`,
      `${PORT_PREFIX}sub/part-1.csv`,
    ]);
    // The owner still reads everything.
    expect(
      await outcome(
        buckets.client('acme').send(
          new GetObjectCommand({
            Bucket: bucket,
            Key: 'data-products/finance/ledger.csv',
          }),
        ),
      ),
    ).toBe('ok');

    // Revoked or expired: no longer in force, the policy goes (nothing else was in it).
    const after = await reconcilerWith([]).reconcile();
    expect(after.map(c => c.action)).toEqual(['deleted']);
    expect(await policyOf()).toBe('NoSuchBucketPolicy');
    expect(await globexAccess()).toEqual(DENIED);
  });

  it("keeps others' statements, removes hand-made managed ones, and writes nothing when nothing changed", async () => {
    const foreign = {
      Sid: 'analytics-team',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam:::user/akili-globex'] },
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::${bucket}/data-products/finance/*`],
    };
    const forged = {
      Sid: 'akili-agreement-forged-get',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam:::user/akili-globex'] },
      Action: ['s3:GetObject'],
      Resource: [
        `arn:aws:s3:::${bucket}/data-products/churn-features/training-raw/*`,
      ],
    };
    await buckets.client('acme').send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [foreign, forged],
        }),
      }),
    );
    expect((await globexAccess()).neighbourFile).toBe('ok');

    const reconciler = reconcilerWith([agreement('a2'), agreement('a3')]);
    expect((await reconciler.reconcile()).map(c => c.action)).toEqual(['put']);
    const policy = await policyOf();
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual([
      'analytics-team',
      'akili-agreement-a2-get',
      'akili-agreement-a2-list',
    ]);
    expect(policy.Statement[0]).toEqual(foreign);
    expect(policy.Statement[2].Condition).toEqual({
      StringLike: { 's3:prefix': [`${PORT_PREFIX}*`] },
    });
    expect(await globexAccess()).toEqual({
      ...PORT_ONLY,
      // Granted by the foreign statement, not by the portal.
      otherFile: 'ok',
    });

    // Idempotent: a second round reads the policy and writes nothing.
    const client = storage.clientOf('acme');
    const send = jest.spyOn(client, 'send');
    try {
      expect((await reconciler.reconcile()).map(c => c.action)).toEqual([
        'unchanged',
      ]);
      const names = send.mock.calls.map(
        ([command]) => command.constructor.name,
      );
      expect(names).toEqual(['GetBucketPolicyCommand']);
    } finally {
      send.mockRestore();
    }

    // All revoked: the foreign statement stays, alone.
    expect((await reconcilerWith([]).reconcile()).map(c => c.action)).toEqual([
      'put',
    ]);
    expect((await policyOf()).Statement).toEqual([foreign]);
    expect(await globexAccess()).toEqual({ ...DENIED, otherFile: 'ok' });
  });

  it('grants nothing to a consumer without an RGW user, to the provider itself, or for a port not of the provider', async () => {
    const changes = await reconcilerWith([
      agreement('b1', { consumer: { tenant: 'initech' } }),
      agreement('b2', { consumer: { tenant: 'acme' } }),
      // An agreement naming acme's product with another provider tenant.
      agreement('b3', {
        provider: {
          tenant: 'globex',
          product: 'dataproduct:acme/churn-features',
          port: 'training_snapshots',
        },
      }),
      agreement('b4', {
        provider: {
          tenant: 'acme',
          product: 'dataproduct:acme/churn-features',
          port: 'no_such_port',
        },
      }),
    ]).reconcile();
    expect(changes.find(c => c.bucket === bucket)).toMatchObject({
      grants: [],
    });
    expect((await policyOf()).Statement?.map((s: any) => s.Sid)).toEqual([
      'analytics-team',
    ]);
  });
});
