import type { JsonSchema } from '../manifest/schema';
import { QUALITY_DIMENSIONS, QualityDimension } from '../manifest/types';
import { AkiliEventFamily } from './types';

/** `dataproduct:<tenant>/<name>`, the entity ref of a data product. */
const PRODUCT_REF =
  '^dataproduct:[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';
const NAME = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
const PORT_NAME = '^[a-z0-9]([-_a-z0-9]*[a-z0-9])?$';

const text = (maxLength = 256): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength,
});
const productRef: JsonSchema = {
  type: 'string',
  pattern: PRODUCT_REF,
  maxLength: 256,
};
const timestamp: JsonSchema = { type: 'string', format: 'date-time' };
const tenantName: JsonSchema = { type: 'string', pattern: NAME, maxLength: 63 };
/** An entity ref of a user or group, e.g. `user:default/ada`. */
const principalRef: JsonSchema = text(256);

const accessPort: JsonSchema = objectSchema(
  {
    tenant: tenantName,
    product: productRef,
    port: { type: 'string', pattern: PORT_NAME, maxLength: 63 },
  },
  ['tenant', 'product', 'port'],
);
const accessConsumer: JsonSchema = objectSchema(
  { tenant: tenantName, product: productRef },
  ['tenant'],
);
const agreementId: JsonSchema = { type: 'string', format: 'uuid' };
const columnList: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 1000,
  items: text(255),
};

function objectSchema(
  properties: Record<string, JsonSchema>,
  required: string[],
): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    required,
    properties,
  };
}

/** Payload of `product.registered` v1: a data product entered the catalog. @public */
export type ProductRegisteredV1 = {
  /** `dataproduct:<tenant>/<name>`. */
  product: string;
  title?: string;
  /** Owner entity ref, e.g. `group:acme/team-orders`. */
  owner: string;
  domain?: string;
  /** Where the manifest was read from (repository URL). */
  source?: string;
  registeredBy: string;
};

/** Payload of `product.deployed` v1: a version of a data product went live in an environment. @public */
export type ProductDeployedV1 = {
  product: string;
  /** The deployed version (tag, semver or commit). */
  version: string;
  environment: string;
  deploymentId: string;
  commit?: string;
  deployedBy: string;
};

/**
 * Payload of `product.deployment.failed` v1: a deployment's pipeline failed or was canceled, so
 * the version did not go live.
 *
 * @public
 */
export type ProductDeploymentFailedV1 = {
  product: string;
  version: string;
  deploymentId: string;
  /** `failed` or `canceled`, as the pipeline ended. */
  status: 'failed' | 'canceled';
  /** The pipeline's web URL, to read its jobs' logs. */
  pipelineUrl?: string;
  deployedBy: string;
};

/** Payload of `execution.completed` v1: a run of a product's job ended. @public */
export type ExecutionCompletedV1 = {
  /** The orchestrator's run id (Dagster run id). */
  runId: string;
  product: string;
  job: string;
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  startedAt: string;
  endedAt: string;
  /** Error summary of a failed run. */
  message?: string;
};

/** One check of a `quality.checked` event. @public */
export type QualityCheckResultV1 = {
  name: string;
  status: 'PASS' | 'WARN' | 'FAIL' | 'ERROR';
  observedValue?: number | string | boolean | null;
  message?: string;
  /**
   * The check execution's id in the producer (Dagster's asset check execution id): the quality
   * store keeps one result per producer and execution id.
   */
  executionId?: string;
  /** When this check ran (ISO 8601), when not `checkedAt`. */
  observedAt?: string;
  /** For a check outside the contract: the dimension it counts in. */
  dimension?: QualityDimension;
  /** The check's severity, when the producer knows it. */
  severity?: 'error' | 'warning' | 'info';
  /** The threshold the value was compared with, as text (`< 0.01`). */
  threshold?: string;
  /** The partition checked, e.g. `2026-12-01`. */
  partition?: string;
};

/** Payload of `quality.checked` v1: the quality rules of an output port were evaluated. @public */
export type QualityCheckedV1 = {
  product: string;
  outputPort: string;
  /** The run that produced the data, when known. */
  runId?: string;
  checkedAt: string;
  /** `PASS` when every check passed, `WARN` with warnings only, `FAIL` otherwise. */
  outcome: 'PASS' | 'WARN' | 'FAIL';
  checks: QualityCheckResultV1[];
};

/** Payload of `tenant.created` v1. @public */
export type TenantCreatedV1 = {
  tenant: string;
  title: string;
  createdBy: string;
};

/** Payload of `tenant.suspended` v1. @public */
export type TenantSuspendedV1 = {
  tenant: string;
  reason: string;
  suspendedBy: string;
};

