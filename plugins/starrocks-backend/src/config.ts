import { Config } from '@backstage/config';

/** The SQL dialects the query engine speaks. */
export type StarrocksDialectName = 'starrocks' | 'mariadb';

/**
 * What runs the queries: `mysql` (StarRocks or another MySQL-protocol server, per tenant from
 * `starrocks.tenants`) or `embedded` (DuckDB in the backend over generated example data, for
 * `make dev`).
 */
export type QueryEngineName = 'mysql' | 'embedded';

/** Default `starrocks.embedded.rowsPerTable`. */
export const DEFAULT_EMBEDDED_ROWS_PER_TABLE = 5000;

/** Default `starrocks.queryTimeoutSeconds`. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 30;
/** Default `starrocks.maxRows`. */
export const DEFAULT_MAX_ROWS = 10_000;
/** Default `starrocks.connectTimeoutSeconds`: a down server is an error within seconds. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
/** Default StarRocks FE MySQL port (`query_port`). */
export const DEFAULT_STARROCKS_PORT = 9030;
/** Default `starrocks.tenants.<tenant>.poolSize`. */
export const DEFAULT_POOL_SIZE = 10;

/** One tenant's read-only login (`starrocks.tenants.<tenant>`). */
export interface StarrocksTenantConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
  poolSize: number;
}

/** `starrocks.embedded`: the embedded engine of `make dev`. */
export interface EmbeddedEngineConfig {
  /** Generated rows in each example table. */
  rowsPerTable: number;
}

/** Default `starrocks.grants.intervalMinutes`: how often the grants are reconciled. */
export const DEFAULT_GRANTS_INTERVAL_MINUTES = 5;

/** `starrocks.agreements`: access agreements between tenants, read from the lake backend. */
export interface AgreementsConfig {
  /** Other tenants' tables are readable under agreements in force (default false). */
  enabled: boolean;
  /** How long a tenant's agreements in force are kept, in seconds (0 to 30). */
  cacheSeconds: number;
  /** How long the lake backend has to answer, in seconds. */
  timeoutSeconds: number;
}

/** `starrocks.grants`: the StarRocks grants that follow the agreements. */
export interface GrantsConfig {
  enabled: boolean;
  /** The platform admin login that grants and revokes (host and port default to the first tenant's). */
  host: string;
  port: number;
  user: string;
  password: string;
  /** The host part of the tenant users' accounts (`'user'@'<userHost>'`, default `%`). */
  userHost: string;
  intervalMinutes: number;
}

/** `starrocks` in app-config, checked and with defaults filled in. */
export interface StarrocksConfig {
  engine: QueryEngineName;
  dialect: StarrocksDialectName;
  /** The catalog the tenant users' connections start in; two-part names resolve in it. */
  defaultCatalog: string;
  queryTimeoutSeconds: number;
  maxRows: number;
  connectTimeoutSeconds: number;
  tenants: Record<string, StarrocksTenantConfig>;
  embedded: EmbeddedEngineConfig;
  /**
   * Run each user's query as the StarRocks user named like the user entity, inside the tenant
   * user's connection (`EXECUTE AS ... WITH NO REVERT`), so StarRocks' own audit names the person.
   */
  executeAsEndUser: boolean;
  agreements: AgreementsConfig;
  /** Undefined when `starrocks.grants.enabled` is not true. */
  grants?: GrantsConfig;
}

// A MySQL account name or host goes into a string literal: no quotes, backslashes or controls.
const ACCOUNT_PART = /^[A-Za-z0-9_.@%:-]{1,128}$/;

function readWholeNumber(
  config: Config | undefined,
  key: string,
  path: string,
  options: { min: number; max: number; fallback: number },
): number {
  const value = config?.getOptionalNumber(key) ?? options.fallback;
  if (!Number.isInteger(value) || value < options.min || value > options.max) {
    throw new Error(
      `${path} must be a whole number between ${options.min} and ${options.max}, not ${value}`,
    );
  }
  return value;
}

/**
 * Reads `starrocks` from app-config. Without the section there are no tenants and the defaults
 * apply; a bad value throws an error naming its key.
 */
