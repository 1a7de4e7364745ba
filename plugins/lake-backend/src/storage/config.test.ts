import { ConfigReader } from '@backstage/config';
import { readLakeStorageConfig, tenantArea } from './config';

type JsonObject = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const read = (lake: JsonObject | undefined) =>
  readLakeStorageConfig(new ConfigReader(lake ? { lake } : {}));

const s3 = { endpoint: 'http://rgw:7480/' };

describe('readLakeStorageConfig', () => {
  it('is undefined without lake.s3 (the lake is not configured)', () => {
    expect(read(undefined)).toBeUndefined();
    expect(read({ bucket: 'x-{tenant}' })).toBeUndefined();
  });

  it('has the defaults', () => {
    const config = read({ s3 })!;
    expect(config).toMatchObject({
      endpoint: 'http://rgw:7480',
      region: 'us-east-1',
      forcePathStyle: true,
      timeoutMs: 5000,
      bucketTemplate: 'akili-{tenant}',
      prefixTemplate: '',
      presign: { maxExpirySeconds: 300 },
    });
    expect(config.credentials).toBeUndefined();
    expect(tenantArea(config, 'acme')).toEqual({
      bucket: 'akili-acme',
      prefix: '',
    });
  });

  it('fills the templates and applies per-tenant overrides', () => {
    const config = read({
      s3: { ...s3, credentials: { accessKeyId: 'P', secretAccessKey: 'S' } },
      bucket: 'lake',
      prefix: 'tenants/{tenant}',
      tenants: {
        globex: {
          bucket: 'globex-data',
          prefix: '/',
          credentials: { accessKeyId: 'G', secretAccessKey: 'GS' },
        },
      },
    })!;
    expect(tenantArea(config, 'acme')).toEqual({
      bucket: 'lake',
      prefix: 'tenants/acme/',
    });
    expect(tenantArea(config, 'globex')).toEqual({
      bucket: 'globex-data',
      prefix: '',
    });
    expect(config.tenants.globex.credentials).toEqual({
      accessKeyId: 'G',
      secretAccessKey: 'GS',
    });
    expect(() => tenantArea(config, '../x')).toThrow(
      'Invalid tenant name "../x"',
    );
  });

  it.each([
    [
      { s3: { endpoint: 'not a url' } },
      'lake.s3.endpoint is not a URL: "not a url"',
    ],
    [
      { s3: { endpoint: 'ftp://rgw' } },
      'lake.s3.endpoint must be an http(s) URL',
    ],
    [
      { s3: { ...s3, timeoutMs: 10 } },
      'lake.s3.timeoutMs must be a whole number of milliseconds between 100 and 120000, not 10',
    ],
    [
      { s3: { ...s3, credentials: { accessKeyId: 'x' } } },
      'lake.s3.credentials needs both accessKeyId and secretAccessKey (secretAccessKey is missing)',
    ],
    [
      { s3, bucket: 'shared' },
      'lake.bucket ("shared") or lake.prefix ("") must contain {tenant}',
    ],
    [
      { s3, bucket: 'Akili_{tenant}' },
      'lake.bucket "Akili_{tenant}" gives "Akili_a" for tenant a, which is not a valid bucket name',
    ],
    [
      { s3, bucket: 'shared', prefix: '../{tenant}' },
      'lake.prefix "../{tenant}" gives the prefix "../a/" for tenant a: it has a ".." segment',
    ],
    [
      { s3, bucket: 'shared', prefix: '/{tenant}' },
      'lake.prefix "/{tenant}" gives the prefix "/a/" for tenant a: it starts with /',
    ],
    [
      { s3, tenants: { 'Not-A-Tenant': { bucket: 'x-1' } } },
      'lake.tenants.Not-A-Tenant: "Not-A-Tenant" is not a valid tenant name',
    ],
    [
      { s3, tenants: { acme: { bucket: 'A' } } },
      'lake.tenants.acme.bucket: "A" is not a valid bucket name',
    ],
    [
      { s3, presign: { maxExpirySeconds: 7200 } },
      'lake.presign.maxExpirySeconds must be a whole number of seconds between 1 and 3600, not 7200',
    ],
    [
      { s3, presign: { endpoint: 'nope' } },
      'lake.presign.endpoint is not a URL: "nope"',
    ],
  ])('refuses %j naming the key', (lake, message) => {
    expect(() => read(lake)).toThrow(message);
  });

  it('refuses tenants that would share storage', () => {
    expect(() =>
      read({
        s3,
        tenants: {
          acme: { bucket: 'shared' },
          globex: { bucket: 'shared', prefix: 'g' },
        },
      }),
    ).toThrow(
      'lake.tenants.acme and lake.tenants.globex share storage (s3://shared/ and s3://shared/g/)',
    );
    // A tenant's own bucket that is another tenant's by the template.
    expect(() =>
      read({ s3, tenants: { acme: { bucket: 'akili-globex' } } }),
    ).toThrow(
      'lake.tenants.acme: s3://akili-globex/ overlaps the storage the templates give tenant globex',
    );
    expect(() =>
      read({
        s3,
        bucket: 'lake',
        prefix: 'tenants/{tenant}/',
        tenants: { acme: { prefix: 'tenants/' } },
      }),
    ).toThrow(
      'lake.tenants.acme: s3://lake/tenants/ holds the storage of every tenant',
    );
    expect(() =>
      read({
        s3,
        bucket: 'lake',
        prefix: 'tenants/{tenant}/',
        tenants: { acme: { prefix: 'tenants/globex/raw' } },
      }),
    ).toThrow('overlaps the storage the templates give tenant globex');
    // Its own template area, or an unrelated bucket, is fine.
    expect(
      read({
        s3,
        tenants: {
          acme: { bucket: 'akili-acme' },
          globex: { bucket: 'globex-lake' },
        },
      }),
    ).toBeDefined();
  });
});
