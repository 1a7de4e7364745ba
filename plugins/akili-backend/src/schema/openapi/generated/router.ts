//
// Generated from plugins/akili-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'akili',
    version: '1',
    description:
      'The Akili control plane, served under `/api/akili`: validate, submit and deploy data product\nmanifests (Akili, ODPS or ODCS), read the product registry and export products as ODPS/ODCS,\nmanage tenants, their members, audit trail, events and dead letters, and issue the\ntenant-scoped API tokens the CLI and GitLab CI use.\n\nEvery route but the GitLab webhook needs a bearer token. The tenant always comes from the\nroute and the caller\'s credentials, never from the body: a tenant (or a product, a token, a\ndead letter) the caller may not see answers 404 exactly like one that does not exist.\n\nExample: `curl -H "Authorization: Bearer $AKILI_TOKEN" -H \'Content-Type: application/yaml\'\n--data-binary @dataproduct.yaml "$PORTAL/api/akili/v1/tenants/northwind/products?dryRun=true"`.\n',
    license: {
      name: 'UNLICENSED',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  tags: [
    {
      name: 'Manifests',
      description:
        'Validating manifests and exporting catalog products as ODPS and ODCS.',
    },
    {
      name: 'Products',
      description: 'The product registry (submissions, versions, name checks).',
    },
    {
      name: 'Deployments',
      description:
        'Deploying registered products through their GitLab pipeline.',
    },
    {
      name: 'Tenants',
      description:
        'Who the caller is, tenants, members, audit trail, events and dead letters.',
    },
    {
      name: 'API tokens',
      description:
        "Tenant-scoped API tokens for the CLI and CI, issued by the tenant's operators.",
    },
    {
      name: 'Reviews',
      description:
        "GitLab's merge-request webhook (consumer impact as a note).",
    },
    {
      name: 'Internal',
      description:
        "Routes for the portal's backend plugins only (they span tenants).",
    },
  ],
  security: [
    {
      backstageToken: [],
    },
    {
      akiliApiToken: [],
    },
  ],
  components: {
    securitySchemes: {
      backstageToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "A Backstage user token (the portal's session, or `akili login` for the CLI). The caller acts\nas that person, with the roles their tenants give them.\n",
      },
      akiliApiToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'akili_<payload>.<signature>',
        description:
          'A tenant-scoped Akili API token (issued on the Tenants page, `POST\n/api/akili/v1/tenants/{tenant}/api-tokens`): one tenant and the permissions it was issued\nwith.\n',
      },
      backstagePluginToken: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          "The service token of one of the portal's backend plugins (`plugin:<id>`). Users, API tokens\nand other services are refused (403).\n",
      },
    },
    parameters: {
      tenant: {
        name: 'tenant',
        in: 'path',
        required: true,
        description:
          "The tenant's name (its catalog namespace). A tenant the caller may not see answers 404\nlike one that does not exist.\n",
        schema: {
          type: 'string',
        },
        example: 'northwind',
      },
      productName: {
        name: 'name',
        in: 'path',
        required: true,
        description:
          "The data product's name (`metadata.name`: lowercase letters, digits and dashes); another\nname answers 400.\n",
        schema: {
          type: 'string',
        },
        example: 'orders',
      },
      dryRun: {
        name: 'dryRun',
        in: 'query',
        required: false,
        description:
          'Check everything and answer what would happen, changing nothing.',
        schema: {
          type: 'boolean',
          default: false,
        },
      },
      limit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Most entries in the page (1 to 200; 50 by default).',
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
          default: 50,
        },
      },
      cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description: 'The `nextCursor` of the page before.',
        schema: {
          type: 'string',
        },
      },
    },
    requestBodies: {
      Manifest: {
        required: true,
        description:
          'The document as text: an Akili `DataProduct` manifest, an ODPS product or an ODCS\ncontract, up to 1 MiB. JSON is read as text too, so problems name their line.\n',
        content: {
          'application/yaml': {
            schema: {
              type: 'string',
            },
            example:
              'apiVersion: akili.io/v1alpha1\nkind: DataProduct\nmetadata:\n  name: orders\n  namespace: northwind\nspec:\n  owner: group:northwind/retail\n  lifecycle: production\n',
          },
          'application/x-yaml': {
            schema: {
              type: 'string',
            },
          },
          'text/yaml': {
            schema: {
              type: 'string',
            },
          },
          'text/x-yaml': {
            schema: {
              type: 'string',
            },
          },
          'text/plain': {
            schema: {
              type: 'string',
            },
          },
          'application/json': {
            schema: {
              type: 'string',
            },
          },
        },
      },
    },
    responses: {
      Error: {
        description: "An error, in Backstage's error format.",
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
      Tenant: {
        description: 'The tenant.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Tenant',
            },
            example: {
              name: 'northwind',
              title: 'Northwind Traders',
              status: 'active',
              quotas: {
                queryRowLimit: 10000,
                maxConcurrentQueries: 4,
              },
              groups: [
                {
                  role: 'consumer',
                  group: 'akili-northwind-consumers',
                },
                {
                  role: 'developer',
                  group: 'akili-northwind-developers',
                },
                {
                  role: 'operator',
                  group: 'akili-northwind-operators',
                },
              ],
              memberCount: 12,
              createdAt: '2026-11-02T09:00:00.000Z',
              createdBy: 'user:default/admin',
              updatedAt: '2026-11-02T09:00:00.000Z',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        additionalProperties: false,
        description:
          "Backstage's error answer (`@backstage/errors`' serialized error).",
        properties: {
          error: {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: {
                type: 'string',
                example: 'InputError',
              },
              message: {
                type: 'string',
                example:
                  'request/query/format must be equal to one of the allowed values: odps, odcs',
              },
            },
            required: ['name', 'message'],
          },
          request: {
            type: 'object',
            additionalProperties: false,
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
          },
          response: {
            type: 'object',
            additionalProperties: false,
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
          },
        },
        required: ['error'],
      },
      Role: {
        type: 'string',
        enum: ['consumer', 'developer', 'operator'],
      },
      Timestamp: {
        type: 'string',
        format: 'date-time',
      },
      Manifest: {
        type: 'object',
        additionalProperties: true,
        description:
          'A data product manifest in Akili form (`apiVersion: akili.io/v1alpha1`, `kind:\nDataProduct`, `metadata`, `spec`), as the manifest JSON schema of akili-common describes it.\n',
      },
      ManifestProblem: {
        type: 'object',
        additionalProperties: false,
        properties: {
          path: {
            type: 'string',
            description: 'JSON path of the offending value.',
            example: '$.spec.outputPorts[1].name',
          },
          line: {
            type: 'integer',
            description: '1-based line in the text, when known.',
          },
          column: {
            type: 'integer',
            description: '1-based column in the text, when known.',
          },
          message: {
            type: 'string',
          },
        },
        required: ['path', 'message'],
      },
      ManifestChange: {
        type: 'object',
        additionalProperties: false,
        properties: {
          kind: {
            type: 'string',
            description:
              'What kind of change (a port, a column, a rule... added, removed or changed).',
          },
          path: {
            type: 'string',
            example: 'spec.outputPorts[orders].schema[amount].type',
          },
          message: {
            type: 'string',
          },
          breaking: {
            type: 'boolean',
            description:
              'Whether a consumer of the product as it was may break.',
          },
        },
        required: ['kind', 'path', 'message', 'breaking'],
      },
      ManifestDiff: {
        type: 'object',
        additionalProperties: false,
        properties: {
          changes: {
            type: 'array',
            description: 'Every change, breaking ones first.',
            items: {
              $ref: '#/components/schemas/ManifestChange',
            },
          },
          breaking: {
            type: 'boolean',
          },
          previousVersion: {
            type: 'string',
          },
          nextVersion: {
            type: 'string',
          },
          requiresMajorBump: {
            type: 'boolean',
            description:
              'Whether the changes need a new major `spec.version` that the submission lacks.',
          },
        },
        required: ['changes', 'breaking', 'requiresMajorBump'],
      },
      ProductImpact: {
        type: 'object',
        additionalProperties: false,
        description:
          'The downstream products the caller may see (others are neither named nor counted).',
        properties: {
          consumers: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                entityRef: {
                  type: 'string',
                },
                title: {
                  type: 'string',
                },
                owner: {
                  type: 'string',
                },
                ports: {
                  type: 'array',
                  description: "The submitted product's output ports it reads.",
                  items: {
                    type: 'string',
                  },
                },
                affected: {
                  type: 'boolean',
                  description:
                    'Whether it reads a port a breaking change touches.',
                },
              },
              required: ['entityRef', 'owner', 'ports', 'affected'],
            },
          },
        },
        required: ['consumers'],
      },
      ProductStatus: {
        type: 'string',
        enum: ['draft', 'registered', 'deployed', 'deprecated'],
      },
      ProductSummary: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
            example: 'dataproduct:northwind/orders',
          },
          tenant: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/ProductStatus',
          },
          version: {
            type: 'string',
            description: '`spec.version` of the current revision, when set.',
          },
          revision: {
            type: 'integer',
            description:
              '1 for the first submission, one more for each later one.',
          },
        },
        required: ['entityRef', 'tenant', 'name', 'status', 'revision'],
      },
      ProductRegistryEntry: {
        type: 'object',
        additionalProperties: false,
        properties: {
          entityRef: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/ProductStatus',
          },
          version: {
            type: 'string',
          },
          revision: {
            type: 'integer',
          },
          createdAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          createdBy: {
            type: 'string',
          },
          updatedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          manifest: {
            $ref: '#/components/schemas/Manifest',
          },
          versions: {
            type: 'array',
            description: 'Newest first.',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                revision: {
                  type: 'integer',
                },
                version: {
                  type: 'string',
                },
                format: {
                  type: 'string',
                  enum: ['akili', 'odps', 'odcs'],
                },
                submittedBy: {
                  type: 'string',
                },
                submittedAt: {
                  $ref: '#/components/schemas/Timestamp',
                },
                diff: {
                  $ref: '#/components/schemas/ManifestDiff',
                },
                breakingAcknowledged: {
                  type: 'boolean',
                },
              },
              required: [
                'revision',
                'format',
                'submittedBy',
                'submittedAt',
                'diff',
                'breakingAcknowledged',
              ],
            },
          },
        },
        required: [
          'entityRef',
          'tenant',
          'name',
          'status',
          'revision',
          'createdAt',
          'createdBy',
          'updatedAt',
          'manifest',
          'versions',
        ],
      },
      SubmitProductResponse: {
        type: 'object',
        additionalProperties: false,
        properties: {
          stored: {
            type: 'boolean',
          },
          product: {
            $ref: '#/components/schemas/ProductSummary',
          },
          diff: {
            $ref: '#/components/schemas/ManifestDiff',
          },
          warnings: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          impact: {
            $ref: '#/components/schemas/ProductImpact',
          },
          conflict: {
            type: 'string',
            description:
              'Dry run only, why the submission itself would be refused (409).',
          },
        },
        required: ['stored', 'product', 'diff', 'warnings', 'impact'],
      },
      DeploymentStatus: {
        type: 'string',
        enum: [
          'pending',
          'running',
          'success',
          'failed',
          'canceled',
          'unknown',
        ],
      },
      ProductDeployment: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
            format: 'uuid',
          },
          entityRef: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          revision: {
            type: 'integer',
          },
          version: {
            type: 'string',
          },
          requestedBy: {
            type: 'string',
          },
          requestedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          gitlabProject: {
            type: 'string',
            description: '`<rootGroup>/<tenant>/<name>`.',
          },
          ref: {
            type: 'string',
            description: "The project's default branch.",
          },
          pipelineId: {
            type: 'integer',
          },
          pipelineUrl: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/DeploymentStatus',
          },
          finishedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          message: {
            type: 'string',
            description: 'Why it failed or is unknown, when known.',
          },
        },
        required: [
          'id',
          'entityRef',
          'tenant',
          'name',
          'revision',
          'requestedBy',
          'requestedAt',
          'gitlabProject',
          'ref',
          'status',
        ],
      },
      TenantQuotas: {
        type: 'object',
        additionalProperties: false,
        properties: {
          queryRowLimit: {
            type: 'integer',
            description: 'Most rows one query may return.',
          },
          maxConcurrentQueries: {
            type: 'integer',
            description: 'Most queries of the tenant running at once.',
          },
          storageQuotaBytes: {
            type: 'integer',
            description:
              'Bytes the tenant may store in the lake; no quota when absent.',
          },
        },
        required: ['queryRowLimit', 'maxConcurrentQueries'],
      },
      TenantQuotasInput: {
        type: 'object',
        description:
          'Any of the quotas; unknown fields are refused (400 naming them).',
        properties: {
          queryRowLimit: {
            type: 'integer',
            minimum: 1,
            maximum: 2147483647,
          },
          maxConcurrentQueries: {
            type: 'integer',
            minimum: 1,
            maximum: 2147483647,
          },
          storageQuotaBytes: {
            type: 'integer',
            minimum: 1,
            maximum: 9007199254740991,
          },
        },
      },
      Tenant: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: {
            type: 'string',
          },
          title: {
            type: 'string',
          },
          description: {
            type: 'string',
          },
          status: {
            type: 'string',
            enum: ['active', 'suspended'],
          },
          suspendedReason: {
            type: 'string',
          },
          quotas: {
            $ref: '#/components/schemas/TenantQuotas',
          },
          groups: {
            type: 'array',
            description: 'The identity provider group that grants each role.',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                role: {
                  $ref: '#/components/schemas/Role',
                },
                group: {
                  type: 'string',
                },
              },
              required: ['role', 'group'],
            },
          },
          memberCount: {
            type: 'integer',
          },
          createdAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          createdBy: {
            type: 'string',
          },
          updatedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
        },
        required: [
          'name',
          'title',
          'status',
          'quotas',
          'groups',
          'memberCount',
          'createdAt',
          'createdBy',
          'updatedAt',
        ],
      },
      DeadLetter: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          topic: {
            type: 'string',
          },
          consumerGroup: {
            type: 'string',
          },
          reason: {
            type: 'string',
            description:
              "invalid-json, invalid-event, tenant-mismatch, handler-failed (or another producer's).",
          },
          detail: {
            type: 'string',
          },
          attempts: {
            type: 'integer',
          },
          eventId: {
            type: 'string',
          },
          eventType: {
            type: 'string',
          },
          key: {
            type: 'string',
          },
          payload: {
            type: 'string',
            description:
              'The original message, cut to 8,000 characters in lists.',
          },
          payloadTruncated: {
            type: 'boolean',
          },
          deadLetteredAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          retriedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          retriedBy: {
            type: 'string',
          },
          retries: {
            type: 'integer',
          },
        },
        required: [
          'id',
          'tenant',
          'topic',
          'reason',
          'detail',
          'key',
          'payload',
          'deadLetteredAt',
          'retries',
        ],
      },
      ApiToken: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
            description: '`<tenant>.<uuid>`.',
          },
          tenant: {
            type: 'string',
          },
          name: {
            type: 'string',
          },
          permissions: {
            type: 'array',
            items: {
              type: 'string',
            },
          },
          status: {
            type: 'string',
            enum: ['active', 'expired', 'revoked'],
          },
          createdBy: {
            type: 'string',
          },
          createdAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          expiresAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          lastUsedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          revokedAt: {
            $ref: '#/components/schemas/Timestamp',
          },
          revokedBy: {
            type: 'string',
          },
        },
        required: [
          'id',
          'tenant',
          'name',
          'permissions',
          'status',
          'createdBy',
          'createdAt',
          'expiresAt',
        ],
      },
    },
  },
  paths: {
    '/v1/manifests/validate': {
      post: {
        operationId: 'ValidateManifest',
        tags: ['Manifests'],
        summary: 'Validate one manifest, ODPS product or ODCS contract.',
        description:
          "Reads one document alone (as `akili validate` does): contracts it names but does not\ncarry are warnings. Any signed-in user or API token; no tenant's data is read.\n",
        requestBody: {
          $ref: '#/components/requestBodies/Manifest',
        },
        responses: {
          '200': {
            description:
              'The document was read; `valid` says whether it is a valid product.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    valid: {
                      type: 'boolean',
                    },
                    kind: {
                      type: 'string',
                      enum: ['akili', 'odps', 'odcs', 'unknown'],
                    },
                    errors: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ManifestProblem',
                      },
                    },
                    warnings: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ManifestProblem',
                      },
                    },
                  },
                  required: ['valid', 'kind', 'errors', 'warnings'],
                },
                example: {
                  valid: false,
                  kind: 'akili',
                  errors: [
                    {
                      path: '$.metadata.name',
                      line: 4,
                      column: 9,
                      message: 'must match pattern "^[a-z0-9]+(-[a-z0-9]+)*$"',
                    },
                  ],
                  warnings: [],
                },
              },
            },
          },
          '400': {
            description:
              'Not a readable document (the message names the line and column), or no body.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '413': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/products/{namespace}/{name}/export': {
      get: {
        operationId: 'ExportProduct',
        tags: ['Manifests'],
        summary:
          "Export a catalog data product as an ODPS product or one port's ODCS contract.",
        description:
          "JSON by default, YAML with `Accept: application/yaml`. The catalog is read with the\ncaller's credentials (an API token: its own tenant's products only).\n",
        parameters: [
          {
            name: 'namespace',
            in: 'path',
            required: true,
            description: "The product's tenant (catalog namespace).",
            schema: {
              type: 'string',
            },
            example: 'northwind',
          },
          {
            $ref: '#/components/parameters/productName',
          },
          {
            name: 'format',
            in: 'query',
            required: false,
            description:
              '`odps` (the product, default) or `odcs` (the contract of one output port).',
            schema: {
              type: 'string',
              enum: ['odps', 'odcs'],
              default: 'odps',
            },
          },
          {
            name: 'port',
            in: 'query',
            required: false,
            description:
              'With `format=odcs`, the output port whose contract to export.',
            schema: {
              type: 'string',
            },
            example: 'orders',
          },
        ],
        responses: {
          '200': {
            description: 'The ODPS product or ODCS contract.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: true,
                  description:
                    'An ODPS v1 data product or an ODCS v3 data contract.',
                },
                example: {
                  apiVersion: 'v1.0.0',
                  kind: 'DataProduct',
                  id: 'northwind/orders',
                  status: 'active',
                },
              },
              'application/yaml': {
                schema: {
                  type: 'string',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/products': {
      post: {
        operationId: 'SubmitProduct',
        tags: ['Products'],
        summary:
          "Submit a manifest (Akili, ODPS or ODCS) to the tenant's product registry.",
        description:
          "The product is registered in the route's tenant, whatever its text says. It is validated,\ndiffed against the current revision and its consumers listed. Breaking changes are held\nback (409 with the diff) unless `acknowledgeBreaking=true` and `spec.version` has a new\nmajor. An input port on another tenant's product needs an access agreement in force (400\nwithout one; 503 when the lake backend cannot say). Needs `akili.product.submit`\n(developers, operators, tokens with it).\n",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/dryRun',
          },
          {
            name: 'acknowledgeBreaking',
            in: 'query',
            required: false,
            description:
              'Accept breaking changes that come with a new major version.',
            schema: {
              type: 'boolean',
              default: false,
            },
          },
        ],
        requestBody: {
          $ref: '#/components/requestBodies/Manifest',
        },
        responses: {
          '200': {
            description:
              'A dry run (`stored: false`), with `conflict` when the submission would be refused.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/SubmitProductResponse',
                },
              },
            },
          },
          '201': {
            description: 'Registered as a new revision.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/SubmitProductResponse',
                },
                example: {
                  stored: true,
                  product: {
                    entityRef: 'dataproduct:northwind/orders',
                    tenant: 'northwind',
                    name: 'orders',
                    status: 'registered',
                    version: '1.2.0',
                    revision: 3,
                  },
                  diff: {
                    changes: [
                      {
                        kind: 'column-added',
                        path: 'spec.outputPorts[orders].schema[discount]',
                        message: 'column discount added',
                        breaking: false,
                      },
                    ],
                    breaking: false,
                    previousVersion: '1.1.0',
                    nextVersion: '1.2.0',
                    requiresMajorBump: false,
                  },
                  warnings: [],
                  impact: {
                    consumers: [],
                  },
                },
              },
            },
          },
          '400': {
            description:
              'Not a valid manifest (the first problems with path and line), or a bad parameter.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            description:
              'Breaking changes not acknowledged or without a new major version; the diff and impact beside the error.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    error: {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        name: {
                          type: 'string',
                          enum: ['ConflictError'],
                        },
                        message: {
                          type: 'string',
                        },
                      },
                      required: ['name', 'message'],
                    },
                    diff: {
                      $ref: '#/components/schemas/ManifestDiff',
                    },
                    impact: {
                      $ref: '#/components/schemas/ProductImpact',
                    },
                  },
                  required: ['error', 'diff', 'impact'],
                },
              },
            },
          },
          '413': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/products/{name}': {
      get: {
        operationId: 'GetProduct',
        tags: ['Products'],
        summary:
          "A product's registry entry, its current manifest and every version.",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/productName',
          },
        ],
        responses: {
          '200': {
            description: 'The entry; versions newest first.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ProductRegistryEntry',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/product-names/{name}': {
      get: {
        operationId: 'CheckProductName',
        tags: ['Products'],
        summary: 'Whether a new data product may take a name in the tenant.',
        description:
          'Free in the registry, in the catalog as the caller sees it, and in GitLab\n(`<rootGroup>/<tenant>/<name>`). GitLab down or not configured: `unchecked: [gitlab]`.\nNeeds `akili.product.submit`.\n',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/productName',
          },
        ],
        responses: {
          '200': {
            description:
              'Whether the name is available, and where it is taken.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    name: {
                      type: 'string',
                    },
                    available: {
                      type: 'boolean',
                    },
                    takenBy: {
                      type: 'string',
                      enum: ['registry', 'catalog', 'gitlab'],
                    },
                    message: {
                      type: 'string',
                    },
                    unchecked: {
                      type: 'array',
                      items: {
                        type: 'string',
                        enum: ['gitlab'],
                      },
                    },
                  },
                  required: ['tenant', 'name', 'available'],
                },
                example: {
                  tenant: 'northwind',
                  name: 'orders',
                  available: false,
                  takenBy: 'registry',
                  message:
                    'dataproduct:northwind/orders is registered already (revision 3): choose another name',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/products/{name}/deploy': {
      post: {
        operationId: 'DeployProduct',
        tags: ['Deployments'],
        summary:
          'Deploy a registered product (its GitLab pipeline), or record a pipeline its CI runs.',
        description:
          "Without a body: runs the pipeline of `<rootGroup>/<tenant>/<name>` on its default branch\nwith `AKILI_PRODUCT` and `AKILI_VERSION`, answers 202 and follows it. With `{ pipelineId,\nversion? }`: records that pipeline of the product's own project (on its default branch),\n202, or 200 with the deployment recorded before for it. `dryRun=true` checks the same and\nanswers the plan. Needs `akili.product.deploy` (developers, operators, tokens with it).\n",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/productName',
          },
          {
            $ref: '#/components/parameters/dryRun',
          },
        ],
        requestBody: {
          required: false,
          description:
            'Nothing (trigger a pipeline), or a pipeline to record; other fields are ignored.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  pipelineId: {
                    type: 'integer',
                    minimum: 1,
                    maximum: 9007199254740991,
                    description:
                      "A pipeline of the product's GitLab project, on its default branch.",
                  },
                  version: {
                    type: 'string',
                    minLength: 1,
                    description:
                      'The registered version it deploys (with `pipelineId` only; the current one otherwise).',
                  },
                },
              },
              example: {
                pipelineId: 4711,
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              "A dry run's plan, or the deployment recorded before for that pipeline.",
            content: {
              'application/json': {
                schema: {
                  oneOf: [
                    {
                      $ref: '#/components/schemas/ProductDeployment',
                    },
                    {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        dryRun: {
                          type: 'boolean',
                          enum: [true],
                        },
                        entityRef: {
                          type: 'string',
                        },
                        tenant: {
                          type: 'string',
                        },
                        name: {
                          type: 'string',
                        },
                        revision: {
                          type: 'integer',
                        },
                        version: {
                          type: 'string',
                        },
                        gitlabProject: {
                          type: 'string',
                        },
                        ref: {
                          type: 'string',
                        },
                      },
                      required: [
                        'dryRun',
                        'entityRef',
                        'tenant',
                        'name',
                        'revision',
                        'gitlabProject',
                        'ref',
                      ],
                    },
                  ],
                },
              },
            },
          },
          '202': {
            description: 'Started (or recorded) and followed.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ProductDeployment',
                },
                example: {
                  id: '6f1c2a4e-1d1b-4c52-9a43-0c1f8f5e2b10',
                  entityRef: 'dataproduct:northwind/orders',
                  tenant: 'northwind',
                  name: 'orders',
                  revision: 3,
                  version: '1.2.0',
                  requestedBy: 'user:northwind/jane',
                  requestedAt: '2026-12-04T01:00:00.000Z',
                  gitlabProject: 'akili/northwind/orders',
                  ref: 'main',
                  pipelineId: 4711,
                  pipelineUrl:
                    'https://gitlab.example.com/akili/northwind/orders/-/pipelines/4711',
                  status: 'pending',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            $ref: '#/components/responses/Error',
          },
          '502': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/products/{name}/deployments': {
      get: {
        operationId: 'ListDeployments',
        tags: ['Deployments'],
        summary: "A registered product's deployments, newest first.",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/productName',
          },
        ],
        responses: {
          '200': {
            description: 'The deployments.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ProductDeployment',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/products/{name}/deployments/{id}': {
      get: {
        operationId: 'GetDeployment',
        tags: ['Deployments'],
        summary: 'One deployment of a product (what `akili deploy` polls).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/productName',
          },
          {
            name: 'id',
            in: 'path',
            required: true,
            description: "The deployment's id.",
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The deployment.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ProductDeployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/webhooks/gitlab': {
      post: {
        operationId: 'GitlabWebhook',
        tags: ['Reviews'],
        summary:
          "GitLab's merge-request webhook; the review is posted as a note.",
        description:
          "Authenticated by `X-Gitlab-Token` (the webhook's secret token, `akili.reviews.gitlab.webhookSecret`),\nnot by a Backstage token: 401 when it is missing or wrong, and always when no secret is\nconfigured. A merge-request event is answered 202 at once and reviewed afterwards; other\nevents are answered 200 and ignored.\n",
        security: [],
        parameters: [
          {
            name: 'X-Gitlab-Token',
            in: 'header',
            required: false,
            description: "The webhook's secret token.",
            schema: {
              type: 'string',
            },
          },
        ],
        requestBody: {
          required: false,
          description:
            'A GitLab webhook event (a "Merge Request Hook" is reviewed), up to 1 MB.',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  object_kind: {
                    type: 'string',
                    example: 'merge_request',
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Not a merge-request event, ignored.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    ignored: {
                      type: 'string',
                    },
                  },
                  required: ['ignored'],
                },
                example: {
                  ignored: 'object_kind push',
                },
              },
            },
          },
          '202': {
            description: 'A merge-request event, reviewed afterwards.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    accepted: {
                      type: 'boolean',
                    },
                  },
                  required: ['accepted'],
                },
                example: {
                  accepted: true,
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '413': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/me': {
      get: {
        operationId: 'GetIdentity',
        tags: ['Tenants'],
        summary: 'Who the caller is to Akili, and their roles in each tenant.',
        description:
          'An API token answers its tenant with no roles (it holds permissions, not roles).',
        responses: {
          '200': {
            description: 'The caller.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    userEntityRef: {
                      type: 'string',
                    },
                    platformAdmin: {
                      type: 'boolean',
                    },
                    tenants: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          name: {
                            type: 'string',
                          },
                          roles: {
                            type: 'array',
                            items: {
                              $ref: '#/components/schemas/Role',
                            },
                          },
                        },
                        required: ['name', 'roles'],
                      },
                    },
                  },
                  required: ['userEntityRef', 'platformAdmin', 'tenants'],
                },
                example: {
                  userEntityRef: 'user:northwind/jane',
                  platformAdmin: false,
                  tenants: [
                    {
                      name: 'northwind',
                      roles: ['developer'],
                    },
                  ],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants': {
      get: {
        operationId: 'ListTenants',
        tags: ['Tenants'],
        summary:
          'The tenants the caller may see (every tenant for a platform admin).',
        responses: {
          '200': {
            description: 'The tenants.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/Tenant',
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreateTenant',
        tags: ['Tenants'],
        summary: 'Create a tenant (platform admins).',
        security: [
          {
            backstageToken: [],
          },
        ],
        requestBody: {
          required: true,
          description: 'Unknown fields are refused (400 naming them).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  name: {
                    type: 'string',
                    description:
                      'Lowercase letters, digits and inner dashes, at most 63 characters; not `default` or `akili`.',
                  },
                  title: {
                    type: 'string',
                    maxLength: 200,
                  },
                  description: {
                    type: 'string',
                    maxLength: 2000,
                  },
                  quotas: {
                    $ref: '#/components/schemas/TenantQuotasInput',
                  },
                },
                required: ['name', 'title'],
              },
              example: {
                name: 'wingtip',
                title: 'Wingtip',
                quotas: {
                  queryRowLimit: 5000,
                },
              },
            },
          },
        },
        responses: {
          '201': {
            $ref: '#/components/responses/Tenant',
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            $ref: '#/components/responses/Error',
          },
          '413': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}': {
      get: {
        operationId: 'GetTenant',
        tags: ['Tenants'],
        summary: 'One tenant (needs `akili.tenant.read` in it).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            $ref: '#/components/responses/Tenant',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
      patch: {
        operationId: 'UpdateTenant',
        tags: ['Tenants'],
        summary:
          "Change a tenant's title, description or quotas (platform admins).",
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        requestBody: {
          required: true,
          description:
            'The fields to change; unknown fields are refused (400 naming them).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  title: {
                    type: 'string',
                    maxLength: 200,
                  },
                  description: {
                    type: 'string',
                    maxLength: 2000,
                  },
                  quotas: {
                    $ref: '#/components/schemas/TenantQuotasInput',
                  },
                },
              },
              example: {
                quotas: {
                  maxConcurrentQueries: 8,
                },
              },
            },
          },
        },
        responses: {
          '200': {
            $ref: '#/components/responses/Tenant',
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/suspend': {
      post: {
        operationId: 'SuspendTenant',
        tags: ['Tenants'],
        summary:
          'Suspend a tenant (platform admins); its members and tokens are refused until resumed.',
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        requestBody: {
          required: true,
          description: 'Unknown fields are refused (400 naming them).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  reason: {
                    type: 'string',
                    maxLength: 1000,
                  },
                },
                required: ['reason'],
              },
              example: {
                reason: 'Contract ended',
              },
            },
          },
        },
        responses: {
          '200': {
            $ref: '#/components/responses/Tenant',
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/resume': {
      post: {
        operationId: 'ResumeTenant',
        tags: ['Tenants'],
        summary: 'Resume a suspended tenant (platform admins).',
        description: 'No body is read (the portal sends `{}`).',
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            $ref: '#/components/responses/Tenant',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/members': {
      get: {
        operationId: 'ListTenantMembers',
        tags: ['Tenants'],
        summary:
          'The users seen calling Akili as members of the tenant (operators).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: 'The members.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          userEntityRef: {
                            type: 'string',
                          },
                          displayName: {
                            type: 'string',
                          },
                          roles: {
                            type: 'array',
                            items: {
                              $ref: '#/components/schemas/Role',
                            },
                          },
                          firstSeenAt: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                          lastSeenAt: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                        },
                        required: [
                          'userEntityRef',
                          'roles',
                          'firstSeenAt',
                          'lastSeenAt',
                        ],
                      },
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/audit': {
      get: {
        operationId: 'ListTenantAudit',
        tags: ['Tenants'],
        summary:
          "The tenant's audit trail, newest first, a page at a time (operators).",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
        ],
        responses: {
          '200': {
            description: 'A page of entries; `nextCursor` when there are more.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          id: {
                            type: 'string',
                          },
                          tenant: {
                            type: 'string',
                          },
                          action: {
                            type: 'string',
                            enum: [
                              'tenant.created',
                              'tenant.updated',
                              'tenant.suspended',
                              'tenant.resumed',
                              'dead-letter.retry-requested',
                              'dead-letter.retried',
                              'dead-letter.retry-failed',
                              'api-token.issued',
                              'api-token.revoked',
                            ],
                          },
                          actor: {
                            type: 'string',
                            description:
                              'User entity ref of the actor, or `system`.',
                          },
                          at: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                          details: {
                            type: 'object',
                            additionalProperties: true,
                            description:
                              'What changed; its keys depend on the action.',
                          },
                        },
                        required: [
                          'id',
                          'tenant',
                          'action',
                          'actor',
                          'at',
                          'details',
                        ],
                      },
                    },
                    nextCursor: {
                      type: 'string',
                    },
                  },
                  required: ['items'],
                },
                example: {
                  items: [
                    {
                      id: '42',
                      tenant: 'northwind',
                      action: 'tenant.suspended',
                      actor: 'user:default/admin',
                      at: '2026-12-04T01:00:00.000Z',
                      details: {
                        reason: 'Contract ended',
                      },
                    },
                  ],
                  nextCursor: '42',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/events': {
      get: {
        operationId: 'GetTenantEvents',
        tags: ['Tenants'],
        summary:
          "The tenant's domain events in the outbox, per topic (operators).",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description:
              "The backlog, its age and last error, and each topic's last publish.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    pending: {
                      type: 'integer',
                    },
                    oldestPendingAt: {
                      $ref: '#/components/schemas/Timestamp',
                    },
                    lastError: {
                      type: 'string',
                    },
                    topics: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          topic: {
                            type: 'string',
                          },
                          total: {
                            type: 'integer',
                          },
                          pending: {
                            type: 'integer',
                          },
                          lastPublishedAt: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                          lastEvent: {
                            type: 'object',
                            additionalProperties: false,
                            properties: {
                              id: {
                                type: 'string',
                              },
                              type: {
                                type: 'string',
                              },
                              subject: {
                                type: 'string',
                              },
                            },
                            required: ['id', 'type', 'subject'],
                          },
                        },
                        required: ['topic', 'total', 'pending'],
                      },
                    },
                    openDeadLetters: {
                      type: 'integer',
                    },
                  },
                  required: ['tenant', 'pending', 'topics', 'openDeadLetters'],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/dead-letters': {
      get: {
        operationId: 'ListDeadLetters',
        tags: ['Tenants'],
        summary:
          "The tenant's dead letters (messages its consumers gave up on), newest first (operators).",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
          {
            name: 'status',
            in: 'query',
            required: false,
            description:
              'Not yet retried (`open`, default), `retried`, or `all`.',
            schema: {
              type: 'string',
              enum: ['open', 'retried', 'all'],
              default: 'open',
            },
          },
        ],
        responses: {
          '200': {
            description:
              'A page of dead letters; `nextCursor` when there are more.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/DeadLetter',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                    },
                  },
                  required: ['items'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/dead-letters/{id}/retry': {
      post: {
        operationId: 'RetryDeadLetter',
        tags: ['Tenants'],
        summary:
          'Publish a dead letter again to its topic and mark it retried (operators).',
        description:
          'The same event id, so only the consumer that gave up processes it again. No body is read.',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            name: 'id',
            in: 'path',
            required: true,
            description: "The dead letter's id.",
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The dead letter, marked retried.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DeadLetter',
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/api-tokens': {
      get: {
        operationId: 'ListApiTokens',
        tags: ['API tokens'],
        summary:
          "The tenant's API tokens, newest first, and the permissions the caller may grant.",
        description:
          'People operating the tenant (operators, platform admins); a token never manages tokens.',
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: 'The tokens (never their secrets).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/ApiToken',
                      },
                    },
                    grantablePermissions: {
                      type: 'array',
                      items: {
                        type: 'string',
                      },
                    },
                  },
                  required: ['items', 'grantablePermissions'],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
      post: {
        operationId: 'CreateApiToken',
        tags: ['API tokens'],
        summary: 'Issue an API token; its secret is in this answer only.',
        description:
          "The token may hold only permissions the issuer's roles grant in the tenant. Unknown\nfields are refused (400 naming them); 503 when API tokens are not configured.\n",
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  name: {
                    type: 'string',
                    maxLength: 100,
                    description: 'What the token is for.',
                  },
                  permissions: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 50,
                    items: {
                      type: 'string',
                      minLength: 1,
                      maxLength: 100,
                    },
                  },
                  expiresInDays: {
                    type: 'integer',
                    minimum: 1,
                    maximum: 365,
                  },
                },
                required: ['name', 'permissions', 'expiresInDays'],
              },
              example: {
                name: 'GitLab CI of orders',
                permissions: ['akili.product.submit', 'akili.product.deploy'],
                expiresInDays: 90,
              },
            },
          },
        },
        responses: {
          '201': {
            description:
              'The token and its secret (send it as `Authorization: Bearer <secret>`).',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    token: {
                      $ref: '#/components/schemas/ApiToken',
                    },
                    secret: {
                      type: 'string',
                    },
                  },
                  required: ['token', 'secret'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
          '409': {
            $ref: '#/components/responses/Error',
          },
          '503': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/api-tokens/{id}': {
      delete: {
        operationId: 'RevokeApiToken',
        tags: ['API tokens'],
        summary: 'Revoke an API token.',
        security: [
          {
            backstageToken: [],
          },
        ],
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            name: 'id',
            in: 'path',
            required: true,
            description: "The token's id (`<tenant>.<uuid>`).",
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'The token, revoked.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ApiToken',
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
          '404': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/internal/api-tokens/status': {
      post: {
        operationId: 'GetApiTokenGrants',
        tags: ['Internal'],
        summary:
          "The grants of active API tokens, for every Akili plugin's token resolver.",
        security: [
          {
            backstagePluginToken: [],
          },
        ],
        requestBody: {
          required: true,
          description: 'Unknown fields are refused (400 naming them).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  ids: {
                    type: 'array',
                    maxItems: 100,
                    items: {
                      type: 'string',
                      maxLength: 200,
                    },
                  },
                },
                required: ['ids'],
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              "Each id's grant, or null for a token revoked, expired or unknown.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tokens: {
                      type: 'object',
                      additionalProperties: {
                        type: 'object',
                        nullable: true,
                        additionalProperties: false,
                        properties: {
                          tenant: {
                            type: 'string',
                          },
                          permissions: {
                            type: 'array',
                            items: {
                              type: 'string',
                            },
                          },
                          expiresAt: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                        },
                        required: ['tenant', 'permissions', 'expiresAt'],
                      },
                    },
                  },
                  required: ['tokens'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/internal/tenant-status': {
      post: {
        operationId: 'GetTenantStatuses',
        tags: ['Internal'],
        summary:
          'Which of the named tenants exist and are active, and their quotas.',
        security: [
          {
            backstagePluginToken: [],
          },
        ],
        requestBody: {
          required: true,
          description: 'Unknown fields are refused (400 naming them).',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  tenants: {
                    type: 'array',
                    maxItems: 500,
                    items: {
                      type: 'string',
                    },
                  },
                },
                required: ['tenants'],
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              "Each name's status and quotas, or null for a tenant that does not exist.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenants: {
                      type: 'object',
                      additionalProperties: {
                        type: 'object',
                        nullable: true,
                        additionalProperties: false,
                        properties: {
                          status: {
                            type: 'string',
                            enum: ['active', 'suspended'],
                          },
                          quotas: {
                            $ref: '#/components/schemas/TenantQuotas',
                          },
                        },
                        required: ['status', 'quotas'],
                      },
                    },
                  },
                  required: ['tenants'],
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/Error',
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
    '/v1/internal/products': {
      get: {
        operationId: 'ListRegisteredProducts',
        tags: ['Internal'],
        summary:
          'The current manifest of every registered product of every tenant.',
        description:
          "For the catalog's registry provider; `tenant` is the registry row's.",
        security: [
          {
            backstagePluginToken: [],
          },
        ],
        responses: {
          '200': {
            description: "Every tenant's products.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    products: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          entityRef: {
                            type: 'string',
                          },
                          tenant: {
                            type: 'string',
                          },
                          name: {
                            type: 'string',
                          },
                          status: {
                            $ref: '#/components/schemas/ProductStatus',
                          },
                          version: {
                            type: 'string',
                          },
                          revision: {
                            type: 'integer',
                          },
                          updatedAt: {
                            $ref: '#/components/schemas/Timestamp',
                          },
                          manifest: {
                            $ref: '#/components/schemas/Manifest',
                          },
                        },
                        required: [
                          'entityRef',
                          'tenant',
                          'name',
                          'status',
                          'revision',
                          'updatedAt',
                          'manifest',
                        ],
                      },
                    },
                  },
                  required: ['products'],
                },
              },
            },
          },
          '401': {
            $ref: '#/components/responses/Error',
          },
          '403': {
            $ref: '#/components/responses/Error',
          },
        },
      },
    },
  },
} as const;

/**
 * A router that validates each request against the spec (a 400 naming the field otherwise) and
 * serves the spec at `/openapi.json`. The spec's security schemes document who may call; the
 * checking is Backstage's (the credentials barrier, auth policies, the routes' permissions), so
 * the validator does not check them (it would answer a missing header with a 400, not a 401).
 */
export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) =>
  createValidatedOpenApiRouter<typeof spec>(spec, {
    ...options,
    validatorOptions: { validateSecurity: false, ...options?.validatorOptions },
  });