/** The output port an access agreement is about, and its tenant (the provider). @public */
export type AccessPortV1 = {
  tenant: string;
  /** `dataproduct:<tenant>/<name>`. */
  product: string;
  port: string;
};

/** The tenant an access agreement lets read, and its product that reads, when named. @public */
export type AccessConsumerV1 = {
  tenant: string;
  product?: string;
};

/**
 * Payload of `access.requested` v1: a member of the consumer tenant asked for access to another
 * tenant's output port. Published to both tenants' topics (one event each).
 *
 * @public
 */
export type AccessRequestedV1 = {
  /** The access agreement's id (UUID). */
  agreementId: string;
  provider: AccessPortV1;
  consumer: AccessConsumerV1;
  purpose: string;
  /**
   * The columns asked for; `['*']` for the whole port, when the consumer named none (it may not
   * read the provider's schema) and the provider names the columns when approving.
   */
  columns: string[];
  /** ISO 8601: the end of the access asked for. */
  until: string;
  requestedBy: string;
};

/**
 * Payload of `access.granted` v1: the provider tenant approved an agreement; the consumer tenant
 * may read `columns` of the port until `until`. Enforcement (StarRocks grants, the lake) acts on
 * it. Published to both tenants' topics.
 *
 * @public
 */
export type AccessGrantedV1 = {
  agreementId: string;
  provider: AccessPortV1;
  consumer: AccessConsumerV1;
  /** The columns granted (those asked for, or fewer). */
  columns: string[];
  until: string;
  decidedBy: string;
};

/**
 * Payload of `access.revoked` v1: an agreement in force ended, so the consumer tenant no longer
 * reads the port: `revoked` (by the provider, or the consumer giving it up) or `expired`.
 * Requests that end without ever granting access (rejected, withdrawn, lapsed) publish nothing:
 * they changed no access. Published to both tenants' topics.
 *
 * @public
 */
export type AccessRevokedV1 = {
  agreementId: string;
  provider: AccessPortV1;
  consumer: AccessConsumerV1;
  /** The columns that were granted. */
  columns: string[];
  reason: 'revoked' | 'expired';
  /** Who revoked it (absent for an expiry). */
  endedBy?: string;
  /** Why, as the person who revoked it wrote it. */
  note?: string;
};

/**
 * The payload type of each known event type and version: `AkiliEventDataMap['execution.completed'][1]`.
 *
 * @public
 */
export interface AkiliEventDataMap {
  'product.registered': { 1: ProductRegisteredV1 };
  'product.deployed': { 1: ProductDeployedV1 };
  'product.deployment.failed': { 1: ProductDeploymentFailedV1 };
  'execution.completed': { 1: ExecutionCompletedV1 };
  'quality.checked': { 1: QualityCheckedV1 };
  'tenant.created': { 1: TenantCreatedV1 };
  'tenant.suspended': { 1: TenantSuspendedV1 };
  'access.requested': { 1: AccessRequestedV1 };
  'access.granted': { 1: AccessGrantedV1 };
  'access.revoked': { 1: AccessRevokedV1 };
}

/** A known event type. @public */
export type AkiliEventType = keyof AkiliEventDataMap;

/**
 * What the registry knows of an event type: its family (which decides the topic) and the JSON
 * schema of the payload of each version.
 *
 * @public
 */
export interface AkiliEventTypeDefinition {
  family: AkiliEventFamily;
  description: string;
  /** The payload schema per version (`1`, `2`, ...). A new field or meaning is a new version. */
  versions: Readonly<Record<number, JsonSchema>>;
}

/**
 * The registry of Akili event types with their versioned payload schemas. Publishers and
 * consumers validate against it (see `validateAkiliEvent`).
 *
 * @public
 */
export const AKILI_EVENT_TYPES: Readonly<
  Record<AkiliEventType, AkiliEventTypeDefinition>