export function readStarrocksConfig(root: Config): StarrocksConfig {
  const config = root.getOptionalConfig('starrocks');
  const engine = config?.getOptionalString('engine') ?? 'mysql';
  if (engine !== 'mysql' && engine !== 'embedded') {
    throw new Error(
      `starrocks.engine must be "mysql" or "embedded", not "${engine}"`,
    );
  }
  const dialect = config?.getOptionalString('dialect') ?? 'starrocks';
  if (dialect !== 'starrocks' && dialect !== 'mariadb') {
    throw new Error(
      `starrocks.dialect must be "starrocks" or "mariadb", not "${dialect}"`,
    );
  }
  const queryTimeoutSeconds = readWholeNumber(
    config,
    'queryTimeoutSeconds',
    'starrocks.queryTimeoutSeconds',
    { min: 1, max: 3600, fallback: DEFAULT_QUERY_TIMEOUT_SECONDS },
  );
  const maxRows = readWholeNumber(config, 'maxRows', 'starrocks.maxRows', {
    min: 1,
    max: 10_000_000,
    fallback: DEFAULT_MAX_ROWS,
  });
  const connectTimeoutSeconds = readWholeNumber(
    config,
    'connectTimeoutSeconds',
    'starrocks.connectTimeoutSeconds',
    { min: 1, max: 60, fallback: DEFAULT_CONNECT_TIMEOUT_SECONDS },
  );
  const tenants: Record<string, StarrocksTenantConfig> = {};
  const tenantsConfig = config?.getOptionalConfig('tenants');
  for (const tenant of tenantsConfig?.keys() ?? []) {
    const path = `starrocks.tenants.${tenant}`;
    const t = tenantsConfig!.getConfig(tenant);
    const required = (key: string): string => {
      const value = t.getOptionalString(key);
      if (value === undefined || (key !== 'password' && value.trim() === '')) {
        throw new Error(`${path}.${key} is required`);
      }
      return value;
    };
    tenants[tenant] = {
      host: required('host'),
      port: readWholeNumber(t, 'port', `${path}.port`, {
        min: 1,
        max: 65535,
        fallback: DEFAULT_STARROCKS_PORT,
      }),
      user: required('user'),
      password: required('password'),
      database: t.getOptionalString('database') || undefined,
      poolSize: readWholeNumber(t, 'poolSize', `${path}.poolSize`, {
        min: 1,
        max: 100,
        fallback: DEFAULT_POOL_SIZE,
      }),
    };
  }
  const defaultCatalog =
    config?.getOptionalString('defaultCatalog')?.trim() || 'default_catalog';
  const executeAsEndUser =
    config?.getOptionalBoolean('executeAsEndUser') ?? false;
  if (executeAsEndUser && (dialect !== 'starrocks' || engine !== 'mysql')) {
    throw new Error(
      'starrocks.executeAsEndUser needs StarRocks (engine mysql, dialect starrocks): MariaDB and the embedded engine have no EXECUTE AS',
    );
  }
  const rowsPerTable = readWholeNumber(
    config?.getOptionalConfig('embedded'),
    'rowsPerTable',
    'starrocks.embedded.rowsPerTable',
    { min: 0, max: 1_000_000, fallback: DEFAULT_EMBEDDED_ROWS_PER_TABLE },
  );
  const agreementsConfig = config?.getOptionalConfig('agreements');
  const agreements: AgreementsConfig = {
    enabled: agreementsConfig?.getOptionalBoolean('enabled') ?? false,
    cacheSeconds: readWholeNumber(
      agreementsConfig,
      'cacheSeconds',
      'starrocks.agreements.cacheSeconds',
      { min: 0, max: 30, fallback: 30 },
    ),
    timeoutSeconds: readWholeNumber(
      agreementsConfig,
      'timeoutSeconds',
      'starrocks.agreements.timeoutSeconds',
      { min: 1, max: 30, fallback: 3 },
    ),
  };
  const grantsConfig = config?.getOptionalConfig('grants');
  let grants: GrantsConfig | undefined;
  if (grantsConfig?.getOptionalBoolean('enabled')) {
    const first = Object.values(tenants)[0];
    const host = grantsConfig.getOptionalString('host') ?? first?.host;
    if (!host) {
      throw new Error(
        'starrocks.grants.host is required when no starrocks.tenants are configured',
      );
    }
    const user = grantsConfig.getOptionalString('user');
    if (!user?.trim()) throw new Error('starrocks.grants.user is required');
    const userHost = grantsConfig.getOptionalString('userHost') ?? '%';
    for (const [path, value] of [
      ['starrocks.grants.userHost', userHost],
      ...Object.entries(tenants).map(([t, c]) => [
        `starrocks.tenants.${t}.user`,
        c.user,
      ]),
    ]) {
      if (!ACCOUNT_PART.test(value)) {
        throw new Error(
          `${path} cannot be granted to: letters, digits and _ . @ % : - only, not "${value}"`,
        );
      }
    }
    grants = {
      enabled: true,
      host,
      port: readWholeNumber(grantsConfig, 'port', 'starrocks.grants.port', {
        min: 1,
        max: 65535,
        fallback: first?.port ?? DEFAULT_STARROCKS_PORT,
      }),
      user,
      password: grantsConfig.getOptionalString('password') ?? '',
      userHost,
      intervalMinutes: readWholeNumber(
        grantsConfig,
        'intervalMinutes',
        'starrocks.grants.intervalMinutes',
        { min: 1, max: 1440, fallback: DEFAULT_GRANTS_INTERVAL_MINUTES },
      ),
    };
    if (engine !== 'mysql') {
      throw new Error(
        'starrocks.grants needs engine mysql: the embedded engine has no users to grant to',
      );
    }
  }
  return {
    engine,
    dialect,
    defaultCatalog,
    queryTimeoutSeconds,
    maxRows,
    connectTimeoutSeconds,
    tenants,
    embedded: { rowsPerTable },
    executeAsEndUser,
    agreements,
    ...(grants ? { grants } : {}),
  };
}
