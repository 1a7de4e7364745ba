/**
 * The JSON Schema (draft-07) of the DataProduct manifest.
 *
 * `spec` is strict: an unknown field is an error. `metadata` accepts the Backstage entity
 * metadata fields, including those the catalog adds (`uid`, `etag`), so the same schema checks
 * manifests in files and entities in the catalog. Checks across fields (duplicate names, rule
 * ports and columns, cron, durations) are not expressible here: `validateManifestObject` and
 * `parseManifest` run them after the schema.
 */

import { LOGICAL_TYPES, QUALITY_DIMENSIONS } from './types';
import { NAME_PATTERN, PORT_NAME_PATTERN } from './patterns';

/** A JSON Schema document. */
export type JsonSchema = { [keyword: string]: unknown };

export { NAME_PATTERN, PORT_NAME_PATTERN };

const nonEmptyString = { type: 'string', minLength: 1 };
const stringArray = { type: 'array', items: nonEmptyString };
const stringMap = {
  type: 'object',
  additionalProperties: { type: 'string' },
};
const portName = { type: 'string', pattern: PORT_NAME_PATTERN, maxLength: 63 };

/** The manifest schema; `definitions` name the parts after the TypeScript types. */
export const dataProductManifestSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://akili.io/schemas/data-product/v1alpha1.json',
  title: 'Akili DataProduct manifest',
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'akili.io/v1alpha1' },
    kind: { const: 'DataProduct' },
    metadata: { $ref: '#/definitions/Metadata' },
    spec: { $ref: '#/definitions/DataProductSpec' },
    // Set by the catalog on stored entities.
    relations: { type: 'array' },
    status: { type: 'object' },
  },
  definitions: {
    Metadata: {
      type: 'object',
      required: ['name', 'namespace'],
      additionalProperties: false,
      properties: {
        name: {
          type: 'string',
          pattern: NAME_PATTERN,
          maxLength: 63,
          description: 'Product name, unique in its tenant.',
        },
        namespace: {
          type: 'string',
          pattern: NAME_PATTERN,
          maxLength: 63,
          description: 'The tenant.',
        },
        title: nonEmptyString,
        description: { type: 'string' },
        tags: stringArray,
        labels: stringMap,
        annotations: stringMap,
        links: {
          type: 'array',
          items: {
            type: 'object',
            required: ['url'],
            additionalProperties: false,
            properties: {
              url: nonEmptyString,
              title: { type: 'string' },
              icon: { type: 'string' },
              type: { type: 'string' },
            },
          },
        },
        // Added by the catalog.
        uid: { type: 'string' },
        etag: { type: 'string' },
        generation: { type: 'integer' },
      },
    },
    DataProductSpec: {
      type: 'object',
      required: ['type', 'lifecycle', 'owner', 'domain', 'outputPorts'],
      additionalProperties: false,
      properties: {
        type: { enum: ['source-aligned', 'aggregate', 'consumer-aligned'] },
        lifecycle: { enum: ['experimental', 'production', 'deprecated'] },
        owner: nonEmptyString,
        domain: nonEmptyString,
        version: nonEmptyString,
        inputPorts: {
          type: 'array',
          items: { $ref: '#/definitions/InputPort' },
        },
        outputPorts: {
          type: 'array',
          minItems: 1,
          items: { $ref: '#/definitions/OutputPort' },
        },
        transformation: { $ref: '#/definitions/Transformation' },
        schedule: { $ref: '#/definitions/Schedule' },
        quality: {
          type: 'array',
          items: { $ref: '#/definitions/QualityRule' },
        },
        slos: { $ref: '#/definitions/ServiceLevelObjectives' },
        support: { $ref: '#/definitions/Support' },
        team: {
          type: 'array',
          items: { $ref: '#/definitions/TeamMember' },
        },
      },
    },
    InputPort: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: {
        name: portName,
        description: { type: 'string' },
        product: nonEmptyString,
        port: portName,
        external: {
          type: 'object',
          required: ['system', 'location'],
          additionalProperties: false,
          properties: {
            system: nonEmptyString,
            location: nonEmptyString,
            description: { type: 'string' },
          },
        },
      },
      oneOf: [{ required: ['product', 'port'] }, { required: ['external'] }],
    },
    OutputPort: {
      type: 'object',
      required: ['name', 'kind', 'location', 'schema'],
      additionalProperties: false,
      properties: {
        name: portName,
        title: nonEmptyString,
        description: { type: 'string' },
        kind: { enum: ['table', 'view', 'topic', 'files', 'api'] },
        location: { $ref: '#/definitions/OutputPortLocation' },
        schema: {
          type: 'array',
          items: { $ref: '#/definitions/DataProductColumn' },
        },
        contract: { $ref: '#/definitions/DataContract' },
      },
    },
    OutputPortLocation: {
      type: 'object',
      additionalProperties: false,
      properties: {
        table: {
          type: 'object',
          required: ['database', 'table'],
          additionalProperties: false,
          properties: {
            catalog: nonEmptyString,
            database: nonEmptyString,
            table: nonEmptyString,
          },
        },
        s3: {
          type: 'object',
          required: ['bucket', 'prefix'],
          additionalProperties: false,
          properties: {
            bucket: nonEmptyString,
            prefix: { type: 'string' },
            format: nonEmptyString,
          },
        },
        kafka: {
          type: 'object',
          required: ['topic'],
          additionalProperties: false,
          properties: {
            topic: nonEmptyString,
            format: nonEmptyString,
          },
        },
      },
      oneOf: [
        { required: ['table'] },
        { required: ['s3'] },
        { required: ['kafka'] },
      ],
    },
    DataProductColumn: {
      type: 'object',
      required: ['name', 'type'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255 },
        type: {
          enum: [...LOGICAL_TYPES],
        },
        physicalType: nonEmptyString,
        description: { type: 'string' },
        required: { type: 'boolean' },
        primaryKey: { type: 'boolean' },
        unique: { type: 'boolean' },
        classification: {
          enum: ['public', 'internal', 'confidential', 'pii', 'sensitive-pii'],
        },
        tags: stringArray,
        examples: { type: 'array', items: { type: 'string' } },
      },
    },
    DataContract: {
      type: 'object',
      required: ['version'],
      additionalProperties: false,
      properties: {
        id: nonEmptyString,
        version: nonEmptyString,
        status: { enum: ['draft', 'active', 'deprecated', 'retired'] },
        usage: { type: 'string' },
        limitations: { type: 'string' },
      },
    },
    Transformation: {
      type: 'object',
      required: ['language', 'entrypoint'],
      additionalProperties: false,
      properties: {
        language: { enum: ['sql', 'python'] },
        entrypoint: nonEmptyString,
        dagster: {
          type: 'object',
          required: ['codeLocation'],
          additionalProperties: false,
          properties: {
            codeLocation: nonEmptyString,
            repository: nonEmptyString,
            job: nonEmptyString,
            assetKeys: {
              type: 'array',
              items: { type: 'array', minItems: 1, items: nonEmptyString },
            },
          },
        },
      },
    },
    Schedule: {
      type: 'object',
      required: ['cron'],
      additionalProperties: false,
      properties: {
        cron: nonEmptyString,
        timezone: nonEmptyString,
      },
    },
    QualityRule: {
      type: 'object',
      // operator and threshold: required unless the rule has an engine (semantics.ts).
      required: ['name', 'type', 'severity'],
      additionalProperties: false,
      properties: {
        name: portName,
        description: { type: 'string' },
        type: {
          enum: [
            'completeness',
            'uniqueness',
            'freshness',
            'volume',
            'validity',
            'custom',
          ],
        },
        port: portName,
        column: nonEmptyString,
        metric: nonEmptyString,
        query: nonEmptyString,
        operator: { enum: ['<', '<=', '=', '!=', '>=', '>', 'between'] },
        threshold: {
          type: ['number', 'array'],
          items: { type: 'number' },
        },
        dimension: {
          enum: [...QUALITY_DIMENSIONS],
        },
        severity: { enum: ['error', 'warning', 'info'] },
        engine: nonEmptyString,
        implementation: { type: 'string' },
      },
    },
    ServiceLevelObjectives: {
      type: 'object',
      additionalProperties: false,
      properties: {
        freshness: {
          type: 'object',
          required: ['maxDelay'],
          additionalProperties: false,
          properties: {
            maxDelay: nonEmptyString,
            port: portName,
          },
        },
        availability: {
          type: 'object',
          required: ['target'],
          additionalProperties: false,
          properties: {
            target: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
          },
        },
      },
    },
    Support: {
      type: 'object',
      additionalProperties: false,
      properties: {
        channel: nonEmptyString,
        email: { type: 'string', format: 'email' },
        url: { type: 'string', format: 'uri' },
      },
    },
    TeamMember: {
      type: 'object',
      required: ['user', 'role'],
      additionalProperties: false,
      properties: {
        user: nonEmptyString,
        role: { enum: ['owner', 'developer', 'steward', 'consumer-contact'] },
      },
    },
  },
};