> = {
  'product.registered': {
    family: 'product',
    description: 'A data product was registered in the catalog.',
    versions: {
      1: objectSchema(
        {
          product: productRef,
          title: text(),
          owner: text(),
          domain: text(),
          source: text(2048),
          registeredBy: principalRef,
        },
        ['product', 'owner', 'registeredBy'],
      ),
    },
  },
  'product.deployed': {
    family: 'product',
    description: 'A version of a data product was deployed to an environment.',
    versions: {
      1: objectSchema(
        {
          product: productRef,
          version: text(128),
          environment: { type: 'string', pattern: NAME, maxLength: 63 },
          deploymentId: text(),
          commit: { type: 'string', pattern: '^[0-9a-f]{7,64}$' },
          deployedBy: principalRef,
        },
        ['product', 'version', 'environment', 'deploymentId', 'deployedBy'],
      ),
    },
  },
  'product.deployment.failed': {
    family: 'product',
    description:
      'A deployment of a data product failed: its pipeline failed or was canceled.',
    versions: {
      1: objectSchema(
        {
          product: productRef,
          version: text(128),
          deploymentId: text(),
          status: { enum: ['failed', 'canceled'] },
          pipelineUrl: text(2048),
          deployedBy: principalRef,
        },
        ['product', 'version', 'deploymentId', 'status', 'deployedBy'],
      ),
    },
  },
  'execution.completed': {
    family: 'execution',
    description: "A run of a data product's job ended.",
    versions: {
      1: objectSchema(
        {
          runId: text(128),
          product: productRef,
          job: text(),
          status: { enum: ['SUCCESS', 'FAILURE', 'CANCELED'] },
          startedAt: timestamp,
          endedAt: timestamp,
          message: text(4096),
        },
        ['runId', 'product', 'job', 'status', 'startedAt', 'endedAt'],
      ),
    },
  },
  'quality.checked': {
    family: 'quality',
    description:
      "The quality rules of a data product's output port were evaluated.",
    versions: {
      1: objectSchema(
        {
          product: productRef,
          outputPort: text(128),
          runId: text(128),
          checkedAt: timestamp,
          outcome: { enum: ['PASS', 'WARN', 'FAIL'] },
          checks: {
            type: 'array',
            minItems: 1,
            maxItems: 1000,
            items: objectSchema(
              {
                name: text(),
                status: { enum: ['PASS', 'WARN', 'FAIL', 'ERROR'] },
                observedValue: {
                  type: ['number', 'string', 'boolean', 'null'],
                },
                message: text(4096),
                executionId: text(200),
                observedAt: timestamp,
                dimension: { enum: [...QUALITY_DIMENSIONS] },
                severity: { enum: ['error', 'warning', 'info'] },
                threshold: text(256),
                partition: text(256),
              },
              ['name', 'status'],
            ),
          },
        },
        ['product', 'outputPort', 'checkedAt', 'outcome', 'checks'],
      ),
    },
  },
  'tenant.created': {
    family: 'tenant',
    description: 'A tenant was created.',
    versions: {
      1: objectSchema(
        { tenant: tenantName, title: text(), createdBy: principalRef },
        ['tenant', 'title', 'createdBy'],
      ),
    },
  },
  'tenant.suspended': {
    family: 'tenant',
    description: 'A tenant was suspended.',
    versions: {
      1: objectSchema(
        { tenant: tenantName, reason: text(1024), suspendedBy: principalRef },
        ['tenant', 'reason', 'suspendedBy'],
      ),
    },
  },

  'access.requested': {
    family: 'access',
    description:
      "A tenant asked for access to another tenant's output port (one event in each tenant's topic).",
    versions: {
      1: objectSchema(
        {
          agreementId,
          provider: accessPort,
          consumer: accessConsumer,
          purpose: text(2000),
          columns: columnList,
          until: timestamp,
          requestedBy: principalRef,
        },
        [
          'agreementId',
          'provider',
          'consumer',
          'purpose',
          'columns',
          'until',
          'requestedBy',
        ],
      ),
    },
  },
  'access.granted': {
    family: 'access',
    description:
      "A tenant approved another tenant's access to its output port (one event in each tenant's topic).",
    versions: {
      1: objectSchema(
        {
          agreementId,
          provider: accessPort,
          consumer: accessConsumer,
          columns: columnList,
          until: timestamp,
          decidedBy: principalRef,
        },
        [
          'agreementId',
          'provider',
          'consumer',
          'columns',
          'until',
          'decidedBy',
        ],
      ),
    },
  },
  'access.revoked': {
    family: 'access',
    description:
      "Access in force to another tenant's output port ended: revoked or expired (one event in each tenant's topic).",
    versions: {
      1: objectSchema(
        {
          agreementId,
          provider: accessPort,
          consumer: accessConsumer,
          columns: columnList,
          reason: { enum: ['revoked', 'expired'] },
          endedBy: principalRef,
          note: text(2000),
        },
        ['agreementId', 'provider', 'consumer', 'columns', 'reason'],
      ),
    },
  },
};

/** Whether `type` is a known event type. @public */
export function isAkiliEventType(type: unknown): type is AkiliEventType {
  return (
    typeof type === 'string' &&
    Object.prototype.hasOwnProperty.call(AKILI_EVENT_TYPES, type)
  );
}

/**
 * The family of an event type, which decides its topic. Throws for an unknown type.
 *
 * @public
 */
export function akiliEventFamily(type: string): AkiliEventFamily {
  if (!isAkiliEventType(type)) {
    throw new Error(
      `Unknown Akili event type '${type}'; known types: ${Object.keys(
        AKILI_EVENT_TYPES,
      ).join(', ')}`,
    );
  }
  return AKILI_EVENT_TYPES[type].family;
}
