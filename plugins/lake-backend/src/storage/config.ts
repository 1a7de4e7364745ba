import { Config } from '@backstage/config';
import { isValidTenantName } from '@akili/plugin-akili-common';
import { LakeArea } from './types';
import { checkPrefix } from './paths';

/** Default `lake.bucket`: one bucket per tenant. */
export const DEFAULT_LAKE_BUCKET_TEMPLATE = 'akili-{tenant}';
/** Default `lake.s3.timeoutMs`. */
export const DEFAULT_LAKE_S3_TIMEOUT_MS = 5000;
/** Default `lake.presign.maxExpirySeconds`. */
export const DEFAULT_LAKE_PRESIGN_MAX_EXPIRY_SECONDS = 300;

/** S3 access keys. */
export interface LakeS3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** One tenant's overrides (`lake.tenants.<tenant>`). */
export interface LakeTenantStorageConfig {
  bucket?: string;
  prefix?: string;
  credentials?: LakeS3Credentials;
}

/** `lake` as the storage reads it. */
export interface LakeStorageConfig {
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  /** The platform's user; absent when the SDK's default chain (env, instance role) is meant. */
  credentials?: LakeS3Credentials;
  timeoutMs: number;
  bucketTemplate: string;
  prefixTemplate: string;
  tenants: Record<string, LakeTenantStorageConfig>;
  presign: { maxExpirySeconds: number; endpoint?: string };
}

/** S3's bucket naming rule (3 to 63 lowercase letters, digits, `.` and `-`). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Whether a value is a bucket name S3 accepts. */
export function isValidBucketName(value: string): boolean {
  return (
    BUCKET_NAME.test(value) &&
    !value.includes('..') &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(value)
  );
}

function readUrl(value: string, key: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${key} is not a URL: "${value}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`${key} must be an http(s) URL, not "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function readCredentials(
  config: Config | undefined,
  key: string,
): LakeS3Credentials | undefined {
  if (!config) {
    return undefined;
  }
  const accessKeyId = config.getOptionalString('accessKeyId');
  const secretAccessKey = config.getOptionalString('secretAccessKey');
  if (!accessKeyId || !secretAccessKey) {
    throw new Error(
      `${key} needs both accessKeyId and secretAccessKey (${
        accessKeyId ? 'secretAccessKey' : 'accessKeyId'
      } is missing)`,
    );
  }
  return { accessKeyId, secretAccessKey };
}

function readWholeNumber(
  config: Config | undefined,
  name: string,
  key: string,
  defaultValue: number,
  min: number,
  max: number,
  unit: string,
): number {
  const value = config?.getOptionalNumber(name) ?? defaultValue;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(
      `${key} must be a whole number of ${unit} between ${min} and ${max}, not ${value}`,
    );
  }
  return value;
}

/**
 * Reads `lake` from app-config; undefined when `lake.s3` is not set (the lake is not
 * configured). A bad value throws an error naming its key.
 */
