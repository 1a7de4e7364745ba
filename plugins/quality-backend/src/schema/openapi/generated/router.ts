//
// Generated from plugins/quality-backend/src/schema/openapi.yaml by scripts/openapi/generate.ts: do not edit.
// Regenerate with `make openapi` after changing the spec.
//

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  openapi: '3.0.3',
  info: {
    title: 'quality',
    version: '1',
    description:
      "Quality of a tenant's data products: check results reported by pipelines and tools (and, through\n`quality.checked` events, by Dagster asset checks), each product's score against its contract,\nfreshness against its SLO, trends, the tenant dashboard, and the incidents opened when a rule\nfails, the product goes stale or a run fails. Served under `/api/quality`.\n\nEvery route works inside one tenant: the `namespace` of a product, or the `tenant` in the path.\nA product, tenant or incident the caller may not see answers 404 exactly as a missing one.\n",
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
      name: 'Results',
      description:
        'Check results of a data product, as reported and as stored.',
    },
    {
      name: 'Scores',
      description:
        'Scores, statuses, freshness and trends of products and tenants.',
    },
    {
      name: 'Incidents',
      description: "Incidents of a tenant's products and their workflow.",
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
          'A tenant-scoped Akili API token (issued on the Tenants page, `POST\n/api/akili/v1/tenants/{tenant}/api-tokens`): one tenant and the permissions it was issued\nwith (`akili.quality.report` to report results, `akili.quality.read` to read them).\n',
      },
    },
    parameters: {
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: "The data product's namespace, which is its tenant.",
        schema: {
          type: 'string',
        },
        example: 'sales',
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: "The data product's name (`metadata.name`).",
        schema: {
          type: 'string',
        },
        example: 'orders',
      },
      tenant: {
        name: 'tenant',
        in: 'path',
        required: true,
        description: "The tenant's name.",
        schema: {
          type: 'string',
        },
        example: 'sales',
      },
      incidentId: {
        name: 'id',
        in: 'path',
        required: true,
        description:
          "The incident's id (a whole number, unique in its tenant); anything else answers 404.",
        schema: {
          type: 'string',
        },
        example: '42',
      },
      limit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'How many items per page (1 to 200; 50 by default).',
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
        },
      },
      incidentCursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description:
          'The `nextCursor` of the previous page, to read the next one.',
        schema: {
          type: 'string',
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
                example: 'NotFoundError',
              },
              message: {
                type: 'string',
                example: 'No data product dataproduct:sales/orders',
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
      QualityDimension: {
        type: 'string',
        enum: [
          'accuracy',
          'completeness',
          'conformity',
          'consistency',
          'coverage',
          'timeliness',
          'uniqueness',
        ],
      },
      QualityOutcome: {
        type: 'string',
        description:
          'The outcome of one execution of a check; `error` means the check itself could not run.\n',
        enum: ['pass', 'warn', 'fail', 'error'],
      },
      QualitySeverity: {
        type: 'string',
        enum: ['error', 'warning', 'info'],
      },
      QualityStatus: {
        type: 'string',
        description:
          'Worst first: `failing` (an `error` rule failed), `stale` (freshness SLO breached),\n`degraded` (a `warning` rule failed or a rule warned), `healthy`, `unknown` (no result).\n',
        enum: ['failing', 'stale', 'degraded', 'healthy', 'unknown'],
      },
      FreshnessStatus: {
        type: 'string',
        enum: ['fresh', 'stale', 'unknown', 'no-slo'],
      },
      ObservedValue: {
        description:
          'The value the check observed (a number, a string of at most 4096 characters, a boolean or null).',
        anyOf: [
          {
            type: 'number',
          },
          {
            type: 'string',
            maxLength: 4096,
          },
          {
            type: 'boolean',
            nullable: true,
          },
        ],
      },
      QualityResultInput: {
        type: 'object',
        additionalProperties: false,
        description: 'One check result as reported.',
        properties: {
          executionId: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            description:
              "The execution's id in the reporting tool; the same id reported again is stored once.",
          },
          rule: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description:
              'The contract rule (`spec.quality[].name`) the check evaluates; another name is stored outside the score.',
          },
          port: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description:
              "The output port; by default the rule's, or the product's only port.",
          },
          dimension: {
            $ref: '#/components/schemas/QualityDimension',
          },
          outcome: {
            $ref: '#/components/schemas/QualityOutcome',
          },
          observedValue: {
            $ref: '#/components/schemas/ObservedValue',
          },
          threshold: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description:
              'The threshold the value was compared with, as text (`< 0.01`, `[10, 20]`).',
          },
          runId: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description: 'The run that produced the data.',
          },
          partition: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description: 'The partition checked, e.g. `2026-12-01`.',
          },
          observedAt: {
            type: 'string',
            pattern: '^\\d{4}-\\d{2}-\\d{2}T',
            description:
              'When the check ran (ISO 8601, with its zone); at most 5 minutes in the future.',
          },
          message: {
            type: 'string',
            maxLength: 4096,
          },
        },
        required: ['executionId', 'rule', 'outcome', 'observedAt'],
      },
      QualityResult: {
        type: 'object',
        additionalProperties: false,
        description: 'A stored check result.',
        properties: {
          id: {
            type: 'string',
          },
          rule: {
            type: 'string',
          },
          port: {
            type: 'string',
          },
          dimension: {
            $ref: '#/components/schemas/QualityDimension',
          },
          severity: {
            $ref: '#/components/schemas/QualitySeverity',
          },
          outcome: {
            $ref: '#/components/schemas/QualityOutcome',
          },
          observedValue: {
            $ref: '#/components/schemas/ObservedValue',
          },
          threshold: {
            type: 'string',
          },
          runId: {
            type: 'string',
          },
          partition: {
            type: 'string',
          },
          source: {
            type: 'string',
            description: '`dagster`, `api:<tool>` (this API) or `event`.',
          },
          executionId: {
            type: 'string',
          },
          observedAt: {
            type: 'string',
            format: 'date-time',
          },
          message: {
            type: 'string',
          },
        },
        required: [
          'id',
          'rule',
          'dimension',
          'severity',
          'outcome',
          'source',
          'executionId',
          'observedAt',
        ],
      },
      FailingResult: {
        type: 'object',
        additionalProperties: false,
        description: "A failing stored result with its product's ref.",
        properties: {
          product: {
            type: 'string',
          },
          id: {
            type: 'string',
          },
          rule: {
            type: 'string',
          },
          port: {
            type: 'string',
          },
          dimension: {
            $ref: '#/components/schemas/QualityDimension',
          },
          severity: {
            $ref: '#/components/schemas/QualitySeverity',
          },
          outcome: {
            $ref: '#/components/schemas/QualityOutcome',
          },
          observedValue: {
            $ref: '#/components/schemas/ObservedValue',
          },
          threshold: {
            type: 'string',
          },
          runId: {
            type: 'string',
          },
          partition: {
            type: 'string',
          },
          source: {
            type: 'string',
          },
          executionId: {
            type: 'string',
          },
          observedAt: {
            type: 'string',
            format: 'date-time',
          },
          message: {
            type: 'string',
          },
        },
        required: [
          'product',
          'id',
          'rule',
          'dimension',
          'severity',
          'outcome',
          'source',
          'executionId',
          'observedAt',
        ],
      },
      QualityRuleState: {
        type: 'object',
        additionalProperties: false,
        description: 'A contract rule with its latest result.',
        properties: {
          name: {
            type: 'string',
          },
          port: {
            type: 'string',
          },
          dimension: {
            $ref: '#/components/schemas/QualityDimension',
          },
          severity: {
            $ref: '#/components/schemas/QualitySeverity',
          },
          status: {
            type: 'string',
            description:
              'The latest outcome, `unknown` when the rule never ran.',
            enum: ['pass', 'warn', 'fail', 'error', 'unknown'],
          },
          lastResult: {
            $ref: '#/components/schemas/QualityResult',
          },
          engine: {
            type: 'string',
            description:
              'The engine outside Akili that checks the rule (`soda`, `dbt`, ...).',
          },
          description: {
            type: 'string',
          },
        },
        required: ['name', 'dimension', 'severity', 'status'],
      },
      QualityDimensionScore: {
        type: 'object',
        additionalProperties: false,
        properties: {
          dimension: {
            $ref: '#/components/schemas/QualityDimension',
          },
          score: {
            type: 'number',
            nullable: true,
            description: '0 to 100, null when none of its rules has a result.',
          },
          rules: {
            type: 'integer',
          },
          rulesWithResults: {
            type: 'integer',
          },
          failing: {
            type: 'integer',
            description: 'Rules whose latest outcome is `fail` or `error`.',
          },
        },
        required: [
          'dimension',
          'score',
          'rules',
          'rulesWithResults',
          'failing',
        ],
      },
      QualityFreshness: {
        type: 'object',
        additionalProperties: false,
        properties: {
          status: {
            $ref: '#/components/schemas/FreshnessStatus',
          },
          maxDelay: {
            type: 'string',
            description:
              '`spec.slos.freshness.maxDelay` as written (ISO 8601 duration).',
          },
          maxDelayMinutes: {
            type: 'integer',
          },
          lastSuccessAt: {
            type: 'string',
            format: 'date-time',
            description: 'End of the last successful run of the product.',
          },
          ageMinutes: {
            type: 'integer',
            description: 'Minutes since then.',
          },
        },
        required: ['status'],
      },
      QualityUpstream: {
        type: 'object',
        additionalProperties: false,
        properties: {
          product: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/QualityStatus',
          },
          score: {
            type: 'number',
            nullable: true,
          },
        },
        required: ['product', 'status', 'score'],
      },
      QualityTrendDay: {
        type: 'object',
        additionalProperties: false,
        properties: {
          day: {
            type: 'string',
            format: 'date',
            description: 'The UTC day.',
          },
          score: {
            type: 'number',
            nullable: true,
            description:
              "The score from each rule's last result of that day; null with none.",
          },
          pass: {
            type: 'integer',
          },
          warn: {
            type: 'integer',
          },
          fail: {
            type: 'integer',
          },
          error: {
            type: 'integer',
          },
        },
        required: ['day', 'score', 'pass', 'warn', 'fail', 'error'],
      },
      QualityProductScore: {
        type: 'object',
        additionalProperties: false,
        properties: {
          product: {
            type: 'string',
          },
          score: {
            type: 'number',
            nullable: true,
          },
          status: {
            $ref: '#/components/schemas/QualityStatus',
          },
          coverage: {
            type: 'number',
            nullable: true,
            description:
              'Contract rules with a result / contract rules (0 to 1); null with no rule.',
          },
          freshness: {
            $ref: '#/components/schemas/FreshnessStatus',
          },
          openIncidents: {
            type: 'integer',
          },
        },
        required: [
          'product',
          'score',
          'status',
          'coverage',
          'freshness',
          'openIncidents',
        ],
      },
      IncidentState: {
        type: 'string',
        description: 'new → acknowledged → assigned → resolved.',
        enum: ['new', 'acknowledged', 'assigned', 'resolved'],
      },
      IncidentResolutionReason: {
        type: 'string',
        enum: [
          'false-positive',
          'missing-data',
          'duplicates',
          'out-of-bounds',
          'upstream',
          'other',
          'recovered',
        ],
      },
      QualityIncident: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: {
            type: 'string',
          },
          tenant: {
            type: 'string',
          },
          product: {
            type: 'string',
          },
          cause: {
            type: 'object',
            additionalProperties: false,
            description:
              "What opened it (a rule, the freshness SLO, a run of the product's job); one open incident per product and cause.",
            properties: {
              kind: {
                type: 'string',
                enum: ['rule', 'freshness', 'run'],
              },
              key: {
                type: 'string',
              },
            },
            required: ['kind', 'key'],
          },
          title: {
            type: 'string',
          },
          state: {
            $ref: '#/components/schemas/IncidentState',
          },
          severity: {
            $ref: '#/components/schemas/QualitySeverity',
          },
          assignee: {
            type: 'string',
          },
          openedAt: {
            type: 'string',
            format: 'date-time',
          },
          acknowledgedAt: {
            type: 'string',
            format: 'date-time',
          },
          assignedAt: {
            type: 'string',
            format: 'date-time',
          },
          resolvedAt: {
            type: 'string',
            format: 'date-time',
          },
          resolution: {
            type: 'object',
            additionalProperties: false,
            properties: {
              reason: {
                $ref: '#/components/schemas/IncidentResolutionReason',
              },
              comment: {
                type: 'string',
              },
              by: {
                type: 'string',
              },
            },
            required: ['reason', 'by'],
          },
          failures: {
            type: 'integer',
            description: 'Failures of the cause since the incident opened.',
          },
          lastFailureAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'id',
          'tenant',
          'product',
          'cause',
          'title',
          'state',
          'severity',
          'openedAt',
          'failures',
          'lastFailureAt',
        ],
      },
      QualityIncidentPage: {
        type: 'object',
        additionalProperties: false,
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/QualityIncident',
            },
          },
          nextCursor: {
            type: 'string',
            description: 'Absent on the last page.',
          },
        },
        required: ['items'],
      },
      QualityIncidentDetail: {
        type: 'object',
        additionalProperties: false,
        properties: {
          incident: {
            $ref: '#/components/schemas/QualityIncident',
          },
          timeline: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                id: {
                  type: 'string',
                },
                at: {
                  type: 'string',
                  format: 'date-time',
                },
                actor: {
                  type: 'string',
                  description:
                    'A user entity ref, `token:<id>`, or `akili:quality` for the portal.',
                },
                kind: {
                  type: 'string',
                  enum: [
                    'opened',
                    'failed-again',
                    'acknowledged',
                    'assigned',
                    'commented',
                    'resolved',
                  ],
                },
                details: {
                  type: 'object',
                  additionalProperties: true,
                },
              },
              required: ['id', 'at', 'actor', 'kind', 'details'],
            },
          },
        },
        required: ['incident', 'timeline'],
      },
    },
    examples: {
      IncidentDetail: {
        value: {
          incident: {
            id: '42',
            tenant: 'sales',
            product: 'dataproduct:sales/orders',
            cause: {
              kind: 'rule',
              key: 'no_nulls',
            },
            title: 'Rule no_nulls failed',
            state: 'acknowledged',
            severity: 'error',
            openedAt: '2026-12-01T10:00:00.000Z',
            acknowledgedAt: '2026-12-01T10:05:00.000Z',
            failures: 2,
            lastFailureAt: '2026-12-01T11:00:00.000Z',
          },
          timeline: [
            {
              id: '101',
              at: '2026-12-01T10:00:00.000Z',
              actor: 'akili:quality',
              kind: 'opened',
              details: {
                rule: 'no_nulls',
              },
            },
            {
              id: '102',
              at: '2026-12-01T10:05:00.000Z',
              actor: 'user:default/olga',
              kind: 'acknowledged',
              details: {},
            },
          ],
        },
      },
    },
  },
  paths: {
    '/v1/products/{namespace}/{name}/summary': {
      get: {
        operationId: 'GetProductSummary',
        tags: ['Scores'],
        summary: "A data product's quality now.",
        description:
          "Score, status, coverage, each dimension, each contract rule with its latest result, checks\noutside the contract, freshness against the SLO, open incidents, and the upstream products\n(input ports) the caller may read with their status. Needs `akili.quality.read` in the\nproduct's tenant.\n",
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: "The product's summary.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    product: {
                      type: 'string',
                      description: '`dataproduct:<tenant>/<name>`.',
                    },
                    score: {
                      type: 'number',
                      nullable: true,
                      description: '0 to 100, null when no rule has a result.',
                    },
                    status: {
                      $ref: '#/components/schemas/QualityStatus',
                    },
                    coverage: {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        rules: {
                          type: 'integer',
                        },
                        rulesWithResults: {
                          type: 'integer',
                        },
                        ratio: {
                          type: 'number',
                          nullable: true,
                        },
                      },
                      required: ['rules', 'rulesWithResults', 'ratio'],
                    },
                    dimensions: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityDimensionScore',
                      },
                    },
                    rules: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityRuleState',
                      },
                    },
                    outsideContract: {
                      type: 'array',
                      description:
                        'Latest result of each check that is not a contract rule.',
                      items: {
                        $ref: '#/components/schemas/QualityResult',
                      },
                    },
                    freshness: {
                      $ref: '#/components/schemas/QualityFreshness',
                    },
                    openIncidents: {
                      type: 'integer',
                    },
                    upstream: {
                      type: 'array',
                      description:
                        'Upstream products the caller may read, with their status.',
                      items: {
                        $ref: '#/components/schemas/QualityUpstream',
                      },
                    },
                    computedAt: {
                      type: 'string',
                      format: 'date-time',
                    },
                  },
                  required: [
                    'product',
                    'score',
                    'status',
                    'coverage',
                    'dimensions',
                    'rules',
                    'outsideContract',
                    'freshness',
                    'openIncidents',
                    'upstream',
                    'computedAt',
                  ],
                },
                example: {
                  product: 'dataproduct:sales/orders',
                  score: 87.5,
                  status: 'degraded',
                  coverage: {
                    rules: 3,
                    rulesWithResults: 2,
                    ratio: 0.6667,
                  },
                  dimensions: [
                    {
                      dimension: 'completeness',
                      score: 87.5,
                      rules: 2,
                      rulesWithResults: 2,
                      failing: 0,
                    },
                  ],
                  rules: [
                    {
                      name: 'no_nulls',
                      port: 'orders',
                      dimension: 'completeness',
                      severity: 'error',
                      status: 'pass',
                      lastResult: {
                        id: '7',
                        rule: 'no_nulls',
                        port: 'orders',
                        dimension: 'completeness',
                        severity: 'error',
                        outcome: 'pass',
                        observedValue: 0,
                        threshold: '< 0.01',
                        source: 'api:soda',
                        executionId: 'e1',
                        observedAt: '2026-12-04T01:00:00.000Z',
                      },
                    },
                  ],
                  outsideContract: [],
                  freshness: {
                    status: 'fresh',
                    maxDelay: 'PT1H',
                    maxDelayMinutes: 60,
                    lastSuccessAt: '2026-12-04T00:40:00.000Z',
                    ageMinutes: 20,
                  },
                  openIncidents: 0,
                  upstream: [
                    {
                      product: 'dataproduct:sales/customers',
                      status: 'healthy',
                      score: 100,
                    },
                  ],
                  computedAt: '2026-12-04T01:00:00.000Z',
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
    '/v1/products/{namespace}/{name}/trend': {
      get: {
        operationId: 'GetProductTrend',
        tags: ['Scores'],
        summary: "A data product's daily score over 30 or 90 days.",
        description:
          'One entry per UTC day, oldest first, today last. Needs `akili.quality.read`.',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'days',
            in: 'query',
            required: false,
            description: 'The period in days (30 by default).',
            schema: {
              type: 'integer',
              enum: [30, 90],
            },
          },
        ],
        responses: {
          '200': {
            description: "The product's trend.",
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    product: {
                      type: 'string',
                    },
                    days: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityTrendDay',
                      },
                    },
                  },
                  required: ['product', 'days'],
                },
                example: {
                  product: 'dataproduct:sales/orders',
                  days: [
                    {
                      day: '2026-12-03',
                      score: 100,
                      pass: 3,
                      warn: 0,
                      fail: 0,
                      error: 0,
                    },
                    {
                      day: '2026-12-04',
                      score: 87.5,
                      pass: 2,
                      warn: 1,
                      fail: 0,
                      error: 0,
                    },
                  ],
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
    '/v1/products/{namespace}/{name}/results': {
      get: {
        operationId: 'ListProductResults',
        tags: ['Results'],
        summary: "A data product's stored check results, newest first.",
        description:
          'Pages of results (history, not only the latest). Needs `akili.quality.read`.',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'rule',
            in: 'query',
            required: false,
            description: 'Only the results of this rule (or check).',
            allowReserved: true,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description:
              'The `nextCursor` of the previous page, to read the next one.',
            schema: {
              type: 'string',
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of results.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityResult',
                      },
                    },
                    nextCursor: {
                      type: 'string',
                      description: 'Absent on the last page.',
                    },
                  },
                  required: ['items'],
                },
                example: {
                  items: [
                    {
                      id: '7',
                      rule: 'no_nulls',
                      port: 'orders',
                      dimension: 'completeness',
                      severity: 'error',
                      outcome: 'pass',
                      observedValue: 0,
                      threshold: '< 0.01',
                      runId: 'run-1',
                      source: 'api:soda',
                      executionId: 'e1',
                      observedAt: '2026-12-04T01:00:00.000Z',
                    },
                  ],
                  nextCursor: '1764810000000_7',
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
      post: {
        operationId: 'ReportProductResults',
        tags: ['Results'],
        summary:
          'Reports check results of a data product (pipelines, Soda, Great Expectations, CI).',
        description:
          'Stores each result once (the same `tool` and `executionId` again is a duplicate, left as\nit was), scores it against the product\'s contract, opens or resolves incidents, and\nannounces the stored results as `quality.checked` events. Results of rules that are not in\nthe contract are stored outside the score. Needs `akili.quality.report` (developers,\noperators, or an API token issued with it):\n\n```\ncurl -X POST -H "Authorization: Bearer $AKILI_TOKEN" -H \'Content-Type: application/json\' \\\n  https://portal.example/api/quality/v1/products/sales/orders/results \\\n  -d \'{"tool":"soda","results":[{"executionId":"e1","rule":"no_nulls","outcome":"pass","observedAt":"2026-12-04T01:00:00Z"}]}\'\n```\n',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  tool: {
                    type: 'string',
                    pattern: '^[a-z0-9][a-z0-9._-]{0,62}$',
                    description:
                      'The reporting tool (lowercase letters, digits, `.`, `_`, `-`; at most 63); results are stored with the source `api:<tool>`.',
                  },
                  results: {
                    type: 'array',
                    minItems: 1,
                    maxItems: 1000,
                    items: {
                      $ref: '#/components/schemas/QualityResultInput',
                    },
                  },
                },
                required: ['tool', 'results'],
              },
              example: {
                tool: 'soda',
                results: [
                  {
                    executionId: 'scan-2026-12-04-01',
                    rule: 'no_nulls',
                    outcome: 'pass',
                    observedValue: 0,
                    threshold: '< 0.01',
                    runId: 'run-1',
                    observedAt: '2026-12-04T01:00:00Z',
                  },
                  {
                    executionId: 'scan-2026-12-04-02',
                    rule: 'row_count',
                    outcome: 'warn',
                    observedValue: 90,
                    observedAt: '2026-12-04T01:00:00Z',
                    message: 'fewer rows than yesterday',
                  },
                ],
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'What was stored.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    accepted: {
                      type: 'integer',
                      description: 'Results stored now.',
                    },
                    duplicates: {
                      type: 'integer',
                      description:
                        'Results already stored (same source and execution id), left as they were.',
                    },
                    outsideContract: {
                      type: 'array',
                      description:
                        "Rule names that are not in the product's contract (stored, outside the score).",
                      items: {
                        type: 'string',
                      },
                    },
                  },
                  required: ['accepted', 'duplicates', 'outsideContract'],
                },
                example: {
                  accepted: 2,
                  duplicates: 0,
                  outsideContract: [],
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
          '413': {
            description: 'The body is larger than 8 MB.',
          },
        },
      },
    },
    '/v1/tenants/{tenant}/scores': {
      get: {
        operationId: 'GetTenantScores',
        tags: ['Scores'],
        summary: "The score and status of each of a tenant's data products.",
        description:
          'For lists such as the Data Products page. Needs `akili.quality.read` in the tenant.',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
        ],
        responses: {
          '200': {
            description: 'Each product the quality plugin knows, by name.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    items: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityProductScore',
                      },
                    },
                  },
                  required: ['tenant', 'items'],
                },
                example: {
                  tenant: 'sales',
                  items: [
                    {
                      product: 'dataproduct:sales/orders',
                      score: 100,
                      status: 'healthy',
                      coverage: 1,
                      freshness: 'fresh',
                      openIncidents: 0,
                    },
                  ],
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
    '/v1/tenants/{tenant}/dashboard': {
      get: {
        operationId: 'GetTenantDashboard',
        tags: ['Scores'],
        summary: "A tenant's quality dashboard.",
        description:
          "Products worst first, the latest failing results of `error` and `warning` rules, stale\nproducts, the tenant's daily score and incident figures over the period. Needs\n`akili.quality.incidents.read` (developers and operators).\n",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            name: 'days',
            in: 'query',
            required: false,
            description: 'The period in days (30 by default).',
            schema: {
              type: 'integer',
              enum: [7, 30, 90],
            },
          },
        ],
        responses: {
          '200': {
            description: 'The dashboard.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  properties: {
                    tenant: {
                      type: 'string',
                    },
                    products: {
                      type: 'array',
                      description: 'Worst first (status, then score).',
                      items: {
                        $ref: '#/components/schemas/QualityProductScore',
                      },
                    },
                    failingRules: {
                      type: 'array',
                      description:
                        'Latest failing results of `error` and `warning` rules, newest first.',
                      items: {
                        $ref: '#/components/schemas/FailingResult',
                      },
                    },
                    staleProducts: {
                      type: 'array',
                      items: {
                        type: 'object',
                        additionalProperties: false,
                        properties: {
                          product: {
                            type: 'string',
                          },
                          freshness: {
                            $ref: '#/components/schemas/QualityFreshness',
                          },
                        },
                        required: ['product', 'freshness'],
                      },
                    },
                    trend: {
                      type: 'array',
                      items: {
                        $ref: '#/components/schemas/QualityTrendDay',
                      },
                    },
                    incidents: {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        open: {
                          type: 'integer',
                        },
                        meanMinutesToAcknowledge: {
                          type: 'number',
                          nullable: true,
                        },
                        meanMinutesToResolve: {
                          type: 'number',
                          nullable: true,
                        },
                        days: {
                          type: 'integer',
                          description: 'The period, in days.',
                        },
                      },
                      required: [
                        'open',
                        'meanMinutesToAcknowledge',
                        'meanMinutesToResolve',
                        'days',
                      ],
                    },
                  },
                  required: [
                    'tenant',
                    'products',
                    'failingRules',
                    'staleProducts',
                    'trend',
                    'incidents',
                  ],
                },
                example: {
                  tenant: 'sales',
                  products: [
                    {
                      product: 'dataproduct:sales/customers',
                      score: 0,
                      status: 'failing',
                      coverage: 1,
                      freshness: 'no-slo',
                      openIncidents: 1,
                    },
                  ],
                  failingRules: [
                    {
                      product: 'dataproduct:sales/customers',
                      id: '9',
                      rule: 'no_nulls',
                      dimension: 'completeness',
                      severity: 'error',
                      outcome: 'fail',
                      source: 'api:ci',
                      executionId: 'c1',
                      observedAt: '2026-12-04T00:55:00.000Z',
                    },
                  ],
                  staleProducts: [],
                  trend: [
                    {
                      day: '2026-12-04',
                      score: 50,
                      pass: 1,
                      warn: 0,
                      fail: 1,
                      error: 0,
                    },
                  ],
                  incidents: {
                    open: 1,
                    meanMinutesToAcknowledge: 12,
                    meanMinutesToResolve: null,
                    days: 30,
                  },
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
    '/v1/tenants/{tenant}/incidents': {
      get: {
        operationId: 'ListTenantIncidents',
        tags: ['Incidents'],
        summary: "A tenant's incident queue, newest first.",
        description:
          'Needs `akili.quality.incidents.read` (developers and operators).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            description:
              '`open` (not resolved; the default), `all`, or one state.',
            schema: {
              type: 'string',
              enum: [
                'open',
                'all',
                'new',
                'acknowledged',
                'assigned',
                'resolved',
              ],
            },
          },
          {
            name: 'product',
            in: 'query',
            required: false,
            description:
              "Only this product's incidents, by name (`orders`) or ref (`dataproduct:sales/orders`); another tenant's product has none.",
            allowReserved: true,
            schema: {
              type: 'string',
            },
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/incidentCursor',
          },
        ],
        responses: {
          '200': {
            description: 'A page of incidents.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentPage',
                },
                example: {
                  items: [
                    {
                      id: '42',
                      tenant: 'sales',
                      product: 'dataproduct:sales/orders',
                      cause: {
                        kind: 'rule',
                        key: 'no_nulls',
                      },
                      title: 'Rule no_nulls failed',
                      state: 'new',
                      severity: 'error',
                      openedAt: '2026-12-01T10:00:00.000Z',
                      failures: 1,
                      lastFailureAt: '2026-12-01T10:00:00.000Z',
                    },
                  ],
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
    '/v1/tenants/{tenant}/incidents/{id}': {
      get: {
        operationId: 'GetIncident',
        tags: ['Incidents'],
        summary: 'One incident with its timeline.',
        description:
          'Needs `akili.quality.incidents.read` (developers and operators).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/incidentId',
          },
        ],
        responses: {
          '200': {
            description: 'The incident and its timeline, oldest first.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentDetail',
                },
                examples: {
                  acknowledged: {
                    $ref: '#/components/examples/IncidentDetail',
                  },
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
    '/v1/tenants/{tenant}/incidents/{id}/acknowledge': {
      post: {
        operationId: 'AcknowledgeIncident',
        tags: ['Incidents'],
        summary: 'Acknowledges a new incident.',
        description:
          'Needs `akili.quality.incidents.manage` (operators). The body is empty or `{}`.',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/incidentId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
              },
              example: {},
            },
          },
        },
        responses: {
          '200': {
            description: 'The incident and its timeline.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentDetail',
                },
                examples: {
                  acknowledged: {
                    $ref: '#/components/examples/IncidentDetail',
                  },
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
        },
      },
    },
    '/v1/tenants/{tenant}/incidents/{id}/assign': {
      post: {
        operationId: 'AssignIncident',
        tags: ['Incidents'],
        summary: 'Assigns an open incident to a person.',
        description: 'Needs `akili.quality.incidents.manage` (operators).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/incidentId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  assignee: {
                    type: 'string',
                    description:
                      'A user entity ref, `user:<namespace>/<name>`.',
                  },
                },
                required: ['assignee'],
              },
              example: {
                assignee: 'user:default/olga',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The incident and its timeline.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentDetail',
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
        },
      },
    },
    '/v1/tenants/{tenant}/incidents/{id}/resolve': {
      post: {
        operationId: 'ResolveIncident',
        tags: ['Incidents'],
        summary: 'Resolves an open incident with a reason.',
        description:
          "Needs `akili.quality.incidents.manage` (operators). The reason `other` needs a comment.\n(`recovered` is the portal's own, when the rule passes again.)\n",
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/incidentId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  reason: {
                    type: 'string',
                    enum: [
                      'false-positive',
                      'missing-data',
                      'duplicates',
                      'out-of-bounds',
                      'upstream',
                      'other',
                    ],
                  },
                  comment: {
                    type: 'string',
                    maxLength: 4000,
                  },
                },
                required: ['reason'],
              },
              example: {
                reason: 'upstream',
                comment: 'customers was late; reloaded',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The incident and its timeline.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentDetail',
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
        },
      },
    },
    '/v1/tenants/{tenant}/incidents/{id}/comments': {
      post: {
        operationId: 'CommentIncident',
        tags: ['Incidents'],
        summary:
          "Adds a comment to an incident's timeline (resolved ones too).",
        description: 'Needs `akili.quality.incidents.manage` (operators).',
        parameters: [
          {
            $ref: '#/components/parameters/tenant',
          },
          {
            $ref: '#/components/parameters/incidentId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  comment: {
                    type: 'string',
                    minLength: 1,
                    maxLength: 4000,
                    description: 'Not only spaces.',
                  },
                },
                required: ['comment'],
              },
              example: {
                comment: 'Looking into it with the customers team.',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The incident and its timeline, the comment last.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentDetail',
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
    '/v1/products/{namespace}/{name}/incidents': {
      get: {
        operationId: 'ListProductIncidents',
        tags: ['Incidents'],
        summary: "A data product's incidents, newest first.",
        description: 'Needs `akili.quality.read` (consumers too).',
        parameters: [
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            name: 'state',
            in: 'query',
            required: false,
            description: '`open` (not resolved; the default) or `all`.',
            schema: {
              type: 'string',
              enum: ['open', 'all'],
            },
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/incidentCursor',
          },
        ],
        responses: {
          '200': {
            description: 'A page of incidents.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/QualityIncidentPage',
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
