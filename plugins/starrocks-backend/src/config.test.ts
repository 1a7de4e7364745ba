import { ConfigReader } from '@backstage/config';
import { readStarrocksConfig } from './config';

describe('readStarrocksConfig', () => {
  it('fills in the defaults', () => {
    const config = readStarrocksConfig(
      new ConfigReader({
        starrocks: {
          tenants: { acme: { host: 'fe', user: 'acme_ro', password: 's' } },
        },
      }),
    );
    expect(config).toEqual({
      engine: 'mysql',
      dialect: 'starrocks',
      defaultCatalog: 'default_catalog',
      queryTimeoutSeconds: 30,
      maxRows: 10000,
      connectTimeoutSeconds: 5,
      tenants: {
        acme: {
          host: 'fe',
          port: 9030,
          user: 'acme_ro',
          password: 's',
          database: undefined,
          poolSize: 10,
        },
      },
      embedded: { rowsPerTable: 5000 },
      executeAsEndUser: false,
      agreements: { enabled: false, cacheSeconds: 30, timeoutSeconds: 3 },
    });
  });

  it('reads the agreements and the grants, defaults from the first tenant', () => {
    const config = readStarrocksConfig(
      new ConfigReader({
        starrocks: {
          tenants: { acme: { host: 'fe', user: 'acme_ro', password: 's' } },
          agreements: { enabled: true, cacheSeconds: 5 },
          grants: { enabled: true, user: 'akili_admin', password: 'p' },
        },
      }),
    );
    expect(config.agreements).toEqual({
      enabled: true,
      cacheSeconds: 5,
      timeoutSeconds: 3,
    });
    expect(config.grants).toEqual({
      enabled: true,
      host: 'fe',
      port: 9030,
      user: 'akili_admin',
      password: 'p',
      userHost: '%',
      intervalMinutes: 5,
    });
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({ starrocks: { agreements: { cacheSeconds: 60 } } }),
      ),
    ).toThrow(
      'starrocks.agreements.cacheSeconds must be a whole number between 0 and 30, not 60',
    );
    // A tenant user goes into a string literal of GRANT: no quote may reach it.
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({
          starrocks: {
            tenants: { acme: { host: 'fe', user: "x'--", password: 's' } },
            grants: { enabled: true, user: 'admin' },
          },
        }),
      ),
    ).toThrow(
      `starrocks.tenants.acme.user cannot be granted to: letters, digits and _ . @ % : - only, not "x'--"`,
    );
  });

  it('runs as the end user only on StarRocks', () => {
    expect(
      readStarrocksConfig(
        new ConfigReader({ starrocks: { executeAsEndUser: true } }),
      ).executeAsEndUser,
    ).toBe(true);
    for (const starrocks of [
      { executeAsEndUser: true, dialect: 'mariadb' },
      { executeAsEndUser: true, engine: 'embedded' },
    ]) {
      expect(() =>
        readStarrocksConfig(new ConfigReader({ starrocks })),
      ).toThrow(/^starrocks.executeAsEndUser needs StarRocks/);
    }
  });

  it('reads the embedded engine', () => {
    const config = readStarrocksConfig(
      new ConfigReader({
        starrocks: { engine: 'embedded', embedded: { rowsPerTable: 100 } },
      }),
    );
    expect(config.engine).toBe('embedded');
    expect(config.embedded).toEqual({ rowsPerTable: 100 });
    expect(config.tenants).toEqual({});
  });

  it('works without the section', () => {
    expect(readStarrocksConfig(new ConfigReader({})).tenants).toEqual({});
  });

  it('names the key of a bad value', () => {
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({ starrocks: { dialect: 'postgres' } }),
      ),
    ).toThrow(
      'starrocks.dialect must be "starrocks" or "mariadb", not "postgres"',
    );
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({ starrocks: { engine: 'duckdb' } }),
      ),
    ).toThrow('starrocks.engine must be "mysql" or "embedded", not "duckdb"');
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({
          starrocks: { engine: 'embedded', embedded: { rowsPerTable: -1 } },
        }),
      ),
    ).toThrow(
      'starrocks.embedded.rowsPerTable must be a whole number between 0 and 1000000, not -1',
    );
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({ starrocks: { queryTimeoutSeconds: 0 } }),
      ),
    ).toThrow(
      'starrocks.queryTimeoutSeconds must be a whole number between 1 and 3600, not 0',
    );
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({
          starrocks: { tenants: { acme: { host: 'fe', password: 's' } } },
        }),
      ),
    ).toThrow('starrocks.tenants.acme.user is required');
    expect(() =>
      readStarrocksConfig(
        new ConfigReader({
          starrocks: {
            tenants: {
              acme: { host: 'fe', user: 'u', password: 's', port: 70000 },
            },
          },
        }),
      ),
    ).toThrow(
      'starrocks.tenants.acme.port must be a whole number between 1 and 65535',
    );
  });
});
