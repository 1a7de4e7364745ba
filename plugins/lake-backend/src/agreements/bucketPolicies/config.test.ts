import { ConfigReader } from '@backstage/config';
import { readBucketPolicyConfig } from './config';

describe('readBucketPolicyConfig', () => {
  it("is off by default, with the tenants' RGW users", () => {
    expect(
      readBucketPolicyConfig(
        new ConfigReader({
          lake: {
            tenants: {
              acme: { bucket: 'akili-acme' },
              globex: { rgwUser: 'akili-globex' },
            },
          },
        }),
      ),
    ).toEqual({
      enabled: false,
      intervalMinutes: 5,
      rgwUsers: { globex: 'akili-globex' },
      tenants: ['acme', 'globex'],
    });
    expect(readBucketPolicyConfig(new ConfigReader({}))).toMatchObject({
      enabled: false,
      rgwUsers: {},
    });
  });

  it('names the key of a bad value', () => {
    const read = (lake: object) => () =>
      readBucketPolicyConfig(new ConfigReader({ lake }));
    expect(
      read({
        agreements: { bucketPolicies: { enabled: true, intervalMinutes: 0 } },
      }),
    ).toThrow(
      'lake.agreements.bucketPolicies.intervalMinutes must be a whole number of minutes between 1 and 1440, not 0',
    );
    // A principal that would widen the statement.
    expect(read({ tenants: { globex: { rgwUser: '*' } } })).toThrow(
      'lake.tenants.globex.rgwUser: "*" is not an RGW user id',
    );
    expect(
      read({ tenants: { globex: { rgwUser: 'akili-globex"}],"x":"' } } }),
    ).toThrow('lake.tenants.globex.rgwUser');
  });
});