export function readLakeStorageConfig(
  config: Config,
): LakeStorageConfig | undefined {
  const lake = config.getOptionalConfig('lake');
  const s3 = lake?.getOptionalConfig('s3');
  if (!lake || !s3) {
    return undefined;
  }
  const endpoint = readUrl(s3.getString('endpoint'), 'lake.s3.endpoint');
  const region = s3.getOptionalString('region') ?? 'us-east-1';
  const forcePathStyle = s3.getOptionalBoolean('forcePathStyle') ?? true;
  const credentials = readCredentials(
    s3.getOptionalConfig('credentials'),
    'lake.s3.credentials',
  );
  const timeoutMs = readWholeNumber(
    s3,
    'timeoutMs',
    'lake.s3.timeoutMs',
    DEFAULT_LAKE_S3_TIMEOUT_MS,
    100,
    120_000,
    'milliseconds',
  );

  const bucketTemplate =
    lake.getOptionalString('bucket') ?? DEFAULT_LAKE_BUCKET_TEMPLATE;
  const prefixTemplate = lake.getOptionalString('prefix') ?? '';
  if (
    !bucketTemplate.includes('{tenant}') &&
    !prefixTemplate.includes('{tenant}')
  ) {
    throw new Error(
      `lake.bucket ("${bucketTemplate}") or lake.prefix ("${prefixTemplate}") must contain {tenant}: tenants never share a storage area`,
    );
  }
  // The templates must give a valid area for a tenant name of each shape.
  for (const sample of ['a', 'acme', 'a-very-long-tenant-name-0123456789']) {
    fillBucket(bucketTemplate, sample, 'lake.bucket');
    fillPrefix(prefixTemplate, sample, 'lake.prefix');
  }

  const tenants: Record<string, LakeTenantStorageConfig> = {};
  const tenantsConfig = lake.getOptionalConfig('tenants');
  for (const tenant of tenantsConfig?.keys() ?? []) {
    const key = `lake.tenants.${tenant}`;
    if (!isValidTenantName(tenant)) {
      throw new Error(`${key}: "${tenant}" is not a valid tenant name`);
    }
    const t = tenantsConfig!.getConfig(tenant);
    const bucket = t.getOptionalString('bucket');
    if (bucket !== undefined && !isValidBucketName(bucket)) {
      throw new Error(`${key}.bucket: "${bucket}" is not a valid bucket name`);
    }
    const prefix = t.getOptionalString('prefix');
    if (prefix !== undefined) {
      fillPrefix(prefix, tenant, `${key}.prefix`);
    }
    tenants[tenant] = {
      bucket,
      prefix,
      credentials: readCredentials(
        t.getOptionalConfig('credentials'),
        `${key}.credentials`,
      ),
    };
  }

  const presignConfig = lake.getOptionalConfig('presign');
  const presignEndpoint = presignConfig?.getOptionalString('endpoint');
  const storage: LakeStorageConfig = {
    endpoint,
    region,
    forcePathStyle,
    credentials,
    timeoutMs,
    bucketTemplate,
    prefixTemplate,
    tenants,
    presign: {
      maxExpirySeconds: readWholeNumber(
        presignConfig,
        'maxExpirySeconds',
        'lake.presign.maxExpirySeconds',
        DEFAULT_LAKE_PRESIGN_MAX_EXPIRY_SECONDS,
        1,
        3600,
        'seconds',
      ),
      endpoint: presignEndpoint
        ? readUrl(presignEndpoint, 'lake.presign.endpoint')
        : undefined,
    },
  };

  // Two configured tenants whose areas overlap would read each other's files.
  const configured = Object.keys(tenants);
  for (let i = 0; i < configured.length; i++) {
    for (let j = i + 1; j < configured.length; j++) {
      const a = tenantArea(storage, configured[i]);
      const b = tenantArea(storage, configured[j]);
      if (
        a.bucket === b.bucket &&
        (a.prefix.startsWith(b.prefix) || b.prefix.startsWith(a.prefix))
      ) {
        throw new Error(
          `lake.tenants.${configured[i]} and lake.tenants.${configured[j]} share storage (s3://${a.bucket}/${a.prefix} and s3://${b.bucket}/${b.prefix}): each tenant needs its own bucket or a prefix of its own`,
        );
      }
    }
  }
  // Nor may a tenant's own area be (or hold) the area the templates give another tenant.
  for (const tenant of configured) {
    const problem = overlapWithTemplates(storage, tenant);
    if (problem) {
      throw new Error(`lake.tenants.${tenant}: ${problem}`);
    }
  }
  return storage;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Why a configured tenant's area overlaps the templates' area of another tenant, if it does. */
function overlapWithTemplates(
  config: LakeStorageConfig,
  tenant: string,
): string | undefined {
  const area = tenantArea(config, tenant);
  const toPattern = (template: string) =>
    template
      .split('{tenant}')
      .map(escapeRegExp)
      .join('([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)');
  const bucketMatch = new RegExp(`^${toPattern(config.bucketTemplate)}$`).exec(
    area.bucket,
  );
  if (!bucketMatch) {
    return undefined;
  }
  const others = new Set<string>(bucketMatch.slice(1));
  let prefixTemplate =
    config.prefixTemplate === '/' ? '' : config.prefixTemplate;
  if (prefixTemplate !== '' && !prefixTemplate.endsWith('/')) {
    prefixTemplate = `${prefixTemplate}/`;
  }
  if (prefixTemplate.includes('{tenant}')) {
    const head = prefixTemplate.slice(0, prefixTemplate.indexOf('{tenant}'));
    if (others.size === 0 && head.startsWith(area.prefix)) {
      return `s3://${area.bucket}/${area.prefix} holds the storage of every tenant (lake.prefix "${config.prefixTemplate}")`;
    }
    const prefixMatch = new RegExp(`^${toPattern(prefixTemplate)}`).exec(
      area.prefix,
    );
    if (!prefixMatch) {
      return undefined;
    }
    prefixMatch.slice(1).forEach(t => others.add(t));
  } else if (
    !area.prefix.startsWith(prefixTemplate) &&
    !prefixTemplate.startsWith(area.prefix)
  ) {
    return undefined;
  }
  const other = [...others].find(t => t !== tenant);
  return other
    ? `s3://${area.bucket}/${area.prefix} overlaps the storage the templates give tenant ${other}`
    : undefined;
}

function fillBucket(template: string, tenant: string, key: string): string {
  const bucket = template.replace(/\{tenant\}/g, tenant);
  if (!isValidBucketName(bucket)) {
    throw new Error(
      `${key} "${template}" gives "${bucket}" for tenant ${tenant}, which is not a valid bucket name (3 to 63 lowercase letters, digits, '.' and '-')`,
    );
  }
  return bucket;
}

function fillPrefix(template: string, tenant: string, key: string): string {
  // `/` is the whole bucket (app-config has no empty strings).
  let prefix = template === '/' ? '' : template.replace(/\{tenant\}/g, tenant);
  if (prefix !== '' && !prefix.endsWith('/')) {
    prefix = `${prefix}/`;
  }
  const problem = checkPrefix(prefix);
  if (problem) {
    throw new Error(
      `${key} "${template}" gives the prefix "${prefix}" for tenant ${tenant}: ${problem}`,
    );
  }
  return prefix;
}

/**
 * A tenant's storage area: its overrides in `lake.tenants`, else the templates. Throws for an
 * invalid tenant name.
 */
export function tenantArea(
  config: LakeStorageConfig,
  tenant: string,
): LakeArea {
  if (!isValidTenantName(tenant)) {
    throw new Error(`Invalid tenant name "${tenant}" for the lake's storage`);
  }
  const override = config.tenants[tenant];
  const bucket =
    override?.bucket ??
    fillBucket(config.bucketTemplate, tenant, 'lake.bucket');
  const prefix =
    override?.prefix !== undefined
      ? fillPrefix(override.prefix, tenant, `lake.tenants.${tenant}.prefix`)
      : fillPrefix(config.prefixTemplate, tenant, 'lake.prefix');
  return { bucket, prefix };
}
